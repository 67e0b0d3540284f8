import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Digest } from '../../../src/registry/digest.js';
import type { ProjectName } from '../../../src/registry/names.js';
import type { GenerationNumber, ReleaseVersion } from '../../../src/registry/versions.js';
import { filesUnder, posixAt, scratch } from './support.js';

// PosixProvider is exported: used without a Registry, it is the boundary, and checks its own
// arguments before any of them becomes a path.
describe('PosixProvider used directly', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  const bytes = new TextEncoder().encode('{}');
  const P = 'p' as ProjectName;
  const V = '1.0.0' as ReleaseVersion;
  const D = `sha256:${'0'.repeat(64)}` as Digest;

  it('refuses names, versions, digests and numbers that are not valid, and writes nothing anywhere', async () => {
    const provider = posixAt(space.root);
    const bad = {
      project: ['../../../x', '..', 'a/b', '', '.hidden'] as ProjectName[],
      version: ['../../../x', '1.0.0/../../x', 'v1.0.0'] as ReleaseVersion[],
      digest: ['sha256:../../x', `sha256:${'0'.repeat(63)}/`, 'md5:1'] as Digest[],
      generation: [0, -1, 1.5, Number.NaN, '../1' as unknown as number] as GenerationNumber[],
    };
    const refusals: Promise<unknown>[] = [];
    for (const project of bad.project) {
      refusals.push(
        expect(provider.writeRelease(project, V, bytes)).rejects.toMatchObject({ code: 'INVALID_NAME' }),
        expect(provider.writeBlob(project, D, bytes)).rejects.toMatchObject({ code: 'INVALID_NAME' }),
        expect(provider.listReleases(project)).rejects.toMatchObject({ code: 'INVALID_NAME' }),
        expect(provider.readRelease(project, V)).rejects.toMatchObject({ code: 'INVALID_NAME' }),
        expect(provider.publishGeneration(project, V, () => bytes)).rejects.toMatchObject({ code: 'INVALID_NAME' }),
      );
    }
    for (const version of bad.version) {
      refusals.push(
        expect(provider.writeRelease(P, version, bytes)).rejects.toMatchObject({ code: 'INVALID_VERSION' }),
        expect(provider.listGenerations(P, version)).rejects.toMatchObject({ code: 'INVALID_VERSION' }),
        expect(provider.latestGeneration(P, version)).rejects.toMatchObject({ code: 'INVALID_VERSION' }),
        expect(provider.publishGeneration(P, version, () => bytes)).rejects.toMatchObject({ code: 'INVALID_VERSION' }),
      );
    }
    for (const digest of bad.digest) {
      refusals.push(
        expect(provider.writeBlob(P, digest, bytes)).rejects.toMatchObject({ code: 'USAGE' }),
        expect(provider.readBlob(P, digest)).rejects.toMatchObject({ code: 'USAGE' }),
        expect(provider.hasBlob(P, digest)).rejects.toMatchObject({ code: 'USAGE' }),
      );
    }
    for (const generation of bad.generation) {
      refusals.push(expect(provider.readManifest(P, V, generation)).rejects.toMatchObject({ code: 'INVALID_VERSION' }));
    }
    refusals.push(
      expect(provider.writeBlob(P, D, 'text' as unknown as Uint8Array)).rejects.toMatchObject({ code: 'USAGE' }),
    );
    await Promise.all(refusals);
    expect(filesUnder(space.dir)).toEqual([]);
  });

  it('accepts what a Registry passes', async () => {
    const provider = posixAt(space.root);
    await provider.writeRelease(P, '1.0.0+build.7' as ReleaseVersion, bytes);
    expect(await provider.listReleases(P)).toEqual(['1.0.0+build.7']);
    expect(await provider.publishGeneration(P, '1.0.0+build.7' as ReleaseVersion, () => bytes)).toBe(1);
  });
});
