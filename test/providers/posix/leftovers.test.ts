import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../../src/registry/digest.js';
import type { ProjectName } from '../../../src/registry/names.js';
import type { ReleaseVersion } from '../../../src/registry/versions.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { filesUnder, layoutOf, posixAt, scratch, tempFilesUnder } from './support.js';

const P = 'p' as ProjectName;
const V = '1.0.0' as ReleaseVersion;
const HOUR_AGO = (Date.now() - 3_600_000) / 1000;

describe('posix leftovers of crashed writers', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  /** A registry with two generations, and a temp file like a crashed writer's in every directory it writes to. */
  async function withLeftovers(): Promise<{ planted: Map<string, number>; fresh: string }> {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    const one = await commit(registry, 'p', '1.0.0', { a: 'a1' });
    await commit(registry, 'p', '1.0.0', { a: 'a2' });
    const layout = layoutOf(provider);
    const dirs = [
      space.root,
      dirname(layout.blob(P, one.states[0]!.digest)),
      dirname(layout.blob(P, digestOf(new Uint8Array([1, 2, 3])))), // a shard no blob made yet
      layout.release(P, V),
      layout.generations(P, V),
    ];
    const planted = new Map<string, number>();
    dirs.forEach((dir, i) => {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `.tmp-${4000 + i}-${'0123456789ab'}`);
      // A torn manifest-to-be, or a partial blob: content that must never be read.
      writeFileSync(path, '{"format":1,"gener'.repeat(i + 1));
      utimesSync(path, HOUR_AGO, HOUR_AGO);
      planted.set(path, 18 * (i + 1));
    });
    // A temp file of a writer that is still running.
    const fresh = join(layout.generations(P, V), '.tmp-9999-ba9876543210');
    writeFileSync(fresh, 'in progress');
    return { planted, fresh };
  }

  it('readers skip temp files wherever they are', async () => {
    await withLeftovers();
    const registry = registryOf(posixAt(space.root));
    expect(await registry.projects()).toEqual(['p']);
    expect(await registry.releaseVersions('p')).toEqual(['1.0.0']);
    expect(await registry.generations('p', '1.0.0')).toEqual([1, 2]);
    expect(await registry.latest('p', '1.0.0')).toBe(2);
    for (const manifest of await registry.manifests('p', '1.0.0'))
      expect((await registry.readStates(manifest)).size).toBe(1);
    // And writing goes on around them.
    expect((await commit(registry, 'p', '1.0.0', { a: 'a3' })).generation).toBe(3);
  });

  it('cleanup removes temp files older than asked, reports their count and bytes, and touches nothing else', async () => {
    const { planted, fresh } = await withLeftovers();
    const provider = posixAt(space.root);
    const kept = filesUnder(space.root).filter((f) => !tempFilesUnder(space.root).includes(f));
    // The default age (15 minutes) spares a writer that is still running, and takes the rest.
    const report = await provider.cleanup();
    expect(report).toEqual({ removed: planted.size, bytes: [...planted.values()].reduce((a, b) => a + b, 0) });
    expect(tempFilesUnder(space.root)).toEqual([fresh.slice(space.root.length + 1)]);
    expect(await provider.cleanup({ olderThanMs: 60_000 })).toEqual({ removed: 0, bytes: 0 });
    expect(await provider.cleanup({ olderThanMs: 0 })).toEqual({ removed: 1, bytes: 'in progress'.length });
    expect(filesUnder(space.root)).toEqual(kept);
    expect(await registryOf(provider).generations('p', '1.0.0')).toEqual([1, 2]);
  });

  it("cleanup leaves another format's tree alone, and refuses a bad age with USAGE", async () => {
    await withLeftovers();
    const provider = posixAt(space.root);
    const other = join(space.root, 'v2', '.tmp-1-0123456789ab');
    mkdirSync(dirname(other));
    writeFileSync(other, 'a newer statekeep is writing this');
    utimesSync(other, HOUR_AGO, HOUR_AGO);
    await provider.cleanup({ olderThanMs: 0 });
    expect(tempFilesUnder(space.root)).toEqual(['v2/.tmp-1-0123456789ab']);
    for (const olderThanMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(provider.cleanup({ olderThanMs })).rejects.toMatchObject({
        code: 'USAGE',
        data: { argument: 'olderThanMs' },
      });
    }
  });

  it('a release whose creator crashed before its record is invisible, and its version can still be published', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    mkdirSync(layoutOf(provider).generations(P, '2.0.0' as ReleaseVersion), { recursive: true });
    writeFileSync(
      join(layoutOf(provider).release(P, '2.0.0' as ReleaseVersion), '.tmp-77-0123456789ab'),
      '{"format":1,"pro',
    );
    expect(await registry.releaseVersions('p')).toEqual(['1.0.0']);
    await publish(registry, 'p', '2.0.0');
    expect(await registry.releaseVersions('p')).toEqual(['1.0.0', '2.0.0']);
  });
});
