// npm run bench: runs every benchmark module, prints a table, writes bench/results/latest.json.
// Each module exports `name`, optional `targets` ({ key: [op, limit] }) and `run()` returning
// { key: number } figures. Run one module: node bench/run.js posix
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';

const MODULES = ['posix', 'codec', 'mlflow'];
const only = process.argv.slice(2);

const figures = {};
const targets = {};
for (const name of MODULES) {
  if (only.length > 0 && !only.includes(name)) continue;
  let mod;
  try {
    mod = await import(`./${name}.js`);
  } catch (error) {
    if (error?.code === 'ERR_MODULE_NOT_FOUND' && String(error.message).includes(`bench/${name}.js`)) continue;
    throw error;
  }
  process.stdout.write(`running ${name} …\n`);
  Object.assign(figures, await mod.run());
  Object.assign(targets, mod.targets ?? {});
}

const rows = Object.entries(figures).map(([key, value]) => {
  const target = targets[key];
  const verdict =
    target === undefined
      ? ''
      : (target[0] === '<=' ? value <= target[1] : value >= target[1])
        ? `ok (${target[0]} ${target[1]})`
        : `MISSED (${target[0]} ${target[1]})`;
  return [key, String(value), verdict];
});
const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), 6));
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
  },
  figures: { ...previous.figures, ...figures },
  targets: { ...previous.targets, ...targets },
};
await mkdir(new URL('./results/', import.meta.url), { recursive: true });
await writeFile(new URL('./results/latest.json', import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
console.log('written: bench/results/latest.json');
