// npm run bench: runs every benchmark module, prints a table, writes bench/results/latest.json.
// Each module exports `name`, optional `targets` ({ key: [op, limit] }) and `run()` returning
// { key: number | number[] } (an array: one sample per run). Every figure is the median of its
// samples, written with its spread (min, max, runs) so one noisy run cannot decide a ratio.
// Run one module: node bench/run.js posix. Repeat every module in the same order, pooling the
// samples of all rounds: BENCH_ROUNDS=3 npm run bench.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { summarise } from './report.js';

const MODULES = [
  'posix',
  'codec',
  'mlflow',
  'startup',
  'verify',
  'alias',
  'serve',
  'gc',
  'copy',
  'sql',
  'redis',
  'data',
  'ui',
];
const only = process.argv.slice(2);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`BENCH_ROUNDS must be a whole number, 1 or more`);

const loaded = [];
for (const name of MODULES) {
  if (only.length > 0 && !only.includes(name)) continue;
  try {
    loaded.push(await import(`./${name}.js`));
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(`bench/${name}.js`)) continue;
    throw error;
  }
}

const samples = {};
const targets = {};
for (let round = 1; round <= rounds; round++) {
  for (const mod of loaded) {
    process.stdout.write(`running ${mod.name}${rounds > 1 ? ` (round ${round} of ${rounds})` : ''} …\n`);
    for (const [key, value] of Object.entries(await mod.run())) {
      samples[key] = [...(samples[key] ?? []), ...(Array.isArray(value) ? value : [value])];
    }
    Object.assign(targets, mod.targets ?? {});
  }
}
const { figures, spread } = summarise(samples);

const rows = Object.entries(figures).map(([key, value]) => {
  const target = targets[key];
  const verdict =
    target === undefined
      ? ''
      : (target[0] === '<=' ? value <= target[1] : value >= target[1])
        ? `ok (${target[0]} ${target[1]})`
        : `MISSED (${target[0]} ${target[1]})`;
  const range = spread[key] ? `${spread[key].min}–${spread[key].max} (${spread[key].runs} runs)` : '';
  return [key, String(value), range, verdict];
});
const width = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
for (const row of rows)
  console.log(
    row
      .map((cell, i) => cell.padEnd(width[i]))
      .join('  ')
      .trimEnd(),
  );

// A partial run (node bench/run.js codec) keeps the other modules' last figures.
const previous =
  only.length > 0
    ? await readFile(new URL('./results/latest.json', import.meta.url), 'utf8').then(JSON.parse, () => ({}))
    : {};
const result = {
  created: new Date().toISOString(),
  machine: {
    node: process.version,
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    loadAverage: os.loadavg().map((load) => Math.round(load * 100) / 100),
  },
  rounds,
  // The median of each key's samples.
  figures: { ...previous.figures, ...figures },
  // Each key's samples at their least and most, and how many there were.
  spread: Object.fromEntries(
    Object.entries({ ...previous.spread, ...spread }).filter(([key]) => key in spread || !(key in figures)),
  ),
  targets: { ...previous.targets, ...targets },
};
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
console.log('written: bench/results/latest.json');
