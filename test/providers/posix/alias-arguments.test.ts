import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectName } from '../../../src/registry/names.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { filesUnder, layoutOf, posixAt, scratch } from './support.js';

const P = 'p' as ProjectName;

// The alias methods of the exported PosixProvider are a boundary like the others: an alias name,
// an entry number or a project that is not valid never becomes a path.
describe('PosixProvider alias and listing methods used directly', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  const bytes = new TextEncoder().encode('{}');

  it('refuse alias names, entry numbers and projects that are not valid, and write nothing anywhere', async () => {
    const provider = posixAt(space.root);
    // A valid first write, so the registry root exists and only the bad arguments are under test.
    await provider.appendAliasEntry(P, 'production', 1, bytes);
    const before = filesUnder(space.dir);
    for (const alias of ['../../../../../escaped', '..', 'a/b', '', '.hidden']) {
      await expect(provider.appendAliasEntry(P, alias, 1, bytes)).rejects.toMatchObject({ code: 'INVALID_NAME' });
      await expect(provider.latestAliasEntry(P, alias)).rejects.toMatchObject({ code: 'INVALID_NAME' });
      await expect(provider.readAliasEntry(P, alias, 1)).rejects.toMatchObject({ code: 'INVALID_NAME' });
    }
    for (const entry of [0, -1, 1.5, Number.NaN, '../1' as unknown as number]) {
      await expect(provider.appendAliasEntry(P, 'production', entry, bytes)).rejects.toMatchObject({ code: 'USAGE' });
      await expect(provider.readAliasEntry(P, 'production', entry)).rejects.toMatchObject({ code: 'USAGE' });
    }
    for (const project of ['../../../x', '..', 'a/b'] as ProjectName[]) {
      await expect(provider.appendAliasEntry(project, 'production', 1, bytes)).rejects.toMatchObject({
        code: 'INVALID_NAME',
      });
      await expect(provider.listAliases(project)).rejects.toMatchObject({ code: 'INVALID_NAME' });
      await expect(provider.latestAliasEntry(project, 'production')).rejects.toMatchObject({ code: 'INVALID_NAME' });
      const listing = (async () => {
        for await (const _ of provider.listBlobs(project)) return;
      })();
      await expect(listing).rejects.toMatchObject({ code: 'INVALID_NAME' });
    }
    await expect(provider.appendAliasEntry(P, 'production', 2, 'x' as never)).rejects.toMatchObject({ code: 'USAGE' });
    expect(filesUnder(space.dir)).toEqual(before);
    expect(existsSync(join(space.dir, 'escaped'))).toBe(false);
  });
});

describe('posix: a lost alias entry', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  // Removing files by hand is unsupported, but losing one must never get an entry number used
  // twice: a move written into the hole would be hidden by the newer entries above it.
  it('is refused by the next move, which writes nothing', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    await commit(registry, 'p', '1.0.0', { a: 's1' });
    await commit(registry, 'p', '1.0.0', { a: 's2' });
    for (const generation of [1, 2, 1]) await registry.setAlias('p', 'production', { release: '1.0.0', generation });
    const layout = layoutOf(provider);
    unlinkSync(layout.aliasEntry(P, 'production', 2));
    unlinkSync(layout.aliasHint(P, 'production'));
    const fresh = registryOf(posixAt(space.root));
    await expect(fresh.setAlias('p', 'production', { release: '1.0.0', generation: 2 })).rejects.toMatchObject({
      code: 'INTEGRITY',
      data: { project: 'p', subject: 'alias entry production#2' },
    });
    expect(existsSync(layout.aliasEntry(P, 'production', 2))).toBe(false);
    expect(existsSync(layout.aliasEntry(P, 'production', 4))).toBe(false);
  });
});
