// node bench/run.js mlflow: commits a generation of 4 × 16 MiB states to a real MLflow server
// through Registry + MlflowProvider, against the Python MLflow client uploading the same four
// files as artifacts of one run (log_artifacts, timed inside Python: the upload only).
// Each round uses fresh bytes, since a commit of states the registry already holds uploads nothing.
// The server is started here rather than by the test harness: benchmarks run plain Node on dist/
// and cannot import the TypeScript harness, so the few lines of launching are repeated below.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Registry } from '../dist/registry/registry.js';
import { digestOf } from '../dist/registry/digest.js';
import { MlflowProvider } from '../dist/providers/mlflow/mlflow-provider.js';
import { medianMs, ratios, time } from './report.js';

export const name = 'mlflow';
export const targets = { 'mlflow.commit_ratio': ['<=', 1.0] };

const VENV = fileURLToPath(new URL('../.venv-mlflow/bin/', import.meta.url));
const STATES = 4;
const STATE_BYTES = 16 * 2 ** 20;
const ROUNDS = 5;

// Creates one run, then for every round directory given on stdin uploads it into that run and
// prints the seconds log_artifacts took.
const PYTHON_UPLOADER = `
import sys, time
from mlflow import MlflowClient
client = MlflowClient(tracking_uri=sys.argv[1])
run = client.create_run(client.create_experiment("python-upload"))
for line in sys.stdin:
    directory, label = line.split()
    start = time.perf_counter()
    client.log_artifacts(run.info.run_id, directory, artifact_path=label)
    print(time.perf_counter() - start, flush=True)
`;

export async function run() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-bench-mlflow-'));
  const server = await startServer(dir);
  const python = spawn(path.join(VENV, 'python'), ['-c', PYTHON_UPLOADER, server.uri], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const answers = lines(python.stdout);
  try {
    const provider = new MlflowProvider({ uri: server.uri, namespace: 'bench' });
    const registry = new Registry(provider);
    await registry.publishRelease('bench', '1.0.0', { payload: randomBytes(1024) });
    const commits = [];
    const uploads = [];
    const blobUploads = [];
    const requestMs = [];
    const requests = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const states = Array.from({ length: STATES }, () => randomBytes(STATE_BYTES));
      const roundDir = path.join(dir, `round-${i}`);
      await mkdir(roundDir);
      await Promise.all(states.map((bytes, s) => writeFile(path.join(roundDir, `state-${s}.bin`), bytes)));
      const sent = counting();
      const commitMs = await time(() =>
        registry.commit({
          project: 'bench',
          release: '1.0.0',
          mode: 'train',
          parent: null,
          states: states.map((bytes, s) => ({ actor: `actor-${s}`, bytes, codec: 'raw' })),
        }),
      );
      const commitRequests = sent.stop();
      // One small metadata request (a search), the unit every round trip of a commit costs.
      const requestMsNow = await medianMs(() => provider.latestGeneration('bench', '1.0.0'), { runs: 5 });
      // The same amount of fresh bytes through the provider's blob upload alone: the share of a
      // commit that does what the Python client does, without the registry's bookkeeping.
      const blobs = Array.from({ length: STATES }, () => randomBytes(STATE_BYTES));
      const blobMs = await time(() =>
        Promise.all(blobs.map((bytes) => provider.writeBlob('bench', digestOf(bytes), bytes))),
      );
      python.stdin.write(`${roundDir} round-${i}\n`);
      const uploadMs = Number(await answers.next()) * 1000;
      await rm(roundDir, { recursive: true });
      // Round 0 warms both sides up (imports, connections, the server's lazy setup).
      if (i > 0) {
        commits.push(commitMs);
        uploads.push(uploadMs);
        blobUploads.push(blobMs);
        requestMs.push(requestMsNow);
        requests.push(commitRequests);
      }
    }
    return {
      'mlflow.commit_ms': commits,
      'mlflow.python_upload_ms': uploads,
      'mlflow.commit_ratio': ratios(commits, uploads),
      'mlflow.blob_upload_ms': blobUploads,
      'mlflow.blob_upload_ratio': ratios(blobUploads, uploads),
      'mlflow.request_ms': requestMs,
      'mlflow.commit_requests': requests,
    };
  } finally {
    python.stdin.end();
    python.kill();
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export async function startServer(dir) {
  const port = await freePort();
  const uri = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    MLFLOW_DISABLE_TELEMETRY: 'true',
    DO_NOT_TRACK: 'true',
    MLFLOW_TRUNCATE_LONG_VALUES: 'false',
    MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
  };
  const args = [
    'server',
    '--backend-store-uri',
    `sqlite:///${path.join(dir, 'mlflow.db')}`,
    '--artifacts-destination',
    path.join(dir, 'artifacts'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    '1',
  ];
  const child = spawn(path.join(VENV, 'mlflow'), args, {
    cwd: dir,
    env,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr.on('data', (chunk) => (log = (log + chunk).slice(-16_384)));
  const group = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // Already gone.
    }
  };
  const deadline = Date.now() + 150_000;
  while (!(await healthy(uri))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      group('SIGKILL');
      throw new Error(`mlflow server did not start:\n${log}`);
    }
    await sleep(250);
  }
  return {
    uri,
    stop: async () => {
      const exited = new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
      group('SIGTERM');
      if (!(await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)]))) group('SIGKILL');
      await exited;
    },
  };
}

async function healthy(uri) {
  try {
    const response = await fetch(`${uri}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
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

/** Counts the HTTP requests this process sends until stop() (the provider's transport uses node:http). */
function counting() {
  const request = http.request;
  let count = 0;
  http.request = (...args) => {
    count += 1;
    return request(...args);
  };
  return {
    stop: () => {
      http.request = request;
      return count;
    },
  };
}

/** The lines a stream prints, one per next(). */
function lines(stream) {
  let buffer = '';
  const waiting = [];
  const ready = [];
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    buffer += chunk;
    for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      const next = waiting.shift();
      if (next) next.resolve(line);
      else ready.push(line);
    }
  });
  stream.on('close', () => {
    for (const next of waiting.splice(0)) next.reject(new Error('the Python uploader exited'));
  });
  return {
    next: () =>
      ready.length > 0
        ? Promise.resolve(ready.shift())
        : new Promise((resolve, reject) => waiting.push({ resolve, reject })),
  };
}
