import { basename, dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProjectName } from '../../../src/registry/names.js';
import type { GenerationNumber, ReleaseVersion } from '../../../src/registry/versions.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { layoutOf, posixAt, scratch } from './support.js';

// Records, in the order they happen, the provider's fsyncs and the renames and links that give
// files their names: the start and the end of each, so that "before" means "finished before".
const journal = vi.hoisted(() => ({
  events: [] as { op: 'fsync' | 'name'; phase: 'start' | 'done'; path: string; from?: string }[],
}));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const record = async <T>(
    op: 'fsync' | 'name',
    path: string,
    from: string | undefined,
    body: () => Promise<T>,
  ): Promise<T> => {
    journal.events.push({ op, phase: 'start', path, from });
    const result = await body();
    journal.events.push({ op, phase: 'done', path, from });
    return result;
  };
  const open = async (...args: Parameters<typeof actual.open>) => {
    const handle = await actual.open(...args);
    const path = String(args[0]);
    return new Proxy(handle, {
      get(target, key) {
        const value = Reflect.get(target, key, target) as unknown;
        if (key === 'sync') return () => record('fsync', path, undefined, () => target.sync());
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  };
  const rename = (from: string, to: string) => record('name', to, from, () => actual.rename(from, to));
  const link = (from: string, to: string) => record('name', to, from, () => actual.link(from, to));
  return { ...actual, open, rename, link };
});

const P = 'p' as ProjectName;
const V = '1.0.0' as ReleaseVersion;

describe('posix durable writes', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => {
    space = await scratch();
    journal.events = [];
  });
  afterEach(() => space.dispose());

  const at = (op: 'fsync' | 'name', phase: 'start' | 'done', path: string): number =>
    journal.events.findIndex((e) => e.op === op && e.phase === phase && e.path === path);

  it('give every file its name from an fsynced temp file in its own directory, then fsync the directory; a manifest only after its blobs', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    const manifest = await commit(registry, 'p', '1.0.0', { a: 'state a', b: 'state b' });
    const layout = layoutOf(provider);
    const blobs = manifest.states.map((s) => layout.blob(P, s.digest));
    const published = [
      layout.marker,
      layout.releaseRecord(P, V),
      layout.manifest(P, V, 1 as GenerationNumber),
      ...blobs,
    ];

    for (const file of published) {
      const named = journal.events.find((e) => e.op === 'name' && e.phase === 'start' && e.path === file);
      expect({ file, named: named !== undefined }).toEqual({ file, named: true });
      const temp = named!.from!;
      expect(dirname(temp)).toBe(dirname(file));
      expect(basename(temp)).toMatch(/^\.tmp-[0-9]+-[0-9a-f]{12}$/);
      const synced = at('fsync', 'done', temp);
      const nameStarted = at('name', 'start', file);
      const nameDone = at('name', 'done', file);
      const dirSynced = journal.events.findIndex(
        (e, i) => i > nameDone && e.op === 'fsync' && e.phase === 'start' && e.path === dirname(file),
      );
      expect({ file, synced: synced >= 0 && synced < nameStarted, dirSynced: dirSynced > nameDone }).toEqual({
        file,
        synced: true,
        dirSynced: true,
      });
    }

    // Visibility: the manifest gets its name only once every blob it names is durable.
    const manifestNamed = at('name', 'start', layout.manifest(P, V, 1 as GenerationNumber));
    for (const blob of blobs) {
      const blobDirSynced = journal.events.findIndex(
        (e, i) => i > at('name', 'done', blob) && e.op === 'fsync' && e.phase === 'done' && e.path === dirname(blob),
      );
      expect({ blob, durableFirst: blobDirSynced >= 0 && blobDirSynced < manifestNamed }).toEqual({
        blob,
        durableFirst: true,
      });
    }
  });
});
