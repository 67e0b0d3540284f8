import { describe, expect, it } from 'vitest';
import { VolatileProvider } from '../../../src/providers/volatile/volatile-provider.js';
import type { ProjectName } from '../../../src/registry/names.js';

describe('VolatileProvider alias entries used directly', () => {
  const P = 'p' as ProjectName;
  const bytes = new TextEncoder().encode('{}');

  it('refuse an entry that would leave a gap with a statekeep error, and store nothing', async () => {
    const provider = new VolatileProvider();
    await provider.appendAliasEntry(P, 'production', 1, bytes);
    for (const entry of [3, 1.5, Number.NaN])
      await expect(provider.appendAliasEntry(P, 'production', entry, bytes)).rejects.toMatchObject({
        code: 'USAGE',
        data: { argument: 'entry' },
      });
    await expect(provider.appendAliasEntry(P, 'production', 1, bytes)).rejects.toMatchObject({
      code: 'ALREADY_EXISTS',
    });
    expect(await provider.latestAliasEntry(P, 'production')).toBe(1);
  });
});
