import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { carriedBytes, chunkStream } from './binary-body.js';
import { RETRY_STATUSES, unreachable } from './errors.js';
import type { MlflowSettings } from './options.js';

// POSTs that set a value rather than create something: sending one twice changes nothing.
// log-batch is among them because statekeep logs only metric points fixed by the manifest
// (key, value, creation time, generation as step), which MLflow de-duplicates.
const IDEMPOTENT_POSTS: ReadonlySet<string> = new Set([
  '/api/2.0/mlflow/model-versions/set-tag',
  '/api/2.0/mlflow/registered-models/alias',
  '/api/2.0/mlflow/runs/update',
  '/api/2.0/mlflow/runs/log-batch',
]);

// Creates whose transaction MLflow rolls back before it answers with an error of its own. After
// such an answer (never after a lost connection or a gateway's 5xx, which may hide a success)
// sending the create again cannot make a second one. Writers racing for version numbers need
// this: the server gives up after three collisions of its own (500), and a database that stays
// locked past sqlite's busy timeout is a 503 TEMPORARILY_UNAVAILABLE, rolled back just the same.
const RETRIED_AFTER_ROLLBACK: ReadonlySet<string> = new Set(['/api/2.0/mlflow/model-versions/create']);

type RetryPolicy = 'always' | 'after-rollback' | 'never';

const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 204, 205, 304]);
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 10_000;
const MAX_RETRY_AFTER_MS = 30_000;

/**
 * The fetch that openapi-fetch calls. Every attempt has a deadline covering the whole exchange,
 * body included; idempotent calls (GET, PUT of an artifact at a fixed path, the POSTs above) are
 * retried with exponential backoff and jitter after a connection error, a timeout, 429 or 5xx;
 * other creates never are, except as said above. A server that stays unreachable is an
 * UnavailableError naming the uri, never a raw TypeError.
 */
export function createTransport(
  settings: Pick<MlflowSettings, 'uri' | 'timeoutMs' | 'retries'>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    const policy = retryPolicy(request);
    // Read once (or taken as it is), sent as often as needed: no copies of a state per attempt.
    const body =
      request.body === null ? null : (carriedBytes(request.body) ?? new Uint8Array(await request.arrayBuffer()));
    for (let attempt = 0; ; attempt++) {
      const more = policy !== 'never' && attempt < settings.retries;
      let response: Response;
      const started = TRACE ? performance.now() : 0;
      try {
        response = await exchange(request, body, settings.timeoutMs);
        if (TRACE) trace(request, body, started, String(response.status));
      } catch (error) {
        if (TRACE) trace(request, body, started, reasonOf(error, settings.timeoutMs));
        if (!more || policy !== 'always') throw unreachable(settings.uri, reasonOf(error, settings.timeoutMs), error);
        await sleep(backoff(attempt, null));
        continue;
      }
      if (more && (policy === 'always' ? RETRY_STATUSES.has(response.status) : await rolledBack(response))) {
        await sleep(backoff(attempt, response.headers.get('retry-after')));
        continue;
      }
      return response;
    }
  };
}

// STATEKEEP_MLFLOW_TRACE=1 prints every exchange to stderr: when it started and ended (ms since
// the transport was loaded), method, path, bytes sent and status. For finding where a commit's
// time goes; it never prints headers or query strings, which may carry credentials or names.
const TRACE = process.env.STATEKEEP_MLFLOW_TRACE === '1';
const TRACE_ORIGIN = performance.now();

function trace(request: Request, body: Uint8Array | null, started: number, outcome: string): void {
  const at = (ms: number): string => (ms - TRACE_ORIGIN).toFixed(1).padStart(9);
  const path = new URL(request.url).pathname.replace(/^.*?(?=\/api\/)/, '');
  process.stderr.write(
    `mlflow-trace ${at(started)} ${at(performance.now())} ${request.method.padEnd(5)} ${path} ${body?.byteLength ?? 0} ${outcome}\n`,
  );
}

export function retryPolicy(request: Request): RetryPolicy {
  // The one PATCH (model-versions/update) sets a description: sending it twice changes nothing.
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'PUT' || request.method === 'PATCH')
    return 'always';
  if (request.method !== 'POST') return 'never';
  const path = new URL(request.url).pathname.replace(/^.*(?=\/api\/2\.0\/)/, '');
  return IDEMPOTENT_POSTS.has(path) ? 'always' : RETRIED_AFTER_ROLLBACK.has(path) ? 'after-rollback' : 'never';
}

// MLflow answers a failed transaction with 500 (INTERNAL_ERROR) or 503 (TEMPORARILY_UNAVAILABLE,
// from its session's OperationalError) after rolling it back.
const ROLLBACK_STATUSES: ReadonlySet<number> = new Set([500, 503]);

/** Whether the answer is MLflow's own report of a rolled-back transaction: a proxy's or gateway's error carries no MLflow JSON. */
export async function rolledBack(response: Response): Promise<boolean> {
  if (!ROLLBACK_STATUSES.has(response.status)) return false;
  const body: unknown = await response
    .clone()
    .json()
    .catch(() => null);
  return typeof body === 'object' && body !== null && typeof (body as { error_code?: unknown }).error_code === 'string';
}

// Node's http module rather than fetch moves large bodies markedly faster (fetch streams them
// through web streams), and openapi-fetch only needs a Response back. Idle connections are
// dropped after 4 s, before servers drop theirs (uvicorn: 5 s), so a create is never sent on
// a connection the server is closing.
const IDLE_MS = 4_000;
const AGENTS = {
  'http:': new http.Agent({ keepAlive: true, timeout: IDLE_MS }),
  'https:': new https.Agent({ keepAlive: true, timeout: IDLE_MS }),
};

function exchange(request: Request, body: Uint8Array | null, timeoutMs: number): Promise<Response> {
  const url = new URL(request.url);
  const headers: Record<string, string> = Object.fromEntries(request.headers);
  if (body !== null) headers['content-length'] = String(body.byteLength);
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? https.request : http.request;
    const outgoing = send(
      url,
      { method: request.method, headers, agent: AGENTS[url.protocol === 'https:' ? 'https:' : 'http:'] },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', fail);
        // The deadline covers the answer's body too: a server that dies mid-answer fails the attempt.
        incoming.on('close', () => {
          if (!incoming.complete) return fail(Object.assign(new Error('the answer broke off'), { code: 'ECONNRESET' }));
          clearTimeout(timer);
          const status = incoming.statusCode ?? 500;
          const answer = NULL_BODY_STATUSES.has(status) || request.method === 'HEAD' ? null : chunkStream(chunks);
          // Response refuses a status outside 200-599, which only a broken proxy sends; inside this
          // listener that refusal would otherwise be an uncaught exception.
          try {
            resolve(
              new Response(answer, {
                status,
                statusText: incoming.statusMessage ?? '',
                headers: headersOf(incoming.headers),
              }),
            );
          } catch (error) {
            reject(error);
          }
        });
      },
    );
    const timer = setTimeout(
      () => outgoing.destroy(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { name: 'TimeoutError' })),
      timeoutMs,
    );
    function fail(error: unknown): void {
      clearTimeout(timer);
      reject(error);
    }
    outgoing.on('error', fail);
    outgoing.end(body ?? undefined);
  });
}

function headersOf(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(raw)) {
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(key, one);
  }
  return headers;
}

function backoff(attempt: number, retryAfter: string | null): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  const delay = ceiling / 2 + (Math.random() * ceiling) / 2;
  const seconds = retryAfter !== null && /^[0-9]+$/.test(retryAfter.trim()) ? Number(retryAfter.trim()) * 1000 : 0;
  return Math.max(delay, Math.min(seconds, MAX_RETRY_AFTER_MS));
}

function reasonOf(error: unknown, timeoutMs: number): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${timeoutMs} ms`;
  const code = (error as { code?: unknown } | null)?.code;
  switch (typeof code === 'string' ? code : undefined) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
    case 'EPIPE':
    case 'UND_ERR_SOCKET':
      return 'the connection broke off';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      return 'connecting timed out';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}
