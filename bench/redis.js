// node bench/run.js redis: small generations (10 states × 1 KiB, fresh bytes each) committed per
// second by 8 concurrent writers (each its own provider and connection) to one release on a real
// redis-server run durably (appendonly yes, appendfsync always), against the posix provider on
// the same machine and workload in the same run. The server is started here rather than by the
// test harness: benchmarks run plain Node on dist/ and cannot import the TypeScript harness.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PosixProvider } from '../dist/providers/posix/posix-provider.js';
import { RedisProvider } from '../dist/providers/redis/redis-provider.js';
import { Registry } from '../dist/registry/registry.js';
import { MIN_RUNS, ratios, time } from './report.js';

export const name = 'redis';

const WRITERS = 8;
const COMMITS_PER_WRITER = 10;
const STATES = 10;
const STATE_BYTES = 1024;

export async function run() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-bench-redis-'));
  const server = await startServer(dir);
  try {
    const redisRates = [];
    const posixRates = [];
    for (let round = 0; round <= MIN_RUNS; round++) {
      const release = `1.0.${round}`;
      const redis = await commitsPerSecond(
        () => new RedisProvider({ url: `redis://127.0.0.1:${server.port}/0`, prefix: 'bench:' }),
        release,
      );
      const posixRoot = path.join(dir, 'posix');
      const posix = await commitsPerSecond(() => new PosixProvider({ path: posixRoot }), release);
      // Round 0 warms up both (connections, scripts, the file system's caches).
      if (round === 0) continue;
      redisRates.push(redis);
      posixRates.push(posix);
    }
    return {
      'redis.commits_per_s_8': redisRates,
      'redis.posix_commits_per_s_8': posixRates,
      'redis.vs_posix_ratio_8': ratios(redisRates, posixRates),
    };
  } finally {
    server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function commitsPerSecond(open, release) {
  const providers = Array.from({ length: WRITERS }, open);
  const registries = providers.map((provider) => new Registry(provider));
  await registries[0].publishRelease('bench', release, { payload: randomBytes(64) });
  const ms = await time(() =>
    Promise.all(
      registries.map(async (registry) => {
        for (let i = 0; i < COMMITS_PER_WRITER; i++) {
          await registry.commit({
            project: 'bench',
            release,
            mode: 'train',
            parent: null,
            states: Array.from({ length: STATES }, (_, s) => ({
              actor: `actor-${s}`,
              bytes: randomBytes(STATE_BYTES),
              codec: 'raw',
            })),
          });
        }
      }),
    ),
  );
  const count = (await registries[0].generations('bench', release)).length;
  if (count !== WRITERS * COMMITS_PER_WRITER)
    throw new Error(`expected ${WRITERS * COMMITS_PER_WRITER} generations, found ${count}`);
  await Promise.all(registries.map((registry) => registry.close()));
  return (WRITERS * COMMITS_PER_WRITER) / (ms / 1000);
}

async function startServer(dir) {
  const port = await freePort();
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--save',
      '',
      '--logfile',
      '',
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) resolve();
    });
    child.once('error', (error) =>
      reject(new Error(`redis-server could not start (install the Debian package redis-server): ${error.message}`)),
    );
    child.once('exit', (code) => reject(new Error(`redis-server exited during startup (${code}):\n${output}`)));
  });
  child.stdout.resume();
  return { port, stop: () => child.kill('SIGKILL') };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
