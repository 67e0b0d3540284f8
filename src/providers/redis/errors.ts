import {
  isStatekeepError,
  ProviderError,
  UnauthorizedError,
  UnavailableError,
  type StatekeepError,
  type UnauthorizedData,
} from '../../registry/errors/index.js';
import { CREDENTIALS_HINT } from './options.js';

const PROVIDER = 'redis';

/** What went wrong with one command, as far as retrying and reporting go. */
export type Failure =
  /** The server could not be reached, or the connection broke: the command may or may not have run. */
  | 'unreachable'
  /** The server answered "not now" (loading its data after a restart, busy with a script): it did not run. */
  | 'busy'
  /** The server refused the credentials or the user's permissions. */
  | 'auth'
  /** Anything else: the server's own answer, or a bug. */
  | 'other';

// Socket and DNS errors that mean "not reached" or "connection lost".
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_SOCKET_CLOSED',
]);

// node-redis's own errors for a socket that is gone, closed or timed out (it names them by class).
const CLIENT_ERRORS = new Set([
  'ConnectionTimeoutError',
  'SocketTimeoutError',
  'SocketClosedUnexpectedlyError',
  'ClientClosedError',
  'ClientOfflineError',
  'DisconnectsClientError',
  'TimeoutError',
  'ReconnectStrategyError',
  'AbortError',
  // The provider's own deadline for an answer (connection.ts).
  'CommandTimeoutError',
]);

/** A reply error's first word: WRONGPASS, NOAUTH, LOADING … */
function replyCode(error: Error): string {
  return /^([A-Z]+)\b/.exec(error.message)?.[1] ?? '';
}

function isReplyError(error: Error): boolean {
  // SimpleError, BlobError and MultiErrorReply all extend ErrorReply.
  let proto: object | null = Object.getPrototypeOf(error);
  while (proto !== null && proto !== Error.prototype) {
    if (proto.constructor?.name === 'ErrorReply') return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}

export function classify(error: unknown): Failure {
  if (!(error instanceof Error)) return 'other';
  if (isReplyError(error)) {
    const code = replyCode(error);
    if (code === 'WRONGPASS' || code === 'NOAUTH' || code === 'NOPERM') return 'auth';
    // Redis without requirepass answers AUTH with "ERR AUTH <password> called without any password configured".
    if (/\bAUTH\b.*without any password configured/i.test(error.message)) return 'auth';
    if (code === 'LOADING' || code === 'BUSY' || code === 'MASTERDOWN' || code === 'TRYAGAIN') return 'busy';
    return 'other';
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return 'unreachable';
  if (CLIENT_ERRORS.has(error.constructor.name)) return 'unreachable';
  const cause = (error as { cause?: unknown }).cause;
  return cause !== undefined && cause !== error ? classify(cause) : 'other';
}

/**
 * Refused credentials. The statekeep error class speaks of HTTP statuses; Redis has none, so the
 * message names the server's reply code instead (status stays 401 or 403 for programs).
 */
export function unauthorized(target: string, error: Error): StatekeepError {
  const code = replyCode(error) || 'ERR';
  const denied = code === 'NOPERM';
  const data: UnauthorizedData = { provider: PROVIDER, target, status: denied ? 403 : 401, reply: code };
  const hint = denied
    ? "the ACL user lacks a permission statekeep needs (keys under the prefix, EVAL/EVALSHA, HSET, HSCAN …); grant it with ACL SETUSER, e.g. '~statekeep:* +@all'"
    : /without any password configured/i.test(error.message)
      ? 'the server has no password (requirepass) but statekeep sent one: remove password from the registry options or url, or set requirepass on the server'
      : code === 'NOAUTH'
        ? `the server requires a password: ${CREDENTIALS_HINT}`
        : `the server refused the username or password: ${CREDENTIALS_HINT}`;
  const made = new UnauthorizedError(data, hint);
  // Redis answers with reply codes, not HTTP statuses: say which one, never what was sent.
  made.message = `${PROVIDER} registry at ${target} ${denied ? 'denied permission' : 'rejected the credentials'} (${code})`;
  return made;
}

export function unavailable(target: string, reason: string, cause?: unknown): UnavailableError {
  return new UnavailableError(
    { provider: PROVIDER, target, reason },
    `check that redis-server at ${target.replace(/ \(prefix .*\)$/, '')} is running and reachable, and that url in platform.yaml points at it`,
    cause === undefined ? undefined : { cause },
  );
}

/** The error a provider method finally throws: statekeep's own errors pass, the rest are PROVIDER. */
export function asStatekeepError(error: unknown, operation: string, target: string): StatekeepError {
  if (isStatekeepError(error)) return error;
  const failure = classify(error);
  if (failure === 'auth') return unauthorized(target, error as Error);
  if (failure === 'unreachable' || failure === 'busy') return unavailable(target, describe(error), error);
  const detail = describe(error);
  const code = error instanceof Error ? replyCode(error) : '';
  const hint =
    code === 'OOM'
      ? "the server is out of memory (maxmemory): raise maxmemory, or remove old releases with statekeep's gc"
      : code === 'READONLY'
        ? 'url names a read-only replica: point it at the primary'
        : code === 'MISCONF'
          ? 'the server cannot write its persistence files; its log says why (disk full, permissions)'
          : code === 'WRONGTYPE'
            ? 'a key under the prefix was written by something other than statekeep: give statekeep a prefix of its own'
            : "the Redis server answered in a way statekeep did not expect; the server's log has the cause";
  return new ProviderError({ provider: PROVIDER, operation, detail }, hint, { cause: error });
}

/** One line of the error's own words; a server's reply or a socket error never holds the password. */
export function describe(error: unknown): string {
  const text = error instanceof Error ? error.message || error.constructor.name : String(error);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
