import { BUILTIN_PROVIDERS } from '../providers/index.js';
import type { PlatformConfig } from './platform-config.js';
import { isMapping } from './settings-tree.js';

export const MASK = '********';

// Credentials hide under many names (apiKey, clientSecret, accessToken); matching a part of the
// name errs on the side of masking.
const SECRET_KEY = /secret|password|token|key/i;

const URI = /^[a-z][a-z0-9+.-]*:\/\//i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** The secrets written inside a URI: the password of user:password@, and query values such as ?access_token=…. */
function uriSecrets(text: string): string[] {
  if (!URI.test(text)) return [];
  const found: string[] = [];
  const password = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:([^/@\s]+)@/i.exec(text)?.[1];
  if (password !== undefined) found.push(password);
  for (const [, name = '', value = ''] of text.matchAll(/[?&]([^=&#\s]+)=([^&#\s]+)/g))
    if (isSecretKey(name)) found.push(value);
  return found;
}

/** A URI with its password and secret query values replaced by the mask; other text unchanged. */
export function maskUri(text: string): string {
  return scrub(text, uriSecrets(text));
}

/**
 * A setting's value as it may be shown. Everything under a key that names a secret is masked,
 * at any depth; lists and mappings are walked; URIs lose their passwords.
 */
export function maskValue(key: string, value: unknown): unknown {
  if (isSecretKey(key) && value !== null && value !== undefined && value !== '') return MASK;
  if (Array.isArray(value)) return value.map((item) => maskValue(key, item));
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskValue(k, v)]));
  return typeof value === 'string' ? maskUri(value) : value;
}

/**
 * Every secret value in the platform, longest first, for masking wherever it appears: under a
 * key that names a secret (or that the provider's description lists as one), and in URIs.
 * Values shorter than `minLength` are left out: masking every "a" in a message would hide more
 * than it protects (a setting equal to such a value is still masked, by `maskSecrets`).
 */
export function secretValues(platform: PlatformConfig, minLength = 4): string[] {
  return instanceSecrets(Object.values(platform.registry.instances), minLength);
}

/** The secret values of registry instances as written (options beside `provider`), longest first. */
export function instanceSecrets(
  instances: Iterable<{ provider: unknown; module?: string | null; options: Record<string, unknown> }>,
  minLength = 4,
): string[] {
  const found = new Set<string>();
  const visit = (value: unknown, secret: boolean): void => {
    if (typeof value === 'string') {
      for (const text of secret ? [value] : uriSecrets(value)) if (text.length >= minLength) found.add(text);
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, secret);
    } else if (isMapping(value)) {
      for (const [k, v] of Object.entries(value)) visit(v, secret || isSecretKey(k));
    }
  };
  for (const instance of instances) {
    const declared = BUILTIN_PROVIDERS.find((p) => p.name === instance.provider && (instance.module ?? null) === null);
    for (const [key, value] of Object.entries(instance.options))
      visit(value, isSecretKey(key) || (declared?.secretOptions.includes(key) ?? false));
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/**
 * Data with every secret value masked wherever it appears in a string, as CI systems mask a log:
 * a string equal to a secret becomes the mask whatever its length, longer ones have it cut out.
 */
export function maskSecrets(value: unknown, platform: PlatformConfig): unknown {
  const exact = new Set(secretValues(platform, 1));
  const long = secretValues(platform);
  const visit = (v: unknown): unknown => {
    if (typeof v === 'string') return exact.has(v) ? MASK : scrub(v, long);
    if (Array.isArray(v)) return v.map(visit);
    if (isMapping(v)) return Object.fromEntries(Object.entries(v).map(([k, item]) => [k, visit(item)]));
    return v;
  };
  return visit(value);
}

/** Data with each of the given secrets cut out of every string in it, at any depth. */
export function scrubData(value: unknown, secrets: readonly string[]): unknown {
  if (typeof value === 'string') return scrub(value, secrets);
  if (Array.isArray(value)) return value.map((item) => scrubData(item, secrets));
  if (isMapping(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrubData(v, secrets)]));
  return value;
}

/** Text with each of the given secrets replaced by the mask. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}
