import { ConfigError } from '../../registry/errors/index.js';
import { ARTIFACT_STORES, SCHEMA_PATTERN, sql } from './describe.js';

export interface SqlSettings {
  /** The connection URL as given (it may hold the password): only ever handed to node-postgres. */
  url: string;
  /** The URL without its password, for messages. */
  target: string;
  /** The password as written and decoded, cut out of any message that might quote it. */
  secrets: string[];
  schema: string;
  maxConnections: number;
  connectTimeoutMs: number;
  retries: number;
  store: keyof typeof ARTIFACT_STORES;
  storeOptions: Record<string, unknown>;
}

const KNOWN = new Set(['provider', ...Object.keys(sql.options.properties)]);
const SCHEMA = new RegExp(SCHEMA_PATTERN);

function fail(key: string, problem: string, hint: string): never {
  throw new ConfigError({ key, problem }, hint);
}

function integer(options: Record<string, unknown>, key: string, fallback: number): number {
  const value = options[key];
  if (value === undefined) return fallback;
  const { minimum, maximum } = sql.options.properties[key] as { minimum: number; maximum: number };
  if (typeof value !== 'number' || !Number.isInteger(value) || value < minimum || value > maximum)
    fail(
      key,
      `must be a whole number from ${minimum} to ${maximum}, got ${JSON.stringify(value)}`,
      `set ${key} within ${minimum}..${maximum} or leave it out`,
    );
  return value;
}

/**
 * Reads and checks the sql provider's options (platform.yaml with `${VAR}` filled in, or options
 * given in code, which no schema has seen). Every problem is a ConfigError naming the key; none
 * quotes the password.
 */
export function sqlSettings(options: Record<string, unknown>): SqlSettings {
  for (const key of Object.keys(options))
    if (!KNOWN.has(key))
      fail(key, 'is not an option of the sql provider', `use ${[...KNOWN].filter((k) => k !== 'provider').join(', ')}`);
  const raw = options.url;
  if (typeof raw !== 'string' || raw.trim() === '')
    fail(
      'url',
      'is not set',
      'set url to the PostgreSQL URL, e.g. postgres://statekeep:${PGPASSWORD}@db:5432/registry',
    );
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The text may hold a password: never quote it.
    fail('url', 'is not a URL', 'write it as postgres://user:${PGPASSWORD}@host:5432/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
    fail(
      'url',
      `uses ${url.protocol} instead of postgres:`,
      'write it as postgres://user:${PGPASSWORD}@host:5432/database',
    );
  if (url.hostname === '') fail('url', 'names no host', 'write it as postgres://user:${PGPASSWORD}@host:5432/database');
  const secrets = url.password === '' ? [] : [...new Set([url.password, safeDecode(url.password)])];
  const shown = new URL(url.href);
  shown.password = '';
  shown.search = '';
  const schema = options.schema ?? 'statekeep';
  if (typeof schema !== 'string' || !SCHEMA.test(schema))
    fail(
      'schema',
      `${JSON.stringify(schema)} is not a schema name statekeep uses`,
      'use 1-63 characters of a-z 0-9 _, starting with a letter or _',
    );
  const artifacts = options.artifacts;
  if (typeof artifacts !== 'object' || artifacts === null || Array.isArray(artifacts))
    fail(
      'artifacts',
      'is not set',
      'set artifacts to { store: s3, bucket: …, prefix: …, endpoint: … } or { store: posix, path: … }',
    );
  const { store, ...storeOptions } = artifacts as Record<string, unknown>;
  if (typeof store !== 'string' || !(store in ARTIFACT_STORES))
    fail(
      'artifacts.store',
      `${JSON.stringify(store ?? null)} is not an artifact store`,
      `use one of: ${Object.keys(ARTIFACT_STORES).join(', ')}`,
    );
  const storeKeys = Object.keys(ARTIFACT_STORES[store as keyof typeof ARTIFACT_STORES]);
  for (const key of Object.keys(storeOptions))
    if (!storeKeys.includes(key))
      fail(`artifacts.${key}`, `is not an option of the ${store} artifact store`, `use ${storeKeys.join(', ')}`);
  return {
    url: raw,
    target: `${shown.href.replace(/\/$/, '')} (schema ${schema})`,
    secrets,
    schema,
    maxConnections: integer(options, 'maxConnections', 10),
    connectTimeoutMs: integer(options, 'connectTimeoutMs', 10_000),
    retries: integer(options, 'retries', 6),
    store: store as keyof typeof ARTIFACT_STORES,
    storeOptions,
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
