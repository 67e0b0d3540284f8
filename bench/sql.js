// node bench/run.js sql: the sql provider (PostgreSQL metadata; blobs in a directory or in S3 on
// moto's server) against the MLflow provider on the same machine in the same run, and against
// lib-storage alone.
// - sql.commits_per_s_{1,8,32}: generations of 10 states × 1 KiB (fresh bytes) committed per
//   second by 1, 8 and 32 concurrent writers (one Registry each, one process), with the posix
//   artifact store: bytes on the local disk, as the MLflow server's artifact store keeps them.
//   sql.mlflow_commits_per_s_8: the same through the MLflow provider; sql.vs_mlflow_ratio_8 the
//   quotient, sample by sample (measured alternately). sql.s3_commits_per_s_8: sql with the S3
//   store on moto, whose Python server bounds it.
// - sql.s3_commit_large_ratio: one commit of 4 × 64 MiB states through sql + S3, over four
//   lib-storage Uploads of the same bytes at once (the same part size and queue).
// - sql.s3_peak_rss_mib: peak RSS of a fresh process committing one 512 MiB state to sql + S3
//   (3 runs; the state itself is 512 MiB of it). sql.s3_rss_before_commit_mib: its RSS just before.
// PostgreSQL (initdb, run as the postgres user when root) and moto (.venv-s3, which the test
// setup creates from test/support/s3-requirements.txt) are started here: benchmarks run plain
// Node on dist/ and cannot import the TypeScript harness.
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Registry } from '../dist/registry/registry.js';
import { MlflowProvider } from '../dist/providers/mlflow/mlflow-provider.js';
import { SqlProvider } from '../dist/providers/sql/sql-provider.js';
import { startServer as startMlflow } from './mlflow.js';
import { ratios, time } from './report.js';

const run_ = promisify(execFile);
// As the provider does: no SDK warning about Node versions on this bench's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export const name = 'sql';
export const targets = {
  'sql.vs_mlflow_ratio_8': ['>=', 10],
  'sql.s3_commit_large_ratio': ['<=', 1.2],
};

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MOTO = path.join(ROOT, '.venv-s3', 'bin', 'moto_server');
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench-secret' };
const SAMPLES = 5;
const SMALL_STATES = 10;
const SMALL_BYTES = 1024;
const LARGE_STATES = 4;
const LARGE_BYTES = 64 * 2 ** 20;
const PEAK_BYTES = 512 * 2 ** 20;
const PEAK_RUNS = 3;

export async function run() {
  if (!existsSync(MOTO))
    throw new Error('.venv-s3 is missing: run the sql tests once (npm test creates it) before this benchmark');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-bench-sql-'));
  const stops = [];
  try {
    const pg = await startPostgres();
    stops.push(pg.stop);
    const s3 = await startMoto();
    stops.push(s3.stop);
    const mlflow = await startMlflow(path.join(dir));
    stops.push(mlflow.stop);
    await createBucket(s3.endpoint, 'bench');

    let schemas = 0;
    const sqlOptions = (store) => ({
      url: pg.url,
      schema: `bench_${++schemas}`,
      maxConnections: 40,
      artifacts:
        store === 's3'
          ? { store: 's3', bucket: 'bench', prefix: `b${schemas}/`, endpoint: s3.endpoint, ...CREDENTIALS }
          : { store: 'posix', path: path.join(dir, `blobs-${schemas}`) },
    });

    const out = {};
    const progress = (line) => process.stderr.write(`  sql: ${line}\n`);
    for (const writers of [1, 8, 32]) {
      progress(`commits/s with ${writers} writers (posix store)`);
      const provider = new SqlProvider(sqlOptions('posix'));
      out[`sql.commits_per_s_${writers}`] = await commitRates(provider, writers);
      await provider.close();
    }
    progress('commits/s with 8 writers (s3 store)');
    const onS3 = new SqlProvider(sqlOptions('s3'));
    out['sql.s3_commits_per_s_8'] = await commitRates(onS3, 8);
    await onS3.close();
    // The pair for the ratio: sql and MLflow measured alternately, sample by sample.
    progress('sql against MLflow, 8 writers');
    const sql8 = [];
    const mlflow8 = [];
    const sqlProvider = new SqlProvider(sqlOptions('posix'));
    const mlflowProvider = new MlflowProvider({ uri: mlflow.uri, namespace: 'bench-sql' });
    const sqlSampler = await commitSampler(sqlProvider, 8, 'sql');
    // MLflow takes seconds per generation here: fewer commits per sample, the same writers.
    const mlflowSampler = await commitSampler(mlflowProvider, 8, 'mlflow', 16);
    await sqlSampler();
    await mlflowSampler();
    for (let i = 0; i < SAMPLES; i++) {
      sql8.push(await sqlSampler());
      mlflow8.push(await mlflowSampler());
    }
    await sqlProvider.close();
    await mlflowProvider.close?.();
    out['sql.mlflow_commits_per_s_8'] = mlflow8;
    out['sql.vs_mlflow_ratio_8'] = ratios(sql8, mlflow8);

    progress('4 × 64 MiB through sql + S3 against lib-storage alone');
    Object.assign(out, await largeCommits(new SqlProvider(sqlOptions('s3')), s3.endpoint));
    progress('peak RSS committing 512 MiB to sql + S3');
    const peaks = [];
    const before = [];
    for (let i = 0; i < PEAK_RUNS; i++) {
      const { peak, start } = await peakRss(sqlOptions('s3'));
      peaks.push(peak);
      before.push(start);
    }
    out['sql.s3_peak_rss_mib'] = peaks;
    out['sql.s3_rss_before_commit_mib'] = before;
    return out;
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** SAMPLES commit rates (generations per second) of `writers` concurrent writers, after a warm-up. */
async function commitRates(provider, writers) {
  const sample = await commitSampler(provider, writers, 'rate');
  await sample();
  const rates = [];
  for (let i = 0; i < SAMPLES; i++) rates.push(await sample());
  return rates;
}

/** A function that runs one sample: each of `writers` Registries commits in a loop; returns commits/s. */
async function commitSampler(provider, writers, label, total = 48) {
  const release = `1.0.${Math.floor(Math.random() * 1e6)}`;
  const project = `bench-${label}`;
  await new Registry(provider).publishRelease(project, release, { payload: randomBytes(256) });
  const registries = Array.from({ length: writers }, () => new Registry(provider));
  const perWriter = Math.max(2, Math.ceil(total / writers));
  return async () => {
    const ms = await time(() =>
      Promise.all(
        registries.map(async (registry) => {
          for (let i = 0; i < perWriter; i++)
            await registry.commit({
              project,
              release,
              mode: 'train',
              parent: null,
              states: Array.from({ length: SMALL_STATES }, (_, s) => ({
                actor: `actor-${s}`,
                bytes: randomBytes(SMALL_BYTES),
                codec: 'raw',
              })),
            });
        }),
      ),
    );
    return (writers * perWriter) / (ms / 1000);
  };
}

/** 4 × 64 MiB through sql + S3, against four lib-storage Uploads of the same bytes, alternately. */
async function largeCommits(provider, endpoint) {
  const { S3Client } = await import('@aws-sdk/client-s3');
  const { Upload } = await import('@aws-sdk/lib-storage');
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { ...CREDENTIALS },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const registry = new Registry(provider);
  await registry.publishRelease('large', '1.0.0', { payload: randomBytes(256) });
  const commits = [];
  const uploads = [];
  try {
    for (let i = 0; i <= SAMPLES; i++) {
      const states = Array.from({ length: LARGE_STATES }, () => randomBytes(LARGE_BYTES));
      const uploadMs = await time(() =>
        Promise.all(
          states.map((bytes, s) =>
            new Upload({
              client,
              params: { Bucket: 'bench', Key: `plain/${i}/${s}`, Body: bytes },
              partSize: LARGE_BYTES,
              queueSize: 4,
            }).done(),
          ),
        ),
      );
      const commitMs = await time(() =>
        registry.commit({
          project: 'large',
          release: '1.0.0',
          mode: 'train',
          parent: null,
          states: states.map((bytes, s) => ({ actor: `actor-${s}`, bytes, codec: 'raw' })),
        }),
      );
      // Round 0 warms up connections and the server.
      if (i > 0) {
        commits.push(commitMs);
        uploads.push(uploadMs);
      }
    }
  } finally {
    client.destroy();
    await provider.close();
  }
  return {
    'sql.s3_commit_large_ms': commits,
    'sql.s3_upload_large_ms': uploads,
    'sql.s3_commit_large_ratio': ratios(commits, uploads),
  };
}

/** A fresh Node process commits one 512 MiB state; returns its peak RSS and its RSS before the commit, in MiB. */
async function peakRss(options) {
  const script = `
    import { randomFillSync } from 'node:crypto';
    import { Registry } from ${JSON.stringify(new URL('../dist/registry/registry.js', import.meta.url).href)};
    import { SqlProvider } from ${JSON.stringify(new URL('../dist/providers/sql/sql-provider.js', import.meta.url).href)};
    const provider = new SqlProvider(${JSON.stringify(options)});
    const registry = new Registry(provider);
    await registry.publishRelease('peak', '1.0.0', { payload: new Uint8Array(256) });
    const state = randomFillSync(Buffer.allocUnsafeSlow(${PEAK_BYTES}));
    const start = process.memoryUsage().rss;
    await registry.commit({ project: 'peak', release: '1.0.0', mode: 'train', parent: null,
      states: [{ actor: 'big', bytes: state, codec: 'raw' }] });
    await provider.close();
    console.log(JSON.stringify({ start: start / 2 ** 20, peak: process.resourceUsage().maxRSS / 1024 }));
  `;
  const { stdout } = await run_(process.execPath, ['--input-type=module', '-e', script], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').at(-1));
}

async function createBucket(endpoint, bucket) {
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { ...CREDENTIALS } });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
}

async function startMoto() {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(MOTO, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await (await fetch(`${endpoint}/moto-api/`)).arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) throw new Error('moto_server did not start');
      await sleep(200);
    }
  }
  return {
    endpoint,
    stop: async () => {
      child.kill('SIGKILL');
    },
  };
}

async function startPostgres() {
  const asRoot = process.getuid?.() === 0;
  const as = (cmd, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  // A directory of its own: the postgres user must be able to reach it.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-bench-pg-'));
  if (asRoot) {
    const uid = Number((await run_('id', ['-u', 'postgres'])).stdout);
    const gid = Number((await run_('id', ['-g', 'postgres'])).stdout);
    await chown(dir, uid, gid);
  }
  const password = randomBytes(8).toString('hex');
  const pwfile = path.join(dir, 'pw');
  await writeFile(pwfile, password);
  if (asRoot) await run_('chown', ['postgres', pwfile]);
  const data = path.join(dir, 'data');
  const [initCmd, initArgs] = as('initdb', [
    '-D',
    data,
    '-U',
    'bench',
    `--pwfile=${pwfile}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--no-sync',
  ]);
  await run_(initCmd, initArgs);
  const port = await freePort();
  // PostgreSQL's defaults (fsync on, synchronous_commit on): every commit is durable.
  const [cmd, args] = as('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'max_connections=200',
  ]);
  const child = spawn(cmd, args, { stdio: 'ignore' });
  const url = `postgres://bench:${password}@127.0.0.1:${port}/postgres`;
  const { default: pg } = await import('pg');
  const deadline = Date.now() + 60_000;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      break;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error('postgres did not start');
      await sleep(200);
    }
  }
  return {
    url,
    stop: async () => {
      // A fast shutdown through the postmaster (SIGINT), which takes its backends along.
      try {
        const pid = Number(
          (await import('node:fs')).readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0],
        );
        process.kill(pid, 'SIGINT');
      } catch {
        child.kill('SIGKILL');
      }
      await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}
