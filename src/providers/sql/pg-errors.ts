import {
  ConfigError,
  isStatekeepError,
  ProviderError,
  UnauthorizedError,
  UnavailableError,
  type StatekeepError,
} from '../../registry/errors/index.js';

/** Where the database is, for messages: the URL without its password. */
export interface DatabaseSite {
  target: string;
  /** Every spelling of the password (as written, decoded), cut out of whatever a message quotes. */
  secrets: readonly string[];
}

// Socket failures: the server is down, restarting, or the network between is.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

// node-postgres says a connection died in words, not codes.
const LOST =
  /connection terminated|connection error|not queryable|timeout exceeded when trying to connect|connection timeout|server closed the connection|socket hang up/i;

/**
 * SQLSTATEs that mean "not now": the connection broke (class 08), the server is shutting down,
 * starting up or recovering (57P0x), or has no connection slot left (53300).
 */
function isUnavailableState(state: string): boolean {
  return state.startsWith('08') || state === '57P01' || state === '57P02' || state === '57P03' || state === '53300';
}

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Whether the failure is the connection's, not the statement's: the statement may be repeated on a new one. */
export function isConnectionFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && SOCKET_CODES.has(code)) return true;
  const state = sqlState(error);
  if (state !== undefined) return isUnavailableState(state);
  return error instanceof Error && LOST.test(error.message);
}

/** A transaction that lost a race the server resolved by aborting it (serialization failure, deadlock): repeat it. */
export function isTransientConflict(error: unknown): boolean {
  const state = sqlState(error);
  return state === '40001' || state === '40P01';
}

export function unavailable(site: DatabaseSite, error: unknown, note = ''): UnavailableError {
  const detail = error instanceof Error ? error.message : String(error);
  return new UnavailableError(
    { provider: 'sql', target: site.target, reason: `${scrub(oneLine(detail), site.secrets)}${note}` },
    `check that PostgreSQL at ${site.target} is running and reachable from here, and that url in platform.yaml points at it; then retry`,
    { cause: error },
  );
}

/**
 * Turns a node-postgres failure into the statekeep error to throw. Statekeep errors pass as they
 * are; the password never appears in any message, hint or data.
 */
export function translatePgError(error: unknown, site: DatabaseSite, operation: string): StatekeepError | unknown {
  if (isStatekeepError(error)) return error;
  if (isConnectionFailure(error)) return unavailable(site, error);
  const state = sqlState(error);
  // Not PostgreSQL's (a caller's own failure inside a transaction, such as a render that threw): as it is.
  if (state === undefined) return error;
  const detail = scrub(oneLine(error instanceof Error ? error.message : String(error)), site.secrets);
  if (state === '28P01' || state === '28000')
    return new UnauthorizedError(
      { provider: 'sql', target: site.target, reason: detail },
      'check the user and password in url (write the password as ${VAR}, e.g. ${PGPASSWORD}, never inline), and that pg_hba.conf lets this user in from here',
    );
  if (state === '42501')
    return new UnauthorizedError(
      { provider: 'sql', target: site.target, reason: detail },
      "grant the user CREATE on the database (for the first use) and USAGE and read/write on the registry's schema and tables",
    );
  if (state === '3D000')
    return new ConfigError(
      { key: 'url', problem: `${detail} at ${site.target}` },
      'create the database first (createdb), or name an existing one in url',
    );
  if (state === '3F000' || state === '42P01')
    return new ProviderError(
      { provider: 'sql', operation, detail: `${detail} (SQLSTATE ${state})` },
      "the registry's tables went missing while in use; they are created again on the next start",
      { cause: error },
    );
  return new ProviderError(
    { provider: 'sql', operation, detail: state === undefined ? detail : `${detail} (SQLSTATE ${state})` },
    "PostgreSQL answered in a way statekeep did not expect; the server's log has the cause",
    { cause: error },
  );
}

/** Text with each secret cut out (a provider never imports the platform's masking, which sits above it). */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret !== '') out = out.split(secret).join('********');
  return out;
}

function oneLine(text: string, max = 400): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}
