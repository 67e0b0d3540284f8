// statekeep serve's HTTP face against a plain node:http server calling the same loaded predictor,
// in the same run: iris, one row per request, 8 concurrent keep-alive clients in a second
// process. Runs alternate between the two servers so both see the same machine. Then
// follow.swap_ms: from an alias move to the first response from the new generation, polling
// every 250 ms. Run alone: node bench/run.js serve
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { CborStateCodec } from '../dist/codec/cbor-state-codec.js';
import { createPredictServer } from '../dist/cli/serve-http.js';
import { readTable } from '../dist/pipeline/data/read-table.js';
import { tableSpec } from '../dist/pipeline/data/columns.js';
import { followPredictor } from '../dist/pipeline/follow.js';
import { Runtime } from '../dist/pipeline/runtime.js';
import { predictorSupport } from '../dist/platform/open-project-code.js';
import { PosixProvider } from '../dist/providers/posix/posix-provider.js';
import { Registry } from '../dist/registry/registry.js';
import { ProjectSource } from '../dist/release/project-source.js';
import { StagingCache } from '../dist/release/staging-cache.js';
import { median } from './report.js';

export const name = 'serve';

export const targets = {
  'serve.overhead_ratio': ['<=', 1.3],
};

const exec = promisify(execFile);
const EXAMPLE = resolve('examples/iris');
const CLIENT = resolve('bench/load-client.js');
const CLIENTS = 8;
const REQUESTS = 400;
const RUNS = 5;
const SWAPS = 6;
const BODY = JSON.stringify([{ sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 }]);

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'statekeep-bench-serve-'));
  const servers = [];
  let follower;
  try {
    const clock = () => new Date();
    const registry = new Registry(new PosixProvider({ path: join(dir, 'registry') }, { instance: 'bench' }));
    const codec = new CborStateCodec({});
    const source = new ProjectSource(registry, new StagingCache(join(dir, 'staging')), clock);
    const runtime = new Runtime(registry, codec, clock);
    const project = await source.fromDirectory(EXAMPLE);
    const data = await readTable(join(EXAMPLE, 'data', 'iris.csv'), tableSpec(project.definition, 'train'));
    await runtime.train({ project, data });
    await runtime.train({ project, data, fresh: true });
    await registry.setAlias('iris', 'production', { release: '1.0.0', generation: 1 });
    follower = await followPredictor(registry, 'iris', {
      ...predictorSupport(codec, source),
      at: '@production',
      intervalMs: 250,
    });
    const serve = await listen(createPredictServer(follower.current), servers);
    const plain = await listen(plainServer(follower.current()), servers);

    const figures = { p50: [], p99: [], rps: [], plainP50: [], plainRps: [], ratio: [] };
    await load(serve);
    await load(plain);
    for (let i = 0; i < RUNS; i++) {
      const a = await load(serve);
      const b = await load(plain);
      figures.p50.push(a.p50);
      figures.p99.push(a.p99);
      figures.rps.push(a.rps);
      figures.plainP50.push(b.p50);
      figures.plainRps.push(b.rps);
      // Throughput is what the 8 clients get: the ratio of the plain server's rate to serve's.
      figures.ratio.push(b.rps / a.rps);
    }
    return {
      'serve.predict_p50_ms': figures.p50,
      'serve.predict_p99_ms': figures.p99,
      'serve.requests_per_s': figures.rps,
      'serve.plain_p50_ms': figures.plainP50,
      'serve.plain_requests_per_s': figures.plainRps,
      'serve.overhead_ratio': figures.ratio,
      'follow.swap_ms': await swaps(registry, serve),
    };
  } finally {
    follower?.close();
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    }
    await rm(dir, { recursive: true, force: true });
  }
}

// What a user would write by hand around a predictor: parse, predict, answer.
function plainServer(predictor) {
  return createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const predictions = await predictor.predict(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ generation: predictor.generation, predictions }));
    });
  });
}

async function listen(server, servers) {
  servers.push(server);
  await new Promise((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${server.address().port}/predict`;
}

async function load(url) {
  const { stdout } = await exec(process.execPath, [CLIENT, url, String(CLIENTS), String(REQUESTS), BODY], {
    maxBuffer: 64 * 2 ** 20,
  });
  const records = JSON.parse(stdout);
  const failed = records.filter((r) => r.status !== 200);
  if (failed.length > 0) throw new Error(`${failed.length} requests failed: ${JSON.stringify(failed[0])}`);
  const latencies = records.map((r) => r.end - r.start).sort((a, b) => a - b);
  const span = Math.max(...records.map((r) => r.end)) - Math.min(...records.map((r) => r.start));
  return {
    p50: median(latencies),
    p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))],
    rps: (records.length / span) * 1000,
  };
}

// From each move to the first answer naming the new generation, asking every 5 ms.
async function swaps(registry, url) {
  const samples = [];
  let generation = 1;
  for (let i = 0; i < SWAPS; i++) {
    generation = generation === 1 ? 2 : 1;
    await registry.setAlias('iris', 'production', { release: '1.0.0', generation });
    const moved = performance.now();
    for (;;) {
      const answer = await (await fetch(url, { method: 'POST', body: BODY })).json();
      if (answer.generation === generation) break;
      await new Promise((done) => setTimeout(done, 5));
    }
    samples.push(performance.now() - moved);
    // Start the next move at a random point of the polling cycle.
    await new Promise((done) => setTimeout(done, 100 + Math.random() * 250));
  }
  return samples;
}
