import { ConfigError } from '../../registry/errors/index.js';
import { mlflow, NAMESPACE_PATTERN } from './describe.js';

/** Everything the provider needs to reach one MLflow server, resolved and checked. */
export interface MlflowSettings {
  /** The tracking server's base URL, without credentials or a trailing slash. */
  uri: string;
  /** The Authorization header value, or null. Never printed. */
  authorization: string | null;
  timeoutMs: number;
  retries: number;
  /** Prefix of every name statekeep creates, so registries (and tests) share a server in isolation. */
  namespace: string;
}

export const DEFAULT_NAMESPACE = 'statekeep';
export const DEFAULT_TIMEOUT_MS = 120_000;
export const DEFAULT_RETRIES = 4;

// The rules come from the provider's description, the one schema platform.yaml is checked
// against too; this check also covers options given in code, which no schema sees.
const NAMESPACE = new RegExp(NAMESPACE_PATTERN);
const KNOWN = new Set(['provider', ...Object.keys(mlflow.options.properties)]);

function limits(key: string): { min: number; max: number } {
  const { minimum, maximum } = mlflow.options.properties[key] as { minimum: number; maximum: number };
  return { min: minimum, max: maximum };
}

/** Names where credentials come from, never what they are. */
export const CREDENTIALS_HINT =
  'set username and password (or token) in the registry options of platform.yaml, preferably as ${VAR} references, ' +
  'or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (or MLFLOW_TRACKING_TOKEN) in the environment';

/**
 * Reads the provider's options (platform.yaml, `${VAR}` already filled in), falling back to
 * MLflow's own environment variables as the Python client does: MLFLOW_TRACKING_URI,
 * MLFLOW_TRACKING_USERNAME/PASSWORD (basic auth, preferred) and MLFLOW_TRACKING_TOKEN (bearer).
 */
export function mlflowSettings(options: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): MlflowSettings {
  for (const key of Object.keys(options)) {
    if (!KNOWN.has(key))
      fail(
        key,
        'is not an option of the mlflow provider',
        `use ${[...KNOWN].filter((k) => k !== 'provider').join(', ')}`,
      );
  }
  const rawUri = text(options, 'uri') ?? blankToNull(env.MLFLOW_TRACKING_URI);
  if (rawUri === null)
    fail('uri', 'is not set', 'set uri in platform.yaml or MLFLOW_TRACKING_URI, e.g. http://127.0.0.1:5000');
  let url: URL;
  try {
    url = new URL(rawUri);
  } catch {
    fail('uri', 'is not a URL', 'write it as http://host:port');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    fail('uri', `uses ${url.protocol} instead of http: or https:`, 'write it as http://host:port');
  // fetch refuses URLs that carry credentials; move them into the header instead.
  const inlineUser = url.username ? decoded(url.username, 'username') : null;
  const inlinePassword = url.password ? decoded(url.password, 'password') : null;
  url.username = '';
  url.password = '';
  const username = text(options, 'username') ?? inlineUser ?? blankToNull(env.MLFLOW_TRACKING_USERNAME);
  const password = text(options, 'password') ?? inlinePassword ?? blankToNull(env.MLFLOW_TRACKING_PASSWORD);
  const token = text(options, 'token') ?? blankToNull(env.MLFLOW_TRACKING_TOKEN);
  if ((username === null) !== (password === null)) {
    fail(
      username === null ? 'username' : 'password',
      `is missing while ${username === null ? 'password' : 'username'} is set`,
      CREDENTIALS_HINT,
    );
  }
  let authorization: string | null = null;
  if (username !== null && password !== null)
    authorization = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  else if (token !== null) authorization = `Bearer ${token}`;
  const namespace = text(options, 'namespace') ?? DEFAULT_NAMESPACE;
  if (!NAMESPACE.test(namespace))
    fail(
      'namespace',
      `${JSON.stringify(namespace)} is not a valid namespace`,
      'use 1-64 characters of A-Z a-z 0-9 _ -, starting with a letter or digit',
    );
  return {
    uri: url.href.replace(/\/+$/, ''),
    authorization,
    timeoutMs: integer(options, 'timeoutMs', DEFAULT_TIMEOUT_MS, limits('timeoutMs')),
    retries: integer(options, 'retries', DEFAULT_RETRIES, limits('retries')),
    namespace,
  };
}

// A stray % in credentials written into the uri would otherwise escape as a bare URIError.
function decoded(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    fail(
      'uri',
      `holds a ${what} that is not valid percent-encoding`,
      'write % as %25 in the uri, or set username and password as options',
    );
  }
}

function text(options: Record<string, unknown>, key: string): string | null {
  const value = options[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string') fail(key, `must be a string, not ${typeof value}`, `quote the value of ${key}`);
  return blankToNull(value);
}

// An unset variable interpolated into platform.yaml arrives as "", which means "not given".
function blankToNull(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value;
}

function integer(
  options: Record<string, unknown>,
  key: string,
  fallback: number,
  { min, max }: { min: number; max: number },
): number {
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
