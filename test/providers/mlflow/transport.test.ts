import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createTransport, retryPolicy, rolledBack } from '../../../src/providers/mlflow/transport.js';

const BASE = 'http://127.0.0.1:5000/behind/a/proxy';
const call = (method: string, path: string) =>
  new Request(`${BASE}${path}`, method === 'GET' ? { method } : { method, body: '{}' });

describe('mlflow transport', () => {
  it('retries reads, uploads to a fixed path and POSTs that only set a value, whatever base path the server has', () => {
    expect(retryPolicy(call('GET', '/api/2.0/mlflow/registered-models/search?filter=x'))).toBe('always');
    expect(retryPolicy(call('PUT', '/api/2.0/mlflow-artifacts/artifacts/3/blobs/sha256/ab/abcd'))).toBe('always');
    for (const path of ['model-versions/set-tag', 'registered-models/alias', 'runs/update', 'runs/log-batch']) {
      expect(retryPolicy(call('POST', `/api/2.0/mlflow/${path}`))).toBe('always');
    }
  });

  it('never resends a create or a delete, except a version create that MLflow says it rolled back', async () => {
    for (const path of ['experiments/create', 'runs/create', 'registered-models/create', 'runs/delete']) {
      expect(retryPolicy(call('POST', `/api/2.0/mlflow/${path}`))).toBe('never');
    }
    expect(retryPolicy(call('DELETE', '/api/2.0/mlflow/model-versions/delete'))).toBe('never');
    expect(retryPolicy(call('POST', '/api/2.0/mlflow/model-versions/create'))).toBe('after-rollback');

    const answer = (status: number, body: string) => new Response(body, { status });
    // MLflow's own errors: three lost races for a number (500), a database locked too long (503).
    expect(
      await rolledBack(answer(500, '{"error_code": "INTERNAL_ERROR", "message": "Giving up after 3 attempts."}')),
    ).toBe(true);
    expect(
      await rolledBack(answer(503, '{"error_code": "TEMPORARILY_UNAVAILABLE", "message": "database is locked"}')),
    ).toBe(true);
    // A gateway's answer may hide a create that happened; so may a refusal MLflow did not roll back.
    expect(await rolledBack(answer(502, '{"error_code": "BAD_GATEWAY"}'))).toBe(false);
    expect(await rolledBack(answer(503, '<html>Service Unavailable</html>'))).toBe(false);
    expect(await rolledBack(answer(500, ''))).toBe(false);
    expect(await rolledBack(answer(400, '{"error_code": "INVALID_PARAMETER_VALUE"}'))).toBe(false);
  });

  it("turns an answer no Response can hold (a broken proxy's status 600) into UNAVAILABLE instead of an uncaught exception", async () => {
    const proxy = createServer((socket) =>
      socket.once('data', () => socket.end('HTTP/1.1 600 Odd\r\nContent-Length: 0\r\n\r\n')),
    );
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const address = proxy.address();
      const uri = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
      const send = createTransport({ uri, timeoutMs: 5_000, retries: 0 });
      await expect(send(new Request(`${uri}/api/2.0/mlflow/registered-models/get?name=x`))).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        data: { target: uri },
      });
    } finally {
      proxy.close();
    }
  });
});
