import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registryOf } from '../../conformance/fixtures.js';
import { filesUnder, posixAt, scratch, snapshotBuild, spawnChild, tempFilesUnder } from './support.js';

const WRITERS = 8;
const COMMITS = 25;

describe('posix with writer processes', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  it(`${WRITERS} processes racing to create one registry and one release: one creates it, all commit, generations are exactly 1..${WRITERS * COMMITS}`, {
    timeout: 120_000,
  }, async () => {
    const build = await snapshotBuild(space.dir);
    const children = Array.from({ length: WRITERS }, () =>
      spawnChild('race-writer.mjs', build, { root: space.root, commits: COMMITS }),
    );
    // All of them loaded and waiting, then released at once onto a root that does not exist.
    await Promise.all(children.map((c) => c.firstLine));
    for (const child of children) child.process.stdin!.write('go\n');
    const ends = await Promise.all(children.map((c) => c.ended));
    for (const end of ends) expect(end).toMatchObject({ code: 0, stderr: '' });

    const results = children.map((c) => JSON.parse(c.lines.at(-1)!) as { created: boolean; generations: number[] });
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const all = Array.from({ length: WRITERS * COMMITS }, (_, i) => i + 1);
    expect(results.flatMap((r) => r.generations).sort((a, b) => a - b)).toEqual(all);

    const registry = registryOf(posixAt(space.root));
    expect(await registry.releaseVersions('p')).toEqual(['1.0.0']);
    expect(await registry.generations('p', '1.0.0')).toEqual(all);
    expect(await registry.latest('p', '1.0.0')).toBe(WRITERS * COMMITS);
    for (const manifest of await registry.manifests('p', '1.0.0'))
      expect((await registry.readStates(manifest)).size).toBe(2);
    expect((await registry.pullRelease('p', '1.0.0')).record.version).toBe('1.0.0');
    expect(JSON.parse(readFileSync(join(space.root, 'statekeep-registry.json'), 'utf8'))).toEqual({ format: 1 });
    // Writers that finished normally leave nothing behind, not even temp files of lost races.
    expect(tempFilesUnder(space.root)).toEqual([]);
    expect(filesUnder(space.root).filter((f) => f.endsWith('.json'))).toHaveLength(1 + 1 + WRITERS * COMMITS);
  });
});
