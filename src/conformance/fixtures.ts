import { randomBytes } from 'node:crypto';
import type { Digest } from '../registry/digest.js';
import { ProviderError } from '../registry/errors/index.js';
import type { Provider } from '../registry/spi.js';
import { Registry, type CommitDraft } from '../registry/registry.js';
import type { GenerationManifest } from '../registry/manifest.js';
import type { Damage } from './target.js';

/** A fixed clock, so manifests are exact. */
export const EPOCH = new Date('2026-01-02T03:04:05.000Z');

export function registryOf(provider: Provider): Registry {
  return new Registry(provider, { clock: () => EPOCH });
}

export function bytes(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export async function publish(
  registry: Registry,
  project: string,
  version: string,
  payload: Uint8Array = randomBytes(64),
): Promise<void> {
  await registry.publishRelease(project, version, { payload, info: { entry: 'index.js' } });
}

/** Commits one generation whose states are the given strings, keyed by actor. */
export async function commit(
  registry: Registry,
  project: string,
  release: string,
  states: Record<string, string | Uint8Array>,
  extra: Partial<CommitDraft> = {},
): Promise<GenerationManifest> {
  return registry.commit({
    project,
    release,
    mode: 'train',
    parent: null,
    training: { lower: 0, upper: 10, rows: 10 },
    metrics: { accuracy: 0.5 },
    ...extra,
    states: Object.entries(states).map(([actor, value]) => ({
      actor,
      bytes: typeof value === 'string' ? bytes(value) : value,
      codec: 'raw',
    })),
  });
}

/**
 * Wraps a provider to count the blobs written through it, without changing what it does; with
 * `failAt`, that write (counting from 1) fails instead, the way a full disk would fail it.
 */
export function countingBlobWrites(
  provider: Provider,
  failAt?: number,
): { provider: Provider; writes: () => number; distinct: () => number } {
  let writes = 0;
  const digests = new Set<unknown>();
  const counted = new Proxy(provider, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (key === 'writeBlob' && typeof value === 'function') {
        return async (...args: unknown[]) => {
          writes += 1;
          digests.add(args[1]);
          if (writes === failAt)
            throw new ProviderError(
              { provider: target.descriptor.name, operation: 'write a blob', detail: 'injected failure' },
              'none: a test made it fail',
            );
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { provider: counted, writes: () => writes, distinct: () => digests.size };
}

/** Damages a blob held in a map of digests to bytes, as the in-memory providers keep them. */
export function damageHeldBlob(blobs: Map<string, Uint8Array>, digest: Digest, how: Damage): void {
  const blob = blobs.get(digest)!;
  const middle = Math.floor(blob.length / 2);
  if (how === 'delete') blobs.delete(digest);
  else if (how === 'truncate') blobs.set(digest, blob.slice(0, middle));
  else blob[middle]! ^= 0xff;
}
