// One reading of a data file in a process of its own (bench/data.js): prints its time, the peak
// RSS, the parsed size and their ratio (peak RSS over the RSS before reading ÷ parsed size).
import { readTable } from '../../dist/pipeline/data/read-table.js';

const [file] = process.argv.slice(2);
const before = process.memoryUsage().rss;
const start = performance.now();
const table = await readTable(file);
const ms = performance.now() - start;
// maxRSS is in KiB and covers the whole process, so the reading's share is what it added.
const peak = process.resourceUsage().maxRSS * 1024;
const parsed = table.parsedBytes;
const mib = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
process.stdout.write(
  JSON.stringify({
    rows: table.length,
    ms: Math.round(ms),
    peakRssMiB: mib(peak),
    parsedMiB: mib(parsed),
    ratio: Math.round(((peak - before) / parsed) * 100) / 100,
  }),
);
