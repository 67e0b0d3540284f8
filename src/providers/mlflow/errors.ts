import {
  isStatekeepError,
  ProviderError,
  UnauthorizedError,
  UnavailableError,
  type StatekeepError,
} from '../../registry/errors/index.js';
import { CREDENTIALS_HINT } from './options.js';

const PROVIDER = 'mlflow';

/**
 * An MLflow answer other than success that is not about reachability or credentials. Callers
 * branch on `errorCode` (RESOURCE_DOES_NOT_EXIST is a 404 but RESOURCE_ALREADY_EXISTS a 400);
 * whatever they do not expect becomes a ProviderError carrying the server's own words.
 */
export class MlflowApiError extends Error {
  readonly status: number;
  readonly errorCode: string | null;
  readonly detail: string;

  constructor(status: number, errorCode: string | null, detail: string) {
    super(`HTTP ${status}${errorCode === null ? '' : ` ${errorCode}`}: ${detail}`);
    this.name = 'MlflowApiError';
    this.status = status;
    this.errorCode = errorCode;
    this.detail = detail;
  }

  get notFound(): boolean {
    return this.errorCode === 'RESOURCE_DOES_NOT_EXIST';
  }

  get alreadyExists(): boolean {
    return this.errorCode === 'RESOURCE_ALREADY_EXISTS';
  }
}

/**
 * Statuses that mean "not now" rather than "no", retried for idempotent calls. When retries run
 * out, 429, 502, 503 and 504 are UNAVAILABLE; a 500 is MLflow's own failure, PROVIDER with its words.
 */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504]);

/**
 * Turns an unsuccessful answer into the error statekeep reports. The body may be MLflow's JSON,
 * FastAPI's `{detail}`, plain text from the auth app, the security middleware or a proxy, an
 * HTML page, or nothing at all.
 */
export function answerError(target: string, status: number, body: unknown): StatekeepError | MlflowApiError {
  const { errorCode, detail } = readBody(body);
  if (status === 401 || status === 403) {
    const hint = /host header/i.test(detail)
      ? `the server refused the Host header; start it with --allowed-hosts naming the host in ${target}`
      : status === 401
        ? `the server wants valid credentials: ${CREDENTIALS_HINT}`
        : 'the user lacks permission on this experiment or model; ask an MLflow admin for EDIT or MANAGE';
    return new UnauthorizedError({ provider: PROVIDER, target, status }, hint);
  }
  if (status === 429 || status === 502 || status === 503 || status === 504) {
    return new UnavailableError(
      { provider: PROVIDER, target, reason: `HTTP ${status}: ${detail}` },
      'the server (or a proxy in front of it) is overloaded or restarting; try again later',
    );
  }
  return new MlflowApiError(status, errorCode, detail);
}

/** The error a provider method finally throws: statekeep's own errors pass, the rest are PROVIDER. */
export function asStatekeepError(error: unknown, operation: string): StatekeepError {
  if (isStatekeepError(error)) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ProviderError(
    { provider: PROVIDER, operation, detail },
    'the MLflow server answered in a way statekeep did not expect; its log has the cause',
    { cause: error },
  );
}

export function unreachable(target: string, reason: string, cause: unknown): UnavailableError {
  return new UnavailableError(
    { provider: PROVIDER, target, reason },
    `check that the MLflow server at ${target} is running and that uri in platform.yaml (or MLFLOW_TRACKING_URI) points at it`,
    { cause },
  );
}

function readBody(body: unknown): { errorCode: string | null; detail: string } {
  if (typeof body === 'object' && body !== null) {
    const record = body as Record<string, unknown>;
    const errorCode = typeof record.error_code === 'string' ? record.error_code : null;
    const said = record.message ?? record.detail;
    return { errorCode, detail: oneLine(typeof said === 'string' ? said : JSON.stringify(said ?? body)) };
  }
  if (typeof body === 'string' && body.trim() !== '')
    return { errorCode: null, detail: oneLine(body.replace(/<[^>]*>/g, ' ')) };
  return { errorCode: null, detail: '(no body)' };
}

// Server messages can carry SQL, stack traces or whole HTML pages; one readable line is enough.
function oneLine(text: string, max = 400): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
