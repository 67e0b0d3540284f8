import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import type { Digest } from '../../src/registry/digest.js';
import type { ProjectName } from '../../src/registry/names.js';
import type { Provider } from '../../src/registry/spi.js';
import type { GenerationNumber, ReleaseVersion } from '../../src/registry/versions.js';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { volatileStore } from '../../src/providers/volatile/volatile-store.js';
import { layoutOf, posixAt, scratch } from '../providers/posix/support.js';

/**
 * Where a provider keeps each stored thing, for tests that damage, copy or remove it the way a
 * disk or a person could: files on posix, the live maps of a volatile provider.
 */
export interface StoredTarget {
  name: string;
  create(): Promise<Provider>;
  dispose(): Promise<void>;
  blob(provider: Provider, project: string, digest: Digest): Stored;
  manifest(provider: Provider, project: string, version: string, generation: number): Stored;
  record(provider: Provider, project: string, version: string): Stored;
}

export interface Stored {
  get(): Uint8Array;
  set(bytes: Uint8Array): void;
  remove(): void;
}

function file(path: string): Stored {
  return {
    get: () => new Uint8Array(readFileSync(path)),
    set: (bytes) => writeFileSync(path, bytes),
    remove: () => unlinkSync(path),
  };
}

// A real copy: slice() of a Buffer (which providers may hold) is a view of the same bytes.
const copy = (bytes: Uint8Array): Uint8Array => Uint8Array.from(bytes);

function entry<K>(map: Map<K, Uint8Array>, key: K): Stored {
  return {
    get: () => copy(map.get(key)!),
    set: (bytes) => void map.set(key, copy(bytes)),
    remove: () => void map.delete(key),
  };
}

function volatileRelease(provider: Provider, project: string, version: string) {
  return volatileStore(provider as VolatileProvider)
    .get(project)!
    .releases.get(version)!;
}

export const volatileTarget = (): StoredTarget => ({
  name: 'volatile',
  create: async () => new VolatileProvider(),
  dispose: async () => undefined,
  blob: (provider, project, digest) => entry(volatileStore(provider as VolatileProvider).get(project)!.blobs, digest),
  manifest: (provider, project, version, n) => entry(volatileRelease(provider, project, version).generations, n),
  record: (provider, project, version) => {
    const release = volatileRelease(provider, project, version);
    return {
      get: () => copy(release.record),
      set: (bytes) => {
        release.record = copy(bytes);
      },
      remove: () => undefined,
    };
  },
});

export const posixTarget = (): StoredTarget => {
  const spaces: Awaited<ReturnType<typeof scratch>>[] = [];
  return {
    name: 'posix',
    create: async () => {
      const space = await scratch();
      spaces.push(space);
      return posixAt(space.root);
    },
    dispose: async () => {
      await Promise.all(spaces.splice(0).map((s) => s.dispose()));
    },
    blob: (provider, project, digest) => file(layoutOf(provider).blob(project, digest)),
    manifest: (provider, project, version, n) =>
      file(layoutOf(provider).manifest(project as ProjectName, version as ReleaseVersion, n as GenerationNumber)),
    record: (provider, project, version) => file(layoutOf(provider).releaseRecord(project, version)),
  };
};

/** The stored text with `from` replaced by `to` once; fails the test if `from` is not there. */
export function edited(bytes: Uint8Array, from: string, to: string): Uint8Array {
  const text = new TextDecoder().decode(bytes);
  if (!text.includes(from)) throw new Error(`the stored text does not contain ${JSON.stringify(from)}:\n${text}`);
  return new TextEncoder().encode(text.replace(from, to));
}

export function flipped(bytes: Uint8Array): Uint8Array {
  const damaged = copy(bytes);
  damaged[Math.floor(damaged.length / 2)]! ^= 0xff;
  return damaged;
}
