import { ConfigError } from '../../registry/errors/index.js';
import { PREFIX_PATTERN, redis } from './describe.js';

/** Everything the provider needs to reach one Redis database, resolved and checked. */
export interface RedisSettings {
  host: string;
  port: number;
  tls: boolean;
  database: number;
  username: string | null;
  /** Never printed: not in target, messages, hints or data. */
  password: string | null;
  prefix: string;
  connectTimeoutMs: number;
  commandTimeoutMs: number;
  retries: number;
  /** The database as messages name it: scheme, user, host, port and number, never the password. */
  server: string;
  /** The server and the prefix: the registry's place. */
  target: string;
}

export const DEFAULT_PREFIX = 'statekeep:';
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_COMMAND_TIMEOUT_MS = 120_000;
export const DEFAULT_RETRIES = 5;

const PREFIX = new RegExp(PREFIX_PATTERN);
const KNOWN = new Set(['provider', ...Object.keys(redis.options.properties)]);

/** Names where credentials come from, never what they are. */
export const CREDENTIALS_HINT =
  'set password (and username for an ACL user) in the registry options of platform.yaml as ${VAR} references, ' +
  "or write them into url as redis://user:password@host:port/db; they must match the server's requirepass or ACL user";

function limits(key: string): { min: number; max: number } {
  const { minimum, maximum } = redis.options.properties[key] as { minimum: number; maximum: number };
  return { min: minimum, max: maximum };
}

/** Reads the provider's options (platform.yaml, `${VAR}` already filled in, or given in code). */
export function redisSettings(options: Record<string, unknown>): RedisSettings {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      fail(
        key,
        'is not an option of the redis provider',
        `use ${[...KNOWN].filter((k) => k !== 'provider').join(', ')}`,
      );
  }
  const raw = text(options, 'url');
  if (raw === null) fail('url', 'is not set', 'set url in platform.yaml, e.g. redis://127.0.0.1:6379/0');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The text may hold a password: it is not quoted back.
    fail('url', 'is not a URL', 'write it as redis://[user:password@]host:port/db');
  }
  const scheme = url.protocol.toLowerCase();
  if (scheme !== 'redis:' && scheme !== 'rediss:')
    fail('url', `uses ${url.protocol} instead of redis: or rediss:`, 'write it as redis://host:port/db');
  if (url.hostname === '') fail('url', 'names no host', 'write it as redis://host:port/db');
  const port = url.port === '' ? 6379 : Number(url.port);
  const path = url.pathname.replace(/^\/+/, '');
  if (!/^[0-9]{0,5}$/.test(path) || (path !== '' && Number(path) > 65535))
    fail('url', 'names a database that is not a number', 'end the url with the database number, e.g. /0');
  if (url.search !== '' || url.hash !== '')
    fail('url', 'has a query or fragment, which the redis provider does not read', 'set options beside url instead');
  const database = path === '' ? 0 : Number(path);
  const username = text(options, 'username') ?? (url.username ? decoded(url.username, 'username') : null);
  const password = text(options, 'password') ?? (url.password ? decoded(url.password, 'password') : null);
  if (username !== null && password === null) fail('password', `is missing while username is set`, CREDENTIALS_HINT);
  const prefix = text(options, 'prefix') ?? DEFAULT_PREFIX;
  if (!PREFIX.test(prefix))
    fail(
      'prefix',
      `${JSON.stringify(prefix)} is not a valid key prefix`,
      'use 1-64 characters of A-Z a-z 0-9 _ . : { } / -, e.g. statekeep:',
    );
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const user = username === null ? '' : `${encodeURIComponent(username)}@`;
  return {
    host,
    port,
    tls: scheme === 'rediss:',
    database,
    username,
    password,
    prefix,
    connectTimeoutMs: integer(options, 'connectTimeoutMs', DEFAULT_CONNECT_TIMEOUT_MS),
    commandTimeoutMs: integer(options, 'commandTimeoutMs', DEFAULT_COMMAND_TIMEOUT_MS),
    retries: integer(options, 'retries', DEFAULT_RETRIES),
    server: `${scheme}//${user}${url.host}/${database}`,
    target: `${scheme}//${user}${url.host}/${database} (prefix ${prefix})`,
  };
}

// A stray % in credentials written into the url would otherwise escape as a bare URIError.
function decoded(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    fail(
      'url',
      `holds a ${what} that is not valid percent-encoding`,
      'write % as %25 in the url, or set username and password as options',
    );
  }
}

function text(options: Record<string, unknown>, key: string): string | null {
  const value = options[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(key, `must be a string, not ${typeof value}`, `quote the value of ${key}`);
  // An unset variable interpolated into platform.yaml arrives as "", which means "not given".
  return value.trim() === '' ? null : value;
}

function integer(options: Record<string, unknown>, key: string, fallback: number): number {
  const { min, max } = limits(key);
  const value = options[key];
  if (value === undefined || value === null || value === '') return fallback;
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max)
    fail(key, `must be a whole number from ${min} to ${max}`, `set ${key} to a number such as ${fallback}`);
  return n;
}

function fail(key: string, problem: string, hint: string): never {
  throw new ConfigError({ key, problem }, hint);
}
