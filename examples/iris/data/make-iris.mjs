// Regenerates iris.csv and iris-early.csv from scikit-learn's copy of Fisher's iris data.
// Usage: node examples/iris/data/make-iris.mjs [path/to/sklearn/datasets/data/iris.csv]
// The output is byte-for-byte reproducible: every choice below is fixed or seeded.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const here = (name) => fileURLToPath(new URL(name, import.meta.url));
const source = process.argv[2] ?? here('../../../.venv-mlflow/lib/python3.11/site-packages/sklearn/datasets/data/iris.csv');
const [header, ...lines] = readFileSync(source, 'utf8').trim().split('\n');
const species = header.split(',').slice(2); // "150,4,setosa,versicolor,virginica"
const rows = lines.map((line) => {
  const cells = line.split(',');
  return { values: cells.slice(0, 4), species: species[Number(cells[4])] };
});

// mulberry32, seed 7: the same generator statekeep uses for its own seeded choices.
let a = 7;
const random = () => {
  a = (a + 0x6d2b79f5) >>> 0;
  let t = Math.imul(a ^ (a >>> 15), a | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
for (let i = rows.length - 1; i > 0; i -= 1) {
  const j = Math.floor(random() * (i + 1));
  [rows[i], rows[j]] = [rows[j], rows[i]];
}

// Ten measurements a day from 2024-03-01, so the data arrives in fifteen daily batches.
const day = (i) => new Date(Date.UTC(2024, 2, 1 + Math.floor(i / 10))).toISOString().slice(0, 10);
// Cells left blank on purpose, to exercise the imputer: [row index after shuffling, column].
const BLANKS = [[4, 0], [23, 1], [57, 2], [88, 3], [121, 0], [140, 2]];
for (const [row, column] of BLANKS) rows[row].values[column] = '';

const columns = 'measured_on,sepal_length,sepal_width,petal_length,petal_width,species';
const render = (subset) => `${[columns, ...subset.map((r, i) => [day(i), ...r.values, r.species].join(','))].join('\n')}\n`;
writeFileSync(here('iris.csv'), render(rows));
writeFileSync(here('iris-early.csv'), render(rows.slice(0, 100)));
