// Reading a large data file: 1 million rows × 10 columns (six numbers with missing cells, three
// text columns of few categories, one boolean) as CSV. Each reading runs in a fresh process, so
// that its peak RSS is the reading's own: the figure is the peak over the process's RSS before it
// read, against the size of the parsed values (8 bytes a number, 4 bytes a text code plus the
// dictionary, 1 byte a boolean).
// Run alone: node bench/run.js data
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export const name = 'data';

export const targets = {
  // The bound: reading stays under 4× the size of the parsed values.
  'data.read_1m_rss_ratio': ['<=', 4],
};

const ROWS = 1_000_000;
const RUNS = 5;
const ISLANDS = ['Biscoe', 'Dream', 'Torgersen'];
const SEXES = ['FEMALE', 'MALE'];
const COLOURS = ['red', 'green', 'blue', 'amber', 'violet', 'teal', 'ochre', 'grey'];

function makeCsv() {
  let s = 7;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
  const parts = ['a,b,c,d,e,f,island,sex,colour,flag\n'];
  for (let r = 0; r < ROWS; r++) {
    const cells = [];
    for (let c = 0; c < 6; c++) cells.push(next() < 0.01 ? '' : (next() * 1000).toFixed(2));
    cells.push(ISLANDS[Math.floor(next() * 3)], next() < 0.03 ? '' : SEXES[Math.floor(next() * 2)]);
    cells.push(COLOURS[Math.floor(next() * 8)], next() < 0.5 ? 'true' : 'false');
    parts.push(`${cells.join(',')}\n`);
  }
  return parts.join('');
}

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'statekeep-bench-data-'));
  try {
    const file = join(dir, 'rows.csv');
    const text = makeCsv();
    await writeFile(file, text);
    const child = new URL('./children/read-table.js', import.meta.url).pathname;
    const ms = [];
    const peak = [];
    const ratio = [];
    let parsed = 0;
    for (let i = 0; i < RUNS; i++) {
      const { stdout } = await exec(process.execPath, [child, file], { maxBuffer: 1 << 20 });
      const result = JSON.parse(stdout);
      if (result.rows !== ROWS) throw new Error(`read ${result.rows} rows, not ${ROWS}`);
      ms.push(result.ms);
      peak.push(result.peakRssMiB);
      ratio.push(result.ratio);
      parsed = result.parsedMiB;
    }
    return {
      'data.read_1m_ms': ms,
      'data.read_1m_peak_rss_mib': peak,
      'data.read_1m_rss_ratio': ratio,
      'data.read_1m_parsed_mib': parsed,
      'data.read_1m_file_mib': Math.round((text.length / 2 ** 20) * 10) / 10,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
