import { existsSync, unlinkSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectName } from '../../../src/registry/names.js';
import type { ReleaseVersion } from '../../../src/registry/versions.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { layoutOf, posixAt, scratch } from './support.js';

const P = 'p' as ProjectName;
const V = '1.0.0' as ReleaseVersion;

// Removing files by hand is unsupported, but losing one must never get a number used twice.
describe('posix: a lost manifest', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  async function threeGenerations() {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    for (const state of ['s1', 's2', 's3']) await commit(registry, 'p', '1.0.0', { a: state });
    return { provider, registry, layout: layoutOf(provider) };
  }

  const gap = (generation: number) => ({
    code: 'INTEGRITY',
    data: { project: 'p', release: '1.0.0', generation, subject: 'generation manifest' },
  });

  it('with the latest hint lost too, is reported by show and list, and no commit or rollback reuses its number', async () => {
    const { registry, layout } = await threeGenerations();
    unlinkSync(layout.manifest(P, V, 1));
    unlinkSync(layout.latestHint(P, V));
    const fresh = registryOf(posixAt(space.root));
    await expect(fresh.manifest('p', '1.0.0')).rejects.toMatchObject(gap(1));
    await expect(fresh.latest('p', '1.0.0')).rejects.toMatchObject(gap(1));
    await expect(fresh.generations('p', '1.0.0')).rejects.toMatchObject(gap(1));
    await expect(fresh.manifests('p', '1.0.0')).rejects.toMatchObject(gap(1));
    await expect(fresh.releasesWithGenerations('p')).rejects.toMatchObject(gap(1));
    await expect(commit(fresh, 'p', '1.0.0', { a: 'again' })).rejects.toMatchObject(gap(1));
    await expect(registry.rollback('p', '1.0.0', 2)).rejects.toMatchObject(gap(1));
    expect(existsSync(layout.manifest(P, V, 1))).toBe(false);
    expect(existsSync(layout.manifest(P, V, 4))).toBe(false);
    // The generations that are there still read one by one.
    expect((await fresh.manifest('p', '1.0.0', 3)).generation).toBe(3);
  });

  it('in the middle, with the hint intact, is refused by the next commit', async () => {
    const { layout } = await threeGenerations();
    unlinkSync(layout.manifest(P, V, 2));
    const fresh = registryOf(posixAt(space.root));
    await expect(commit(fresh, 'p', '1.0.0', { a: 'again' })).rejects.toMatchObject(gap(2));
    await expect(fresh.generations('p', '1.0.0')).rejects.toMatchObject(gap(2));
    expect(existsSync(layout.manifest(P, V, 2))).toBe(false);
    expect(existsSync(layout.manifest(P, V, 4))).toBe(false);
  });

  it('a release without generations still reads as one, and its first commit is generation 1', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    expect(await registry.latest('p', '1.0.0')).toBeNull();
    expect(await registry.generations('p', '1.0.0')).toEqual([]);
    expect((await commit(registry, 'p', '1.0.0', { a: 'x' })).generation).toBe(1);
  });
});
