import { existsSync, readdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../../src/registry/digest.js';
import type { ProjectName } from '../../../src/registry/names.js';
import { retentionPolicy } from '../../../src/registry/retention.js';
import type { GenerationNumber, ReleaseVersion } from '../../../src/registry/versions.js';
import { bytes, commit, publish, registryOf } from '../../conformance/fixtures.js';
import { layoutOf, posixAt, scratch } from './support.js';

const P = 'p' as ProjectName;
const V = '1.0.0' as ReleaseVersion;

describe('posix lifecycle on disk', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  it('a tombstone replaces <n>.json in place: the name stays, so link(2) numbering and the latest search (hint included) are untouched', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    for (const s of ['a', 'b', 'c']) await commit(registry, 'p', '1.0.0', { a: s });
    await registry.gc({ policyFor: () => retentionPolicy({ keepLast: 1 }, 'retention', 'test'), graceMs: 0 });
    const layout = layoutOf(provider);
    const names = readdirSync(layout.generations(P, V))
      .filter((n) => !n.startsWith('.'))
      .sort();
    expect(names).toEqual(['1.json', '2.json', '3.json', 'latest.hint']);
    expect(JSON.parse(readFileSync(layout.manifest(P, V, 1), 'utf8'))).toMatchObject({
      kind: 'tombstone',
      generation: 1,
    });
    // A fresh provider (no cache) finds the latest from the hint and probes, and the next number.
    const fresh = posixAt(space.root);
    expect(await fresh.latestGeneration(P, V)).toBe(3);
    expect((await commit(registryOf(fresh), 'p', '1.0.0', { a: 'd' })).generation).toBe(4);
    expect(readFileSync(layout.latestHint(P, V), 'utf8')).toBe('4\n');
    // No temp file is left behind by the replace.
    expect(readdirSync(layout.generations(P, V)).filter((n) => n.startsWith('.tmp-'))).toEqual([]);
  });

  it('a tombstone edited on disk is damage: reading it is INTEGRITY, verify reports MANIFEST_DAMAGED', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    for (const s of ['a', 'b']) await commit(registry, 'p', '1.0.0', { a: s });
    await registry.gc({ policyFor: () => retentionPolicy({ keepLast: 1 }, 'retention', 'test'), graceMs: 0 });
    const file = layoutOf(provider).manifest(P, V, 1);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"keepLast: 1"', '"keepLast: 9"'));
    await expect(registry.manifest('p', '1.0.0', 1)).rejects.toMatchObject({ code: 'INTEGRITY' });
    const findings: { code: string; place: unknown }[] = [];
    await registry.verify({}, (f) => findings.push(f));
    expect(findings.map((f) => [f.code, f.place])).toEqual([
      ['MANIFEST_DAMAGED', { project: 'p', release: '1.0.0', generation: 1 }],
    ]);
  });

  it('writeBlob of an intact stored blob refreshes its mtime in place (same inode), and deleteBlob then refuses it', async () => {
    const provider = posixAt(space.root);
    await publish(registryOf(provider), 'p', '1.0.0');
    const blob = bytes('kept by a rewrite');
    const digest = digestOf(blob);
    await provider.writeBlob(P, digest, blob);
    const path = layoutOf(provider).blob(P, digest);
    const old = new Date(Date.now() - 7_200_000);
    utimesSync(path, old, old);
    const before = statSync(path);
    await provider.writeBlob(P, digest, blob);
    const after = statSync(path);
    expect(after.ino).toBe(before.ino);
    expect(after.mtimeMs).toBeGreaterThan(Date.now() - 60_000);
    expect(await provider.deleteBlob(P, digest, Date.now() - 3_600_000)).toBe(false);
    expect(existsSync(path)).toBe(true);
    // Made old again, it goes, and leaves no trash name in its shard.
    utimesSync(path, old, old);
    expect(await provider.deleteBlob(P, digest, Date.now() - 3_600_000)).toBe(true);
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dirname(path))).toEqual([]);
  });

  it('writeBlob after a gc took the name away (renamed it to delete it) stores the blob anew rather than refreshing the taken file', async () => {
    const provider = posixAt(space.root);
    await publish(registryOf(provider), 'p', '1.0.0');
    const blob = bytes('taken away');
    const digest = digestOf(blob);
    await provider.writeBlob(P, digest, blob);
    const path = layoutOf(provider).blob(P, digest);
    renameSync(path, `${path}.gone`);
    await provider.writeBlob(P, digest, blob);
    expect(readFileSync(path, 'utf8')).toBe('taken away');
  });

  it('deleteRelease removes the release directory whole, leaving the other releases and the blobs', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    await publish(registry, 'p', '1.1.0');
    await commit(registry, 'p', '1.0.0', { a: 'x' });
    await provider.deleteRelease(P, V);
    const layout = layoutOf(provider);
    expect(readdirSync(layout.releases(P))).toEqual(['1.1.0']);
    expect(await provider.hasBlob(P, digestOf(bytes('x')))).toBe(true);
    await expect(provider.tombstoneGeneration(P, V, 1 as GenerationNumber, bytes('{}'))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
