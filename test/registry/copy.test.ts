import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { seedCopySource, snapshotRegistry } from '../../src/conformance/copy-fixtures.js';
import { commit, publish } from '../../src/conformance/fixtures.js';
import { POSIX_PROVIDER_MODULE, runCopyWriter } from '../../src/conformance/copy-writer-process.js';
import { retentionPolicy } from '../../src/registry/retention.js';
import { Layout } from '../../src/providers/posix/layout.js';
import { copyRegistry, type CopyReport } from '../../src/registry/copy.js';
import * as errors from '../../src/registry/errors/index.js';
import { hasCode } from '../../src/registry/errors/index.js';
import type { Provider } from '../../src/registry/spi.js';
import type { GenerationManifest } from '../../src/registry/manifest.js';
import type { ProjectName } from '../../src/registry/names.js';
import { Registry } from '../../src/registry/registry.js';
import type { GenerationNumber, ReleaseVersion } from '../../src/registry/versions.js';
import { posixAt, scratch } from '../providers/posix/support.js';

const COPIED = new Date('2030-05-06T07:08:09.000Z');
const disposals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposals.splice(0)) await dispose();
});

async function posixRegistry(): Promise<{ registry: Registry; root: string }> {
  const box = await scratch();
  disposals.push(box.dispose);
  return {
    registry: new Registry(posixAt(box.root), { clock: () => new Date('2026-01-02T03:04:05.000Z') }),
    root: box.root,
  };
}

async function failure(work: Promise<unknown>): Promise<{ code: string; data: Record<string, unknown> }> {
  const error = (await work.then(
    () => null,
    (e: unknown) => e,
  )) as { code: string; data: Record<string, unknown> } | null;
  if (error === null || !hasCode(error, error.code as never)) throw new Error('expected a statekeep error');
  return error;
}

const copy = (from: Registry, to: Registry, scope = {}, options = {}): Promise<CopyReport> =>
  copyRegistry({ registry: from, name: 'laptop' }, { registry: to, name: 'team' }, scope, {
    clock: () => COPIED,
    ...options,
  });

describe('copy between registries (posix → posix)', () => {
  it('copies every release, generation, blob and alias entry with the same numbers, digests and fields', async () => {
    const { registry: source, root } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    const report = await copy(source, dest);
    expect(report.copied).toEqual({
      releases: 3,
      generations: 5,
      tombstones: 0,
      aliasEntries: 4,
      blobs: 7,
      bytes: expect.any(Number),
    });
    expect(report.present).toEqual({ releases: 0, generations: 0, tombstones: 0, aliasEntries: 0, blobs: 0, bytes: 0 });
    expect(report.releases.flatMap((r) => r.renumbered)).toEqual([]);
    expect(report.from).toEqual({ registry: 'laptop', source: root });
    const copies = new Map<string, GenerationManifest['copiedFrom']>();
    expect(await snapshotRegistry(dest, copies)).toEqual(await snapshotRegistry(source));
    // Every copied manifest says where it came from, with the source manifest's digest.
    const original = await source.storedManifest('iris', '1.0.0', 2);
    expect(copies.get('iris/1.0.0/2')).toEqual({
      registry: 'laptop',
      source: root,
      release: '1.0.0',
      generation: 2,
      manifest: original.digest,
      copied: COPIED.toISOString(),
    });
    expect([...copies.values()].every((c) => c?.source === root)).toBe(true);
  });

  it('a second run copies nothing and reports everything as present', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    const first = await copy(source, dest);
    const again = await copy(source, dest);
    expect(again.copied).toEqual({ releases: 0, generations: 0, tombstones: 0, aliasEntries: 0, blobs: 0, bytes: 0 });
    expect(again.present).toEqual(first.copied);
    expect(await dest.generations('iris', '1.0.0')).toEqual([1, 2, 3]);
  });

  it('copies what the source gained since the last copy, and only that', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    await copy(source, dest);
    await commit(source, 'iris', '1.1.0', { model: 'new' }, { parent: 1 });
    await source.setAlias('iris', 'production', { release: '1.1.0', generation: 2 });
    const report = await copy(source, dest);
    expect(report.copied).toMatchObject({ releases: 0, generations: 1, aliasEntries: 1, blobs: 1 });
    expect(await snapshotRegistry(dest)).toEqual(await snapshotRegistry(source));
  });

  it('one release: copies it, and the aliases whose whole history points into copied releases', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    const report = await copy(source, dest, { project: 'iris', release: '1.0.0' });
    expect(await dest.releaseVersions('iris')).toEqual(['1.0.0']);
    expect(await dest.generations('iris', '1.0.0')).toEqual([1, 2, 3]);
    // production moved into 1.1.0, which is not copied; staging only ever pointed into 1.0.0.
    expect(report.aliases.map((a) => [a.alias, a.copied, a.skipped === null])).toEqual([
      ['production', 0, false],
      ['staging', 2, true],
    ]);
    expect(await dest.aliasNames('iris')).toEqual(['staging']);
    // Copying the other release later makes production's history complete.
    const rest = await copy(source, dest, { project: 'iris' });
    expect(rest.copied).toMatchObject({ releases: 1, generations: 1, aliasEntries: 2 });
    expect((await snapshotRegistry(dest)).projects.iris).toEqual((await snapshotRegistry(source)).projects.iris);
  });

  it('refuses, with CONFLICT and nothing written, a release that holds generations of its own', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest, root } = await posixRegistry();
    await seedCopySource(source);
    await publish(dest, 'iris', '1.0.0', new TextEncoder().encode('iris 1.0.0 package'));
    // The same package, published separately (another record): the same release to copy into.
    await commit(dest, 'iris', '1.0.0', { own: 'mine' });
    const error = await failure(copy(source, dest));
    expect(error.code).toBe('CONFLICT');
    expect(error.data).toMatchObject({ project: 'iris', release: '1.0.0', destination: 'team', argument: 'append' });
    expect(await dest.releaseVersions('iris')).toEqual(['1.0.0']);
    expect(await dest.generations('iris', '1.0.0')).toEqual([1]);
    expect(await dest.projects()).toEqual(['iris']);
    void root;
  });

  it('with append, adds the source generations after its own with fresh numbers, parents followed', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    await publish(dest, 'iris', '1.0.0', new TextEncoder().encode('iris 1.0.0 package'));
    await commit(dest, 'iris', '1.0.0', { own: 'mine' });
    const report = await copy(source, dest, { project: 'iris' }, { append: true });
    const appended = report.releases.find((r) => r.release === '1.0.0')!;
    expect(appended).toMatchObject({
      appended: true,
      record: 'present',
      copied: [
        { from: 1, to: 2 },
        { from: 2, to: 3 },
        { from: 3, to: 4 },
      ],
      renumbered: [],
    });
    const tune = await dest.manifest('iris', '1.0.0', 3);
    expect([tune.parent, tune.copiedFrom?.generation]).toEqual([2, 2]);
    const rollback = await dest.manifest('iris', '1.0.0', 4);
    expect([rollback.parent, rollback.rollbackOf, rollback.copiedFrom?.generation]).toEqual([2, 2, 3]);
    // Alias targets follow the new numbers.
    expect(await dest.resolveAlias('iris', 'production')).toEqual({ release: '1.1.0', generation: 1 });
    const history: unknown[] = [];
    for await (const entry of dest.aliasHistory('iris', 'production')) history.unshift(entry.to);
    expect(history).toEqual([
      { release: '1.0.0', generation: 3 },
      { release: '1.1.0', generation: 1 },
    ]);
    // A rerun, with append again, finds every copy by its provenance.
    const again = await copy(source, dest, { project: 'iris' }, { append: true });
    expect(again.copied).toEqual({ releases: 0, generations: 0, tombstones: 0, aliasEntries: 0, blobs: 0, bytes: 0 });
    expect(await dest.generations('iris', '1.0.0')).toEqual([1, 2, 3, 4]);
  });

  it('refuses a release of the same version with other code, even with append', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    await publish(dest, 'iris', '1.0.0', new TextEncoder().encode('other code'));
    const error = await failure(copy(source, dest, { project: 'iris' }, { append: true }));
    expect(error.code).toBe('CONFLICT');
    expect(error.data).toMatchObject({ project: 'iris', release: '1.0.0' });
    expect(error.data.argument).toBeUndefined();
  });

  it('refuses an alias with a history of its own unless append, which moves it once', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    await copy(source, dest, { project: 'iris', release: '1.0.0' });
    await dest.setAlias('iris', 'production', { release: '1.0.0', generation: 1 }, { reason: 'ours' });
    const error = await failure(copy(source, dest, { project: 'iris' }));
    expect(error.code).toBe('CONFLICT');
    expect(error.data).toMatchObject({ project: 'iris', alias: 'production', argument: 'append' });
    const report = await copy(source, dest, { project: 'iris' }, { append: true });
    expect(report.aliases.find((a) => a.alias === 'production')).toMatchObject({ moved: true, copied: 0 });
    expect(await dest.resolveAlias('iris', 'production')).toEqual({ release: '1.1.0', generation: 1 });
  });

  it('refuses to copy a registry onto itself', async () => {
    const { registry: source, root } = await posixRegistry();
    await seedCopySource(source);
    const same = new Registry(posixAt(root));
    expect((await failure(copy(source, same))).code).toBe('USAGE');
    expect((await failure(copy(source, source))).code).toBe('USAGE');
  });

  it('names the missing project or release of the source', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    expect((await failure(copy(source, dest, { project: 'nope' }))).data).toMatchObject({ what: 'project' });
    expect((await failure(copy(source, dest, { project: 'iris', release: '9.0.0' }))).data).toMatchObject({
      what: 'release',
    });
    expect(await dest.projects()).toEqual([]);
  });

  it('stops with INTEGRITY at a damaged source blob, and publishes no generation that names it', async () => {
    const { registry: source, root } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    const { manifest } = await source.storedManifest('iris', '1.0.0', 2);
    const model = manifest.states.find((s) => s.actor === 'model')!;
    const file = new Layout(root).blob('iris' as ProjectName, model.digest);
    const bytes = readFileSync(file);
    bytes[0]! ^= 0xff;
    writeFileSync(file, bytes);
    const error = await failure(copy(source, dest));
    expect(error.code).toBe('INTEGRITY');
    expect(await dest.generations('iris', '1.0.0')).toEqual([1]);
  });
});

describe('provenance in the manifest', () => {
  it('is sealed by the checksum: an edited copiedFrom is damage', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest, root } = await posixRegistry();
    await seedCopySource(source);
    await copy(source, dest, { project: 'wine' });
    const file = new Layout(root).manifest('wine' as ProjectName, '0.1.0' as ReleaseVersion, 1 as GenerationNumber);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('"generation": 1,\n    "manifest"', '"generation": 7,\n    "manifest"'),
    );
    expect((await failure(dest.manifest('wine', '0.1.0', 1))).code).toBe('INTEGRITY');
  });

  it('is absent from manifests that were not copied, and a rollback of a copy is not a copy', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await seedCopySource(source);
    expect('copiedFrom' in (await source.manifest('iris', '1.0.0', 1))).toBe(false);
    await copy(source, dest, { project: 'iris' });
    const rolled = await dest.rollback('iris', '1.0.0', 2);
    expect(rolled.copiedFrom).toBeUndefined();
    expect('copiedFrom' in (await dest.manifest('iris', '1.0.0', rolled.generation))).toBe(false);
  });
});

describe('copying pruned generations', () => {
  const keepLast = (n: number) => retentionPolicy({ keepLast: n }, 'retention', 'test');

  /** p 1.0.0 with generations 1..4 (4 kept), 1..3 pruned by keepLast 1. */
  async function pruned(registry: Registry): Promise<void> {
    await publish(registry, 'p', '1.0.0', new TextEncoder().encode('p'));
    for (const text of ['g1', 'g2', 'g3', 'g4']) await commit(registry, 'p', '1.0.0', { a: text });
    await registry.gc({ policyFor: () => keepLast(1), graceMs: 0 });
  }

  it('copies them as tombstones under their numbers, the same bytes, and a rerun copies nothing', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await pruned(source);
    const report = await copy(source, dest);
    expect(report.copied).toMatchObject({ generations: 4, tombstones: 3, blobs: 2 });
    expect(report.releases[0]).toMatchObject({ tombstones: [1, 2, 3], renumbered: [] });
    for (const n of [1, 2, 3]) {
      const [held, original] = [
        await dest.storedGeneration('p', '1.0.0', n),
        await source.storedGeneration('p', '1.0.0', n),
      ];
      expect([held.kind, held.digest]).toEqual(['tombstone', original.digest]);
    }
    expect(await snapshotRegistry(dest)).toEqual(await snapshotRegistry(source));
    // The next commit still gets the next number.
    expect((await commit(dest, 'p', '1.0.0', { a: 'g5' })).generation).toBe(5);
    const again = await copy(source, dest, {}, { append: true });
    expect(again.copied).toEqual({ releases: 0, generations: 0, tombstones: 0, aliasEntries: 0, blobs: 0, bytes: 0 });
    expect(again.present).toMatchObject({ generations: 4, tombstones: 3 });
  });

  it('finishes a copy killed between publishing the placeholder and writing its tombstone', async () => {
    const { registry: source, root: sourceRoot } = await posixRegistry();
    const { registry: dest, root } = await posixRegistry();
    await pruned(source);
    const job = {
      source: { module: POSIX_PROVIDER_MODULE, export: 'PosixProvider', options: { path: sourceRoot } },
      sourceName: 'laptop',
      destination: { module: POSIX_PROVIDER_MODULE, export: 'PosixProvider', options: { path: root } },
    };
    // A real process, killed by SIGKILL right before it writes the second tombstone.
    expect(
      await runCopyWriter({ ...job, kill: { call: 2, when: 'before', method: 'tombstoneGeneration' } }),
    ).toBeNull();
    const placeholder = await dest.storedGeneration('p', '1.0.0', 2);
    expect(placeholder.kind === 'manifest' && placeholder.manifest.states).toEqual([]);
    const rerun = await runCopyWriter(job);
    expect(rerun?.releases[0]).toMatchObject({
      copied: [
        { from: 2, to: 2 },
        { from: 3, to: 3 },
        { from: 4, to: 4 },
      ],
    });
    expect(await dest.generations('p', '1.0.0')).toEqual([1, 2, 3, 4]);
    expect(await snapshotRegistry(dest)).toEqual(await snapshotRegistry(source));
  });

  it('keeps the full copies of generations the source pruned since, and copies nothing again', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await publish(source, 'p', '1.0.0', new TextEncoder().encode('p'));
    for (const text of ['g1', 'g2', 'g3']) await commit(source, 'p', '1.0.0', { a: text });
    await copy(source, dest);
    await source.gc({ policyFor: () => keepLast(1), graceMs: 0 });
    const again = await copy(source, dest);
    expect([again.copied.generations, again.present.generations]).toEqual([0, 3]);
    expect((await dest.storedGeneration('p', '1.0.0', 1)).kind).toBe('manifest');
  });

  it('knows its copies again after the destination pruned them itself', async () => {
    const { registry: source } = await posixRegistry();
    const { registry: dest } = await posixRegistry();
    await publish(source, 'p', '1.0.0', new TextEncoder().encode('p'));
    for (const text of ['g1', 'g2', 'g3']) await commit(source, 'p', '1.0.0', { a: text });
    await copy(source, dest);
    await dest.gc({ policyFor: () => keepLast(1), graceMs: 0 });
    expect((await dest.storedGeneration('p', '1.0.0', 1)).kind).toBe('tombstone');
    const again = await copy(source, dest);
    expect(again.copied.generations).toBe(0);
    expect(again.present.generations).toBe(3);
  });
});

describe('copying pruned generations into a provider without tombstones', () => {
  it('is UNSUPPORTED, before anything is written', async () => {
    const { registry: source } = await posixRegistry();
    await publish(source, 'p', '1.0.0', new TextEncoder().encode('p'));
    for (const text of ['g1', 'g2']) await commit(source, 'p', '1.0.0', { a: text });
    await source.gc({ policyFor: () => retentionPolicy({ keepLast: 1 }, 'retention', 'test'), graceMs: 0 });
    const module = pathToFileURL(path.resolve('test/platform/fixtures/memory-provider.js')).href;
    const MemoryProvider = (await import(module)).default as new (o: object, c: object) => Provider;
    const dest = new Registry(new MemoryProvider({}, { instance: 'memory', errors }));
    const error = await failure(copy(source, dest));
    expect(error.code).toBe('UNSUPPORTED');
    expect(await dest.projects()).toEqual([]);
  });
});
