import { createHash } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';
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

// SHA-256 of 4 MiB takes a few milliseconds: short enough that I/O waiting on the event loop
// (another blob's write, say) is never held up for long between chunks.
const DIGEST_CHUNK = 4 * 2 ** 20;

/**
 * digestOf for inputs that may be large, without holding the event loop for the whole hash: it
 * hashes in chunks and yields between them, so a caller can overlap the hashing of one blob
 * with the writing or reading of others.
 */
export async function digestOfAsync(bytes: Uint8Array): Promise<Digest> {
  if (bytes.length <= DIGEST_CHUNK) return digestOf(bytes);
  const hash = createHash('sha256');
  for (let offset = 0; offset < bytes.length; offset += DIGEST_CHUNK) {
    if (offset > 0) await nextTurn();
    hash.update(bytes.subarray(offset, offset + DIGEST_CHUNK));
  }
  return `sha256:${hash.digest('hex')}` as Digest;
}

/** The 64 hex digits of a digest, for paths and keys. */
export function digestHex(digest: Digest): string {
  return digest.slice('sha256:'.length);
}

/** Hashes bytes as they arrive; `digest()` names what it was fed. */
export class Digester {
  readonly #hash = createHash('sha256');
  #length = 0;

  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
    this.#length += chunk.length;
  }

  /** How many bytes were fed. */
  get length(): number {
    return this.#length;
  }

  digest(): Digest {
    return `sha256:${this.#hash.digest('hex')}` as Digest;
  }
}

/**
 * Checks bytes against the digest and size a manifest promised for them. Throws an
 * IntegrityError naming the place and both digests; returns the bytes untouched otherwise.
 * `actual` is the bytes' digest when the caller already computed it while reading them.
 */
export function verifyBytes(
  bytes: Uint8Array,
  expected: { digest: Digest; size?: number },
  at: Location & { subject: string },
  actual: Digest = digestOf(bytes),
): Uint8Array {
  if (actual !== expected.digest) {
    const sized =
      expected.size !== undefined && bytes.length !== expected.size
        ? ` (${bytes.length} of ${expected.size} bytes)`
        : '';
    throw new IntegrityError({ ...at, expected: expected.digest, actual: `${actual}${sized}` });
  }
  return bytes;
}
