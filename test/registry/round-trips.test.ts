import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Registry } from '../../src/registry/registry.js';
import { bytes, commit, publish, registryOf } from '../conformance/fixtures.js';
import { posixAt, scratch } from '../providers/posix/support.js';
import type { Provider } from '../../src/registry/spi.js';
import { countingProvider as counting } from '../support/counting-provider.js';

/** The provider as one without the lifecycle methods (no gc, so nothing it holds is ever deleted). */
function withoutLifecycle(provider: Provider): Provider {
  const hidden = new Set<PropertyKey>(['tombstoneGeneration', 'deleteBlob', 'deleteRelease']);
  return new Proxy(provider, {
    get: (target, key) => {
      if (hidden.has(key)) return undefined;
      const value = Reflect.get(target, key);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('provider calls per Registry operation (posix)', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  let registry: Registry;
  let take: () => Record<string, number>;

  beforeEach(async () => {
    space = await scratch();
    const setup = registryOf(posixAt(space.root));
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) await publish(setup, 'p', version);
    await commit(setup, 'p', '1.0.0', { scaler: 's1', model: 'm1' });
    await commit(setup, 'p', '1.0.0', { scaler: 's1', model: 'm2' }, { parent: 1 });
    // A fresh Registry per test, as every CLI command opens one.
    const counted = counting(posixAt(space.root));
    registry = registryOf(counted.provider);
    take = counted.take;
  });
  afterEach(() => space.dispose());

  it('list PROJECT: 2N+1 for N releases (a listing, then each record and its generations)', async () => {
    const rows = await registry.releasesWithGenerations('p');
    expect(rows.map((r) => [r.record.version, r.generations])).toEqual([
      ['1.0.0', [1, 2]],
      ['1.1.0', []],
      ['1.2.0', []],
    ]);
    expect(take()).toEqual({ listReleases: 1, readRelease: 3, listGenerations: 3 });
  });

  it('list PROJECT RELEASE: the listing and each manifest', async () => {
    expect((await registry.manifests('p', '1.0.0')).length).toBe(2);
    expect(take()).toEqual({ listGenerations: 1, readManifest: 2 });
  });

  it('show: the latest number and its manifest; a given generation, its manifest only', async () => {
    expect((await registry.manifest('p', '1.0.0')).generation).toBe(2);
    expect(take()).toEqual({ latestGeneration: 1, readManifest: 1 });
    expect((await registry.manifest('p', '1.0.0', 1)).generation).toBe(1);
    expect(take()).toEqual({ readManifest: 1 });
  });

  it('apply: the manifest and one read per state', async () => {
    const manifest = await registry.manifest('p', '1.0.0');
    await registry.readStates(manifest);
    expect(take()).toEqual({ latestGeneration: 1, readManifest: 1, readBlob: 2 });
  });

  it('train: warm start, then a commit that writes the changed state and touches the unchanged one, with no hasBlob', async () => {
    // What the runtime does: latest, its manifest, its states; then the commit.
    const latest = await registry.latest('p', '1.0.0');
    const parent = await registry.manifest('p', '1.0.0', latest!);
    await registry.readStates(parent);
    expect(take()).toEqual({ latestGeneration: 1, readManifest: 1, readBlob: 2 });
    const committed = await commit(registry, 'p', '1.0.0', { scaler: 's1', model: 'm3' }, { parent: 2 });
    expect(committed.generation).toBe(3);
    // The record (verified before writing into its release) and the parent are read at once.
    // posix can delete blobs (gc), so the unchanged state, only read, is written (touched) too:
    // a gc may have pruned every generation that named it meanwhile (see src/registry/gc.ts).
    expect(take()).toEqual({ readRelease: 1, readManifest: 1, writeBlob: 2, publishGeneration: 1 });
  });

  it('train on a provider that cannot delete blobs: the unchanged state, read just now, is not written again', async () => {
    const counted = counting(withoutLifecycle(posixAt(space.root)));
    const plain = registryOf(counted.provider);
    const parent = await plain.manifest('p', '1.0.0', 2);
    await plain.readStates(parent);
    counted.take();
    await commit(plain, 'p', '1.0.0', { scaler: 's1', model: 'm3' }, { parent: 2 });
    expect(counted.take()).toEqual({ readRelease: 1, readManifest: 1, writeBlob: 1, publishGeneration: 1 });
  });

  it('train from scratch: every state written once, no hasBlob, into a release verified first', async () => {
    expect(await registry.latest('p', '1.1.0')).toBeNull();
    // No generation: the record tells an empty release from a missing one.
    expect(take()).toEqual({ latestGeneration: 1, readRelease: 1 });
    await commit(registry, 'p', '1.1.0', { scaler: 's1', model: 'm1', twin: 'm1' });
    expect(take()).toEqual({ readRelease: 1, writeBlob: 2, publishGeneration: 1 });
  });

  it('rollback: the record and the target at once, the target states, the publish', async () => {
    await registry.rollback('p', '1.0.0', 1);
    // Its states are read (verified), then written (touched) for gc's sake, as a commit's are.
    expect(take()).toEqual({ readRelease: 1, readManifest: 1, readBlob: 2, writeBlob: 2, publishGeneration: 1 });
  });

  it('resolve @latest: the listing and the latest number, not its manifest (the caller reads that)', async () => {
    await commit(registry, 'p', '1.2.0', { scaler: 's1', model: 'm1' });
    take();
    expect(await registry.resolveAlias('p', 'latest')).toEqual({ release: '1.2.0', generation: 1 });
    expect(take()).toEqual({ listReleases: 1, latestGeneration: 1 });
  });

  it('publish a release: the listing, the package blob and the record; pulling it with the record in hand: the blob', async () => {
    const record = await registry.publishRelease('p', '2.0.0', { payload: bytes('package') });
    expect(take()).toEqual({ listReleases: 1, writeBlob: 1, writeRelease: 1 });
    await registry.pullRelease('p', '2.0.0', record);
    expect(take()).toEqual({ readBlob: 1 });
  });
});
