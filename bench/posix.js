// The posix provider against the machine's own limits: a large commit against writing and
// fsyncing the same bytes to plain files, a large verified read against plain reads of the same
// files, small commits, and "latest" in a short and in a 10,000-generation release.
// Ratios pair each measurement with its baseline taken right before it, because the disk and
// the CPUs are shared and drift within a run. Run alone: node bench/run.js posix
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from '../dist/registry/registry.js';
import { encodeManifest } from '../dist/registry/manifest.js';
import { digestOf } from '../dist/registry/digest.js';
import { PosixProvider } from '../dist/providers/posix/posix-provider.js';
import { Layout } from '../dist/providers/posix/layout.js';
import { medianMs, ratios, samplesMs, time } from './report.js';

export const name = 'posix';

export const targets = {
  'posix.commit_large_ratio': ['<=', 1.3],
  'posix.latest_ratio': ['<=', 2],
  'posix.read_large_ratio': ['<=', 1.5],
};

const LARGE_STATES = 4;
const LARGE_BYTES = 64 * 2 ** 20;
const LARGE_RUNS = 5;

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'statekeep-bench-posix-'));
  try {
    const registry = new Registry(new PosixProvider({ path: join(dir, 'registry') }, { instance: 'bench' }));
    await registry.publishRelease('bench', '1.0.0', { payload: randomBytes(1024) });
    return {
      ...(await large(registry, dir)),
      ...(await small(registry)),
      ...(await latest(registry, dir)),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function large(registry, dir) {
  const states = Array.from({ length: LARGE_STATES }, () => randomBytes(LARGE_BYTES));
  const commits = [];
  const writes = [];
  const hashes = [];
  let manifest;
  for (let i = 0; i < LARGE_RUNS + 1; i++) {
    // Fresh content every run, or the registry would (rightly) skip blobs it already holds.
    for (const bytes of states) bytes.writeUInt32LE(i, 0);
    // New files every run, kept until the end: writing into blocks just freed by a delete costs
    // up to 4× more here (the file system is mounted with discard), which would flatter the ratio.
    const paths = states.map((_, k) => join(dir, `plain-${i}-${k}`));
    const plain = await time(() => writePlain(paths, states));
    const commit = await time(async () => {
      manifest = await registry.commit({
        project: 'bench',
        release: '1.0.0',
        mode: 'train',
        parent: null,
        states: states.map((bytes, a) => ({ actor: `a${a}`, bytes, codec: 'raw' })),
      });
    });
    const hash = await time(() => states.map(digestOf));
    if (i > 0) {
      writes.push(plain);
      commits.push(commit);
      hashes.push(hash);
    }
  }
  // The last generation's blobs, read as plain files and through the registry (load + verify).
  const layout = new Layout(registry.descriptor.target);
  const files = manifest.states.map((s) => layout.blob('bench', s.digest));
  const reads = [];
  const syncReads = [];
  const loads = [];
  const floors = [];
  const readCpu = [];
  const hashCpu = [];
  for (let i = 0; i < LARGE_RUNS + 1; i++) {
    // Read at once, as readStates reads them; and one after another, the simplest plain read.
    let cpu = process.cpuUsage();
    let read;
    const readMs = await time(async () => (read = await Promise.all(files.map((f) => readFile(f)))));
    const readCpuMs = cpuMs(cpu);
    cpu = process.cpuUsage();
    read.map(digestOf);
    const hashCpuMs = cpuMs(cpu);
    read = null;
    const syncRead = await time(() => files.map((f) => readFileSync(f)));
    const load = await time(() => registry.readStates(manifest));
    if (i > 0) {
      reads.push(readMs);
      syncReads.push(syncRead);
      loads.push(load);
      readCpu.push(readCpuMs);
      hashCpu.push(hashCpuMs);
      // A verified read does the plain read's CPU work and the hash's: spread perfectly over
      // every core it still takes (read + hash CPU) / cores, which no design goes under.
      floors.push(Math.max(readMs, (readCpuMs + hashCpuMs) / os.availableParallelism()) / readMs);
    }
  }
  return {
    'posix.baseline_write_ms': writes,
    'posix.commit_large_ms': commits,
    'posix.commit_large_ratio': ratios(commits, writes),
    'posix.baseline_read_ms': reads,
    'posix.baseline_read_sync_ms': syncReads,
    'posix.read_large_ms': loads,
    'posix.read_large_ratio': ratios(loads, reads),
    'posix.read_large_ratio_sync': ratios(loads, syncReads),
    // CPU time of the plain parallel reads (every thread of the process) and of hashing what
    // they read, and the ratio that CPU time alone forces on this machine's cores.
    'posix.baseline_read_cpu_ms': readCpu,
    'posix.hash_large_cpu_ms': hashCpu,
    'posix.read_large_floor_ratio': floors,
    // SHA-256 of the same 256 MiB on one core: both a commit and a verified load must do it, so
    // (hash + the last blob's write) / baseline is a floor no single-thread design goes under.
    'posix.hash_large_ms': hashes,
  };
}

function cpuMs(since) {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

/** The disk's limit: the same bytes into new plain files, each written and fsynced, all at once. */
async function writePlain(paths, states) {
  await Promise.all(
    states.map(async (bytes, i) => {
      const handle = await open(paths[i], 'w');
      try {
        await handle.write(bytes, 0, bytes.length, 0);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }),
  );
}

async function small(registry) {
  const ms = await samplesMs(
    () =>
      registry.commit({
        project: 'bench',
        release: '1.0.0',
        mode: 'train',
        parent: null,
        states: Array.from({ length: 10 }, (_, a) => ({ actor: `s${a}`, bytes: randomBytes(1024), codec: 'raw' })),
      }),
    { runs: 31, warmup: 3 },
  );
  return { 'posix.commit_small_ms': ms };
}

async function latest(registry, dir) {
  const provider = new PosixProvider({ path: join(dir, 'registry') }, { instance: 'bench-latest' });
  await registry.publishRelease('bench', '2.0.0', { payload: randomBytes(1024) });
  await registry.publishRelease('bench', '3.0.0', { payload: randomBytes(1024) });
  await fill(provider, '2.0.0', 10);
  await fill(provider, '3.0.0', 10_000);
  if ((await registry.latest('bench', '2.0.0')) !== 10 || (await registry.latest('bench', '3.0.0')) !== 10_000) {
    throw new Error('latest resolved to the wrong generation');
  }
  // Alternate the two so drift in the machine's load falls on both alike.
  const short = [];
  const long = [];
  for (let pass = 0; pass < 20; pass++) {
    short.push(await medianMs(() => registry.latest('bench', '2.0.0'), { runs: 25, warmup: 5 }));
    long.push(await medianMs(() => registry.latest('bench', '3.0.0'), { runs: 25, warmup: 5 }));
  }
  return {
    'posix.latest_ms_10': short,
    'posix.latest_ms_10000': long,
    'posix.latest_ratio': ratios(long, short),
  };
}

/** Publishes `count` real generations through the provider, as commits would (no states). */
async function fill(provider, release, count) {
  const created = new Date().toISOString();
  const environment = { statekeep: 'bench', node: process.version };
  for (let i = 0; i < count; i++) {
    await provider.publishGeneration('bench', release, (generation) =>
      encodeManifest({
        format: 1,
        project: 'bench',
        release,
        generation,
        parent: null,
        mode: 'train',
        created,
        training: null,
        tuning: null,
        metrics: {},
        environment,
        rollbackOf: null,
        package: null,
        states: [],
      }),
    );
  }
}
