import type { PlatformConfig } from './platform-config.js';

export const MASK = '********';

// Credentials hide under many names (apiKey, clientSecret, accessToken); matching a part of the
// name errs on the side of masking.
const SECRET_KEY = /secret|password|token|key/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/** A URI with its password (user:password@) replaced by the mask; other text unchanged. */
export function maskUri(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@\s]*):[^/@\s]*@/i, `$1:${MASK}@`);
}

/** The value as it may be shown: masked when its key names a secret, URIs without passwords. */
export function maskValue(key: string, value: unknown): unknown {
  if (isSecretKey(key) && value !== null && value !== undefined && value !== '') return MASK;
  return typeof value === 'string' ? maskUri(value) : value;
}

/**
 * Every secret value in the platform, for scrubbing from messages that did not come from
 * statekeep (a backend's error text may echo a token). Very short values are left out: masking
 * every "a" in a message would hide more than it protects.
 */
export function secretValues(platform: PlatformConfig): string[] {
  const found = new Set<string>();
  const visit = (key: string, value: unknown): void => {
    if (typeof value === 'string') {
      if (isSecretKey(key) && value.length >= 4) found.add(value);
      const password = /^[a-z][a-z0-9+.-]*:\/\/[^/:@\s]*:([^/@\s]+)@/i.exec(value)?.[1];
      if (password !== undefined && password.length >= 4) found.add(password);
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) visit(k, v);
    }
  };
  for (const instance of Object.values(platform.registry.instances)) visit('', instance.options);
  return [...found].sort((a, b) => b.length - a.length);
}

/** Text with each of the given secrets replaced by the mask. */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(MASK);
  return out;
}
