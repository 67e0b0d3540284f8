import { spawn, execFile, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openPredictorSupport, openRegistry } from '../../src/platform/public.js';
import { loadPredictor } from '../../src/runtime.js';
import { BIN, statekeep, statekeepInProcess, workspace } from './helpers.js';
import { EXAMPLE, IRIS, IRIS_EARLY } from './pipeline-sequence.js';

vi.setConfig({ testTimeout: 60_000 });

const exec = promisify(execFile);
const LOAD_CLIENT = path.resolve('bench/load-client.js');
const ROW = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };
const INTERVAL = 100;

interface Served {
  url: string;
  child: ChildProcess;
  stderr: () => string;
  exited: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** iris 1.0.0 with generations 1 (early rows), 2 (all rows, fresh) and 3 (all rows again); production → 1. */
async function trainedWorkspace(): Promise<ReturnType<typeof workspace>> {
  const ws = workspace();
  for (const args of [
    ['train', EXAMPLE, '--data', IRIS_EARLY],
    ['train', 'iris', '--data', IRIS, '--fresh'],
    ['train', 'iris', '--data', IRIS],
  ]) {
    const outcome = await statekeepInProcess(args, ws);
    expect(outcome.stderr).not.toMatch(/statekeep:/);
    expect(outcome.code).toBe(0);
  }
  await ws.open().setAlias('iris', 'production', { release: '1.0.0', generation: 1 });
  return ws;
}

/** Starts the built `statekeep serve` on a free port and waits for the URL it prints. */
function serve(ws: { cwd: string; home: string }, args: string[], interval = INTERVAL): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args, '--port', '0', '--interval', String(interval)], {
    cwd: ws.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: ws.home },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      const url = /at (http:\/\/\S+) /.exec(stderr)?.[1];
      if (url !== undefined) resolve({ url, child, stderr: () => stderr, exited });
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before listening: ${stderr}`)));
  });
}

async function call(url: string, init: RequestInit = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as Record<string, unknown> };
}

const post = (body: string, type = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': type },
  body,
});

async function until(condition: () => Promise<boolean>, ms: number): Promise<void> {
  const start = Date.now();
  while (!(await condition())) {
    if (Date.now() - start > ms) throw new Error(`not met within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('a predictor in a program of its own', () => {
  it('opens the registry and the release packages from platform.yaml, and predicts what serve predicts', async () => {
    const ws = await trainedWorkspace();
    const where = { cwd: ws.cwd, home: ws.home, env: {} };
    const registry = await openRegistry(undefined, where);
    try {
      const support = await openPredictorSupport(registry, where);
      const predictor = await loadPredictor(registry, 'iris', { ...support, at: '@production' });
      expect(predictor).toMatchObject({ project: 'iris', release: '1.0.0', generation: 1 });
      expect(await predictor.predict([ROW])).toEqual(['setosa']);
      const latest = await loadPredictor(registry, 'iris', support);
      expect(latest.generation).toBe(3);
    } finally {
      await registry.close();
    }
  });
});

describe('statekeep serve', () => {
  it('answers predictions, health and generation; refuses bad requests with JSON errors and keeps serving', async () => {
    const ws = await trainedWorkspace();
    const served = await serve(ws, ['iris', '@production']);
    expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(served.stderr()).toMatch(
      /^serving iris 1\.0\.0 #1 at http:\/\/127\.0\.0\.1:\d+ \(following @production\)\n/,
    );
    const { url } = served;

    expect(await call(`${url}/predict`, post(JSON.stringify([ROW, ROW])))).toEqual({
      status: 200,
      body: { project: 'iris', release: '1.0.0', generation: 1, predictions: ['setosa', 'setosa'] },
    });
    const csv = 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n';
    expect(await call(`${url}/predict`, post(csv, 'text/csv; charset=utf-8'))).toMatchObject({
      status: 200,
      body: { generation: 1, predictions: ['setosa'] },
    });
    expect(await call(`${url}/health`)).toEqual({
      status: 200,
      body: { status: 'ok', project: 'iris', release: '1.0.0', generation: 1 },
    });
    expect(await call(`${url}/generation`)).toMatchObject({
      status: 200,
      body: { project: 'iris', release: '1.0.0', generation: 1, mode: 'train', column: 'predicted_species' },
    });

    const { petal_width: _, ...missing } = ROW;
    const bad: [string, string | undefined][] = [
      ['{"rows": [', undefined],
      ['', undefined],
      ['{"a": 1}', undefined],
      ['null', undefined],
      ['[1, 2]', undefined],
      [JSON.stringify([{ ...ROW, sepal_length: [1] }]), undefined],
      [JSON.stringify([missing]), undefined],
      [JSON.stringify([{ ...ROW, petal_width: 'wide' }]), undefined],
      ['a,b\n"1,2\n', 'text/csv'],
      ['sepal_length\n1\n', 'text/csv'],
    ];
    for (const [body, type] of bad) {
      const answer = await call(`${url}/predict`, post(body, type));
      expect(answer, body).toMatchObject({ status: 400, body: { code: 'BAD_DATA' } });
      expect(Object.keys(answer.body).sort()).toEqual(['code', 'hint', 'message']);
    }
    expect(
      await call(`${url}/predict`, post(`[${JSON.stringify(ROW)}${`,${JSON.stringify(ROW)}`.repeat(20_000)}]`)),
    ).toMatchObject({
      status: 413,
      body: { code: 'USAGE' },
    });
    // Without a Content-Length (chunked), the limit holds as the body streams in.
    const chunk = new TextEncoder().encode(`${JSON.stringify(ROW)},`.repeat(1000));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 40) controller.enqueue(chunk);
        else controller.close();
      },
    });
    expect(await call(`${url}/predict`, { method: 'POST', body: stream, duplex: 'half' } as RequestInit)).toMatchObject(
      { status: 413, body: { code: 'USAGE' } },
    );
    expect(await call(`${url}/nowhere`)).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
    expect(await call(`${url}/predict`)).toMatchObject({ status: 405, body: { code: 'USAGE' } });
    expect(await call(`${url}/health`)).toMatchObject({ status: 200, body: { generation: 1 } });

    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
  });

  it('refuses rows that each name columns of their own (a sparse body) with 400, and keeps serving', async () => {
    const ws = await trainedWorkspace();
    const served = await serve(ws, ['iris', '@production']);
    // Under the body limit, but 80 000 rows by 80 000 columns once laid out as a table.
    const sparse = `[${Array.from({ length: 80_000 }, (_, i) => `{"c${i}":0}`).join(',')}]`;
    expect(sparse.length).toBeLessThan(1024 * 1024);
    const answer = await call(`${served.url}/predict`, post(sparse));
    expect(answer).toMatchObject({ status: 400, body: { code: 'BAD_DATA' } });
    expect(await call(`${served.url}/health`)).toMatchObject({ status: 200, body: { generation: 1 } });
    served.child.kill('SIGTERM');
    expect(await served.exited).toBe(0);
  });

  it('refuses bad options with a usage error (exit 2)', async () => {
    const ws = await trainedWorkspace();
    for (const args of [
      ['serve', 'iris', '--port', '70000'],
      ['serve', 'iris', '--interval', 'soon'],
      ['serve', 'iris', '@production', '2'],
    ]) {
      const outcome = await statekeep(['--json', ...args], ws);
      expect(outcome.code, args.join(' ')).toBe(2);
      expect(JSON.parse(outcome.stderr).error).toMatchObject({ code: 'USAGE' });
    }
    const missing = await statekeep(['--json', 'serve', 'iris', '@staging'], ws);
    expect(JSON.parse(missing.stderr).error).toMatchObject({ code: 'NOT_FOUND', data: { what: 'alias' } });
  });

  it('follows its alias under load: no failed request, only generations the alias held, never back once it serves the final one', async () => {
    const ws = await trainedWorkspace();
    const interval = 250;
    const served = await serve(ws, ['iris', '@production'], interval);
    const registry = ws.open();
    const load = exec(
      process.execPath,
      [LOAD_CLIENT, `${served.url}/predict`, '8', '350', JSON.stringify([ROW]), '10'],
      {
        maxBuffer: 64 * 2 ** 20,
      },
    );
    // Ten moves, 1 → 2 → 1 …, each held for more than an interval, while generation 3 is the
    // latest but not aliased; then a last move to 3, a target no earlier move had.
    for (let move = 1; move <= 10; move++) {
      await new Promise((resolve) => setTimeout(resolve, interval * 1.2));
      await registry.setAlias('iris', 'production', { release: '1.0.0', generation: move % 2 === 1 ? 2 : 1 });
    }
    await new Promise((resolve) => setTimeout(resolve, interval * 1.2));
    const lastMove = Date.now();
    await registry.setAlias('iris', 'production', { release: '1.0.0', generation: 3 });
    // How soon the swap lands depends on the machine's load, which a test must not time: it is
    // the bench's follow.swap_ms. What must hold is that it lands, and that once one request is
    // answered by the final target, no request started later is answered by an older one.
    await until(async () => (await call(`${served.url}/health`)).body.generation === 3, 60_000);
    const switched = Date.now();
    const after = await Promise.all(
      Array.from(
        { length: 16 },
        async () => (await call(`${served.url}/predict`, post(JSON.stringify([ROW])))).body.generation,
      ),
    );
    expect(after).toEqual(Array(16).fill(3));
    const records = JSON.parse((await load).stdout) as {
      start: number;
      end: number;
      status: number;
      generation?: number;
    }[];
    expect(records).toHaveLength(8 * 350);
    expect(records.filter((r) => r.status !== 200)).toEqual([]);
    expect([...new Set(records.map((r) => r.generation))].every((g) => g === 1 || g === 2 || g === 3)).toBe(true);
    // The alias, not the latest: nothing answered from 3 before the alias moved there.
    expect(records.filter((r) => r.end < lastMove && r.generation === 3)).toEqual([]);
    expect(records.filter((r) => r.start > switched && r.generation !== 3)).toEqual([]);
    expect(served.stderr()).toMatch(/now serving iris 1\.0\.0 #2\n/);
    served.child.kill('SIGINT');
    expect(await served.exited).toBe(0);
  });
});
