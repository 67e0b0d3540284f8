import { linkSync, symlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProjectName } from '../../../src/registry/names.js';
import type { GenerationNumber, ReleaseVersion } from '../../../src/registry/versions.js';
import { highestPublished } from '../../../src/providers/posix/latest-search.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { layoutOf, posixAt, scratch } from './support.js';

// Counts the provider's own file system calls; the tests inspect and plant files with node:fs.
const calls = vi.hoisted(() => ({ readdir: 0, lstat: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    readdir: (...args: Parameters<typeof actual.readdir>) => {
      calls.readdir += 1;
      return actual.readdir(...args);
    },
    lstat: (...args: Parameters<typeof actual.lstat>) => {
      calls.lstat += 1;
      return actual.lstat(...args);
    },
  };
});

const P = 'p' as ProjectName;

describe('posix "latest"', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  /** A release with `count` published generations; all but the first are planted as links to it. */
  async function releaseWith(
    version: string,
    count: number,
  ): Promise<{ hint: string; probe: () => Promise<{ latest: number | null; readdir: number; probes: number }> }> {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', version);
    await commit(registry, 'p', version, { a: 'x' });
    const layout = layoutOf(provider);
    const v = version as ReleaseVersion;
    for (let n = 2; n <= count; n++) linkSync(layout.manifest(P, v, 1), layout.manifest(P, v, n));
    writeFileSync(layout.latestHint(P, v), `${count}\n`);
    return {
      hint: layout.latestHint(P, v),
      probe: async () => {
        calls.readdir = 0;
        calls.lstat = 0;
        const latest = await provider.latestGeneration(P, v);
        return { latest, readdir: calls.readdir, probes: calls.lstat };
      },
    };
  }

  it('never lists the generations, and probes as few names for 10,000 generations as for 10', async () => {
    const short = await (await releaseWith('1.0.0', 10)).probe();
    const long = await (await releaseWith('2.0.0', 10_000)).probe();
    expect(short).toEqual({ latest: 10, readdir: 0, probes: 2 });
    expect(long).toEqual({ latest: 10_000, readdir: 0, probes: 2 });
  });

  it('stays correct and logarithmic whatever the hint says: missing, garbage, behind, or ahead', async () => {
    const release = await releaseWith('1.0.0', 10_000);
    const bound = 2 * Math.ceil(Math.log2(10_000)) + 2;
    for (const hint of ['', 'garbage', '0', '1', '9000', '10001', '99999999', '-5']) {
      writeFileSync(release.hint, hint);
      const probed = await release.probe();
      expect({ hint, latest: probed.latest, readdir: probed.readdir }).toEqual({ hint, latest: 10_000, readdir: 0 });
      expect(probed.probes).toBeLessThanOrEqual(bound);
    }
  });

  it('a hint that is behind or ahead never makes a commit skip or reuse a number', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    for (let i = 0; i < 5; i++) await commit(registry, 'p', '1.0.0', { a: `s${i}` });
    const hint = layoutOf(provider).latestHint(P, '1.0.0' as ReleaseVersion);
    writeFileSync(hint, '1\n');
    expect((await commit(registry, 'p', '1.0.0', { a: 'behind' })).generation).toBe(6);
    writeFileSync(hint, '500\n');
    expect((await commit(registry, 'p', '1.0.0', { a: 'ahead' })).generation).toBe(7);
    expect(await registry.generations('p', '1.0.0')).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('a number taken by a name that is no manifest (a dangling symlink) is passed over, not retried forever', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    await commit(registry, 'p', '1.0.0', { a: 'one' });
    symlinkSync('nowhere.json', layoutOf(provider).manifest(P, '1.0.0' as ReleaseVersion, 2));
    expect((await commit(registry, 'p', '1.0.0', { a: 'three' })).generation).toBe(3);
    expect(await registry.latest('p', '1.0.0')).toBe(3);
  });

  it('a writer that loses the race for a number publishes the manifest rendered for the number it gets', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    const v = '1.0.0' as ReleaseVersion;
    const rendered: number[] = [];
    const numbers = await Promise.all(
      Array.from({ length: 16 }, () =>
        provider.publishGeneration(P, v, (generation) => {
          rendered.push(generation);
          return new TextEncoder().encode(`manifest for ${generation}`);
        }),
      ),
    );
    expect([...numbers].sort((a, b) => a - b)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    // Racers re-rendered for later numbers, and each published file is its own number's rendering.
    expect(rendered.length).toBeGreaterThanOrEqual(16);
    for (const n of numbers)
      expect(new TextDecoder().decode(await provider.readManifest(P, v, n as GenerationNumber))).toBe(
        `manifest for ${n}`,
      );
  });
});

describe('highestPublished', () => {
  function published(count: number): { exists: (n: number) => Promise<boolean>; probes: () => number } {
    let probes = 0;
    return {
      exists: async (n) => {
        probes += 1;
        return n >= 1 && n <= count;
      },
      probes: () => probes,
    };
  }

  it('finds the end of 1..L from any starting point', async () => {
    for (const count of [0, 1, 2, 3, 7, 8, 9, 100, 1023, 1024, 1025, 10_000]) {
      for (const hint of [0, 1, Math.floor(count / 2), count - 1, count, count + 1, count * 3 + 7, Number.NaN]) {
        expect({ count, hint, found: await highestPublished(published(count).exists, hint) }).toEqual({
          count,
          hint,
          found: count,
        });
      }
    }
  });

  it('takes two probes from a current hint and about 2·log2(L) from none', async () => {
    const current = published(10_000);
    await highestPublished(current.exists, 10_000);
    expect(current.probes()).toBe(2);
    const cold = published(10_000);
    await highestPublished(cold.exists, 0);
    expect(cold.probes()).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(10_000)) + 1);
  });
});
