import { createHash } from 'node:crypto';
import { IntegrityError, type Location } from './errors/index.js';

/** A SHA-256 content address: "sha256:" and 64 lower-case hex digits. */
export type Digest = string & { readonly __brand: 'Digest' };

const DIGEST = /^sha256:[0-9a-f]{64}$/;

export function isDigest(value: unknown): value is Digest {
  return typeof value === 'string' && DIGEST.test(value);
}

export function digestOf(bytes: Uint8Array): Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}` as Digest;
}

/** The 64 hex digits of a digest, for paths and keys. */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

/**
 * Checks bytes against the digest and size a manifest promised for them. Throws an
 * IntegrityError naming the place and both digests; returns the bytes untouched otherwise.
 */
export function verifyBytes(bytes: Uint8Array, expected: { digest: Digest; size?: number }, at: Location & { subject: string }): Uint8Array {
  const actual = digestOf(bytes);
  if (actual !== expected.digest) {
    const sized = expected.size !== undefined && bytes.length !== expected.size ? ` (${bytes.length} of ${expected.size} bytes)` : '';
    throw new IntegrityError({ ...at, expected: expected.digest, actual: `${actual}${sized}` });
  }
  return bytes;
}
