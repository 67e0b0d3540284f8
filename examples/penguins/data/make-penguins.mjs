// Regenerates penguins.csv and penguins-early.csv from the Palmer penguins data as the
// vega-datasets npm package ships it (data/penguins.json, 344 rows).
// Usage: node examples/penguins/data/make-penguins.mjs path/to/vega-datasets/data/penguins.json
// The output is byte-for-byte reproducible: every choice below is fixed or seeded.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = process.argv[2];
if (source === undefined) throw new Error('give the path of vega-datasets/data/penguins.json');
const records = JSON.parse(readFileSync(source, 'utf8'));
if (records.length !== 344) throw new Error(`expected 344 penguins, found ${records.length}`);

// mulberry32, seed 11: the rows are shuffled so that every day's batch mixes species and islands.
let seed = 11;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const order = records.map((_, i) => i);
for (let i = order.length - 1; i > 0; i--) {
  const j = Math.floor(random() * (i + 1));
  [order[i], order[j]] = [order[j], order[i]];
}

const cell = (value) => (value === null || value === undefined || value === '.' ? '' : String(value));
const header = 'observed_on,island,sex,bill_length_mm,bill_depth_mm,flipper_length_mm,body_mass_g,species';
// An invented ordinal: twenty penguins a day from 2024-06-01, the file sorted by it.
const lines = order.map((index, position) => {
  const r = records[index];
  const day = new Date(Date.UTC(2024, 5, 1 + Math.floor(position / 20))).toISOString().slice(0, 10);
  return [
    day,
    r.Island,
    cell(r.Sex),
    cell(r['Beak Length (mm)']),
    cell(r['Beak Depth (mm)']),
    cell(r['Flipper Length (mm)']),
    cell(r['Body Mass (g)']),
    r.Species,
  ].join(',');
});
const here = (name) => fileURLToPath(new URL(name, import.meta.url));
writeFileSync(here('penguins.csv'), `${header}\n${lines.join('\n')}\n`);
// The first twelve days (240 rows): train on it first, then --since-last on the whole file.
writeFileSync(here('penguins-early.csv'), `${header}\n${lines.slice(0, 240).join('\n')}\n`);
