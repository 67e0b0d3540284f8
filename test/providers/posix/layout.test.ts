import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../../src/registry/digest.js';
import type { ProjectName } from '../../../src/registry/names.js';
import type { GenerationNumber, ReleaseVersion } from '../../../src/registry/versions.js';
import { PosixProvider } from '../../../src/providers/posix/posix-provider.js';
import { bytes, commit, publish, registryOf } from '../../conformance/fixtures.js';
import { filesUnder, layoutOf, posixAt, scratch } from './support.js';

const P = 'iris' as ProjectName;
const V = '1.0.0' as ReleaseVersion;

describe('posix layout', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  it('keeps the documented tree: marker, content-addressed blobs, release record, numbered manifests', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'iris', '1.0.0', bytes('package'));
    await commit(registry, 'iris', '1.0.0', { scaler: 'state-a', model: 'state-b' });
    const layout = layoutOf(provider);
    const blob = (text: string): string => {
      const hex = digestOf(bytes(text)).slice('sha256:'.length);
      return `v1/projects/iris/blobs/sha256/${hex.slice(0, 2)}/${hex.slice(2)}`;
    };
    expect(filesUnder(space.root)).toEqual(
      [
        'statekeep-registry.json',
        blob('package'),
        blob('state-a'),
        blob('state-b'),
        'v1/projects/iris/releases/1.0.0/release.json',
        'v1/projects/iris/releases/1.0.0/generations/1.json',
        'v1/projects/iris/releases/1.0.0/generations/latest.hint',
      ].sort(),
    );
    expect(JSON.parse(readFileSync(layout.marker, 'utf8'))).toEqual({ format: 1 });
    expect(readFileSync(join(space.root, blob('state-a')), 'utf8')).toBe('state-a');
    expect(readFileSync(layout.releaseRecord(P, V))).toEqual(Buffer.from(await provider.readRelease(P, V)));
    expect(readFileSync(layout.manifest(P, V, 1))).toEqual(
      Buffer.from(await provider.readManifest(P, V, 1 as GenerationNumber)),
    );
    // Published names are the only links to their files: no temp name was left pointing at one.
    for (const file of filesUnder(space.root)) expect(statSync(join(space.root, file)).nlink).toBe(1);
    expect(relative(space.root, layout.blob(P, digestOf(bytes('state-a'))))).toBe(blob('state-a'));
  });

  it('readers never create anything: a root that does not exist reads as an empty registry', async () => {
    const provider = posixAt(space.root);
    const digest = digestOf(bytes('x'));
    expect(await provider.listProjects()).toEqual([]);
    expect(await provider.listReleases(P)).toEqual([]);
    await expect(provider.readRelease(P, V)).rejects.toMatchObject({ code: 'NOT_FOUND', data: { what: 'release' } });
    expect(await provider.hasBlob(P, digest)).toBe(false);
    await expect(provider.readBlob(P, digest)).rejects.toMatchObject({ code: 'NOT_FOUND', data: { what: 'blob' } });
    expect(await provider.listGenerations(P, V)).toEqual([]);
    await expect(provider.readManifest(P, V, 1 as GenerationNumber)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'generation' },
    });
    expect(await provider.latestGeneration(P, V)).toBeNull();
    expect(await provider.cleanup({ olderThanMs: 0 })).toEqual({ removed: 0, bytes: 0 });
    expect(existsSync(space.root)).toBe(false);
  });

  it('a generation is not published to an unknown release, and nothing is written for it', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'iris', '1.0.0');
    const before = filesUnder(space.root);
    await expect(provider.publishGeneration(P, '2.0.0' as ReleaseVersion, () => bytes('{}'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'release', release: '2.0.0' },
    });
    expect(filesUnder(space.root)).toEqual(before);
  });

  it('resolves a relative path against the working directory, and refuses a missing one with CONFIG', () => {
    expect(new PosixProvider({ path: 'some/registry' }).descriptor).toEqual({
      name: 'posix',
      spiVersion: 1,
      target: join(process.cwd(), 'some/registry'),
    });
    for (const path of [undefined, '', '  ', 42]) {
      expect(() => new PosixProvider({ path }, { instance: 'local' })).toThrow(
        expect.objectContaining({ code: 'CONFIG', data: expect.objectContaining({ key: 'path' }) }),
      );
    }
  });
});
