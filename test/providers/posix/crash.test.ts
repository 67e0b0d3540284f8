import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { posixAt, scratch, snapshotBuild, spawnChild, tempFilesUnder, type BuildModules } from './support.js';

// Two writer lanes, each killing its writer 100 times: 200 SIGKILLs in all, and the lanes also
// race each other for numbers while they crash.
const LANES = 2;
const KILLS_PER_LANE = 100;
const MAX_DELAY_MS = 40;
const SEED = 20260102;

/** A small seeded generator, so a failing run's kill delays can be replayed. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('posix under SIGKILL', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  let build: BuildModules;
  beforeAll(async () => {
    space = await scratch();
    build = await snapshotBuild(space.dir);
  });
  afterAll(() => space.dispose());

  it(`${LANES * KILLS_PER_LANE} writers killed at random moments leave only complete, verified generations, intact history and a registry that takes the next commit`, {
    timeout: 600_000,
  }, async () => {
    const registry = registryOf(posixAt(space.root));
    await publish(registry, 'p', '1.0.0');
    const reported = new Map<number, string>();
    const releases = new Set<string>();
    let kills = 0;

    const lane = async (seed: number): Promise<void> => {
      const random = mulberry32(seed);
      for (let k = 0; k < KILLS_PER_LANE; k++) {
        const child = spawnChild('crash-writer.mjs', build, { root: space.root });
        // Wait until it is in its loop, then kill it somewhere inside a later step.
        await child.firstLine;
        await new Promise((resolve) => setTimeout(resolve, random() * MAX_DELAY_MS));
        child.process.kill('SIGKILL');
        const end = await child.ended;
        expect({ seed, k, signal: end.signal, stderr: end.stderr }).toEqual({ seed, k, signal: 'SIGKILL', stderr: '' });
        kills += 1;
        for (const line of child.lines) {
          const [kind, value, digests] = line.split(' ');
          if (kind === 'release') releases.add(value!);
          else {
            const n = Number(value);
            // Two writers reporting one number would be a reused number.
            expect({ n, digests: reported.get(n) ?? digests }).toEqual({ n, digests });
            reported.set(n, digests!);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: LANES }, (_, i) => lane(SEED + i)));
    expect(kills).toBe(LANES * KILLS_PER_LANE);

    // Every visible generation is complete and verified, and numbering has no gaps.
    const numbers = await registry.generations('p', '1.0.0');
    const latest = numbers.length;
    expect(numbers).toEqual(Array.from({ length: latest }, (_, i) => i + 1));
    expect(await registry.latest('p', '1.0.0')).toBe(latest);
    expect(latest).toBeGreaterThanOrEqual(Math.max(0, ...reported.keys()));
    for (const manifest of await registry.manifests('p', '1.0.0')) {
      expect((await registry.readStates(manifest)).size).toBe(3);
      // Generations whose writers lived to report them are exactly what they reported.
      const digests = reported.get(manifest.generation);
      if (digests !== undefined) expect(manifest.states.map((s) => s.digest).join(',')).toBe(digests);
    }
    // Every visible release pulls verified, and every reported one is visible.
    // No lane may have published any (NOT_FOUND); anything else is a failure to report.
    const versions = await registry.releaseVersions('q').catch((error: { code?: string }) => {
      if (error.code !== 'NOT_FOUND') throw error;
      return [];
    });
    for (const version of releases) expect(versions).toContain(version);
    for (const version of versions) await registry.pullRelease('q', version);

    // Cleanup takes every leftover, and the next commit goes on from where the crashes stopped.
    const leftovers = tempFilesUnder(space.root).length;
    expect(await registry.cleanup({ olderThanMs: 0 })).toMatchObject({ removed: leftovers });
    expect(tempFilesUnder(space.root)).toEqual([]);
    const next = await commit(registry, 'p', '1.0.0', { after: 'the crashes' });
    expect(next.generation).toBe(latest + 1);
    expect(new TextDecoder().decode(await registry.readState(next, 'after'))).toBe('the crashes');
  });
});
