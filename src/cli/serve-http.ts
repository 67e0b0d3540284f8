import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { parseCsv } from '../pipeline/data/csv.js';
import { ANY_TABLE } from '../pipeline/data/table.js';
import type { Predictor } from '../pipeline/predictor.js';
import { BadDataError, isStatekeepError, UsageError } from '../registry/errors/index.js';

/** Default --max-body: a megabyte of rows. */
export const DEFAULT_MAX_BODY = 1024 * 1024;

/** Statuses by error code: what the client sent is 4xx, everything else is the server's 5xx. */
const CLIENT_CODES = new Set(['BAD_DATA', 'USAGE', 'INVALID_NAME']);

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: { code: string; message: string; hint: string },
  ) {
    super(body.message);
  }
}

/**
 * The HTTP face of a predictor: POST /predict (JSON rows or CSV), GET /health, GET /generation.
 * Each request takes current() once, so it is answered by one whole generation even while a
 * new one is swapped in. Whatever a client sends ends in a JSON answer, never in a crash.
 */
export function createPredictServer(current: () => Predictor, options: { maxBody?: number } = {}): Server {
  const maxBody = options.maxBody ?? DEFAULT_MAX_BODY;
  const server = createServer((req, res) => {
    handle(req, res, current, maxBody).catch((error: unknown) => answerError(res, error));
  });
  // A malformed request line or headers: answer 400 if the socket still takes it.
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  return server;
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  current: () => Predictor,
  maxBody: number,
): Promise<void> {
  const route = (req.url ?? '/').split('?')[0];
  const routes: Record<string, string> = { '/predict': 'POST', '/health': 'GET', '/generation': 'GET' };
  const method = routes[route ?? ''];
  if (method === undefined) {
    req.resume();
    return answer(res, 404, { code: 'NOT_FOUND', message: `no route ${route}`, hint: ROUTES_HINT });
  }
  if (req.method !== method) {
    req.resume();
    res.setHeader('Allow', method);
    return answer(res, 405, {
      code: 'USAGE',
      message: `${route} takes ${method}, not ${req.method}`,
      hint: ROUTES_HINT,
    });
  }
  const predictor = current();
  const held = { project: predictor.project, release: predictor.release, generation: predictor.generation };
  if (route === '/health') return answer(res, 200, { status: 'ok', ...held });
  if (route === '/generation') {
    const m = predictor.manifest;
    return answer(res, 200, {
      ...held,
      mode: m.mode,
      created: m.created,
      metrics: m.metrics,
      column: predictor.column,
    });
  }
  const body = await readBody(req, maxBody);
  const rows = parseRows(body, req.headers['content-type'] ?? '');
  const predictions = await predictor.predict(rows);
  return answer(res, 200, { ...held, predictions });
}

const ROUTES_HINT = 'POST /predict with JSON rows or CSV; GET /health; GET /generation';

// A body over the limit is read to its end and dropped, so the client gets its 413 instead of a
// broken pipe; one that keeps going past DRAIN_FACTOR times the limit loses its connection.
const DRAIN_FACTOR = 8;

function readBody(req: IncomingMessage, maxBody: number): Promise<string> {
  const tooLarge = new HttpFailure(413, {
    code: 'USAGE',
    message: `the request body is over ${maxBody} bytes`,
    hint: 'send fewer rows per request, or start serve with a larger --max-body',
  });
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBody * DRAIN_FACTOR) {
      req.socket.destroy();
      return reject(tooLarge);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBody) chunks.push(chunk);
      else if (size > maxBody * DRAIN_FACTOR) {
        req.socket.destroy();
        reject(tooLarge);
      } else chunks.length = 0;
    });
    req.on('end', () => (size > maxBody ? reject(tooLarge) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });
}

function parseRows(body: string, contentType: string): unknown[] {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'text/csv') return csvRows(body);
  let rows: unknown;
  try {
    rows = JSON.parse(body);
  } catch (error) {
    throw new BadDataError(
      { file: 'request', problem: `the body is not JSON (${(error as Error).message.split('\n')[0]})` },
      'send a JSON list of rows, e.g. [{ "petal_length": 1.4, … }], or CSV with Content-Type: text/csv',
    );
  }
  if (!Array.isArray(rows))
    throw new BadDataError(
      { file: 'request', problem: `the body is a JSON ${rows === null ? 'null' : typeof rows}, not a list of rows` },
      'send a JSON list of rows, e.g. [{ "petal_length": 1.4, … }]',
    );
  return rows;
}

function csvRows(body: string): unknown[] {
  const table = parseCsv(body, 'request', ANY_TABLE);
  return table.rows.map((row) => Object.fromEntries(table.columns.map((c, i) => [c, row[i] ?? null])));
}

function answerError(res: ServerResponse, error: unknown): void {
  if (error instanceof HttpFailure) return answer(res, error.status, error.body);
  if (isStatekeepError(error)) {
    const status = CLIENT_CODES.has(error.code) ? 400 : 500;
    return answer(res, status, { code: error.code, message: error.message, hint: error.hint });
  }
  answer(res, 500, {
    code: 'INTERNAL',
    message: `internal error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    hint: 'this is a bug in statekeep; report it with the request that caused it',
  });
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** Checks a whole-number option of serve. */
export function wholeOption(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max)
    throw new UsageError(
      `${flag} ${text} is not a whole number from ${min} to ${max}`,
      `give ${flag} a number from ${min} to ${max}`,
      {
        argument: flag,
      },
    );
  return value;
}
