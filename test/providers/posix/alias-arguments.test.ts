import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectName } from '../../../src/registry/names.js';
import { filesUnder, posixAt, scratch } from './support.js';

// The alias methods of the exported PosixProvider are a boundary like the others: an alias name,
// an entry number or a project that is not valid never becomes a path.
describe('PosixProvider alias and listing methods used directly', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  const bytes = new TextEncoder().encode('{}');
  const P = 'p' as ProjectName;

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
