import { setTimeout as sleep } from 'node:timers/promises';
import { digestOf, type Digest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import { Registry } from '../../registry/registry.js';
import { retentionPolicy } from '../../registry/retention.js';
import type { Provider } from '../../registry/spi.js';
import { TOMBSTONE_KIND } from '../../registry/tombstone.js';
import type { ReleaseVersion } from '../../registry/versions.js';
import type { ConformanceSpec } from '../spec-context.js';
import { bytes, commit, publish, registryOf } from '../fixtures.js';

const P = 'p' as ProjectName;
const keepLast = (n: number) => retentionPolicy({ keepLast: n }, 'retention', 'conformance');

async function writtenAt(provider: Provider, digest: Digest): Promise<number | undefined> {
  for await (const blob of provider.listBlobs!(P)) if (blob.digest === digest) return blob.writtenAt;
  return undefined;
}

async function blobSet(provider: Provider): Promise<Set<string>> {
  const held = new Set<string>();
  for await (const blob of provider.listBlobs!(P)) held.add(blob.digest);
  return held;
}

/**
 * Six generations: 1 ← 2 ← 3 ← 4 (parents), 5 a rollback to 1, 6 ← 5; production → 3.
 * keepLast 2 keeps 5 and 6, 5's rollback source 1, the alias target 3 and its parent 2: only 4 goes.
 */
async function lineage(registry: Registry): Promise<void> {
  await publish(registry, 'p', '1.0.0');
  await commit(registry, 'p', '1.0.0', { a: 'one' });
  await commit(registry, 'p', '1.0.0', { a: 'two' }, { parent: 1 });
  await commit(registry, 'p', '1.0.0', { a: 'three' }, { parent: 2 });
  await commit(registry, 'p', '1.0.0', { a: 'four' }, { parent: 3 });
  await registry.rollback('p', '1.0.0', 1);
  await commit(registry, 'p', '1.0.0', { a: 'six' }, { parent: 5 });
  await registry.setAlias('p', 'production', { release: '1.0.0', generation: 3 });
}

export const lifecycleSpec: ConformanceSpec = {
  area: 'lifecycle',
  capability: 'lifecycle',
  tests({ it, expect }) {
    it('gc prunes what the policy lets go to tombstones, keeps aliased, parent and rollback sources, sweeps the freed blob', async (provider) => {
      const registry = registryOf(provider);
      await lineage(registry);
      const report = await registry.gc({ policyFor: () => keepLast(2), graceMs: 0 });
      expect(report.pruned).toEqual([
        { project: 'p', release: '1.0.0', generation: 4, policy: 'keepLast: 2', source: 'conformance' },
      ]);
      expect(report).toMatchObject({ dryRun: false, blobsDeleted: 1, bytesFreed: 'four'.length, skipped: [] });
      expect(await provider.hasBlob(P, digestOf(bytes('four')))).toBe(false);
      for (const kept of ['one', 'two', 'three', 'six'])
        expect(await provider.hasBlob(P, digestOf(bytes(kept)))).toBe(true);
      // The number stays: listed, counted, never handed out again.
      expect(await registry.generations('p', '1.0.0')).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await registry.latest('p', '1.0.0')).toBe(6);
      expect((await commit(registry, 'p', '1.0.0', { a: 'seven' })).generation).toBe(7);
      const history = await registry.history('p', '1.0.0');
      expect(history.map((h) => (h.tombstone === null ? h.generation : `${h.generation} pruned`))).toEqual([
        1,
        2,
        3,
        '4 pruned',
        5,
        6,
        7,
      ]);
      expect(history[3]!.tombstone).toMatchObject({
        kind: TOMBSTONE_KIND,
        generation: 4,
        parent: 3,
        rollbackOf: null,
        mode: 'train',
        policy: { rule: 'keepLast: 2', description: 'conformance' },
      });
      expect((await registry.manifests('p', '1.0.0')).map((m) => m.generation)).toEqual([1, 2, 3, 5, 6, 7]);
      // Verify takes the tombstone as valid and misses nothing it no longer references.
      const findings: unknown[] = [];
      const summary = await registry.verify({}, (f) => findings.push(f));
      expect(findings).toEqual([]);
      expect(summary).toMatchObject({ damaged: 0, missing: 0 });
    });

    it('reading, rolling back to or aliasing a pruned generation is NOT_FOUND saying it was pruned, when and by which policy', async (provider) => {
      const registry = registryOf(provider);
      await lineage(registry);
      await registry.gc({ policyFor: () => keepLast(2), graceMs: 0 });
      const pruned = {
        code: 'NOT_FOUND',
        data: { what: 'generation', generation: 4, pruned: true, policy: 'keepLast: 2', policySource: 'conformance' },
      };
      await expect(registry.manifest('p', '1.0.0', 4)).rejects.toMatchObject(pruned);
      await expect(registry.rollback('p', '1.0.0', 4)).rejects.toMatchObject(pruned);
      await expect(registry.setAlias('p', 'staging', { release: '1.0.0', generation: 4 })).rejects.toMatchObject(
        pruned,
      );
      await expect(commit(registry, 'p', '1.0.0', { a: 'x' }, { parent: 4 })).rejects.toMatchObject(pruned);
      // The default (newest) generation is always usable.
      expect((await registry.manifest('p', '1.0.0')).generation).toBe(6);
    });

    it('a dry run reports exactly what the real run then does, and changes nothing', async (provider) => {
      const registry = registryOf(provider);
      await lineage(registry);
      const dry = await registry.gc({ policyFor: () => keepLast(2), graceMs: 0, dryRun: true });
      expect(dry).toMatchObject({ dryRun: true, blobsDeleted: 1, bytesFreed: 4 });
      expect(dry.pruned.map((p) => p.generation)).toEqual([4]);
      expect((await registry.manifest('p', '1.0.0', 4)).generation).toBe(4);
      expect(await provider.hasBlob(P, digestOf(bytes('four')))).toBe(true);
      const real = await registry.gc({ policyFor: () => keepLast(2), graceMs: 0 });
      expect({ ...real, dryRun: true }).toEqual(dry);
      const again = await registry.gc({ policyFor: () => keepLast(2), graceMs: 0 });
      expect(again).toMatchObject({ pruned: [], blobsDeleted: 0 });
    });

    it('without a policy nothing is pruned; an unreferenced blob goes only once the grace period has passed', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await commit(registry, 'p', '1.0.0', { a: 'one' });
      await commit(registry, 'p', '1.0.0', { a: 'two' });
      const stray = bytes('written, never named');
      await provider.writeBlob(P, digestOf(stray), stray);
      const within = await registry.gc({ graceMs: 3_600_000 });
      expect(within).toMatchObject({ pruned: [], blobsDeleted: 0, blobsRecent: 1 });
      expect(await provider.hasBlob(P, digestOf(stray))).toBe(true);
      // Grace 0 lets go of what was written before now: on a fast provider, not in this millisecond.
      await sleep(5);
      const after = await registry.gc({ graceMs: 0 });
      expect(after).toMatchObject({ pruned: [], blobsDeleted: 1, bytesFreed: stray.length });
      expect(await registry.generations('p', '1.0.0')).toEqual([1, 2]);
      expect(await provider.hasBlob(P, digestOf(stray))).toBe(false);
    });

    it('deleteBlob honours notWrittenSince, and writeBlob of a stored blob refreshes writtenAt', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const blob = bytes('a blob to delete');
      const digest = digestOf(blob);
      await provider.writeBlob(P, digest, blob);
      const first = (await writtenAt(provider, digest))!;
      expect(first).toBeGreaterThan(Date.now() - 600_000);
      // Written at `first`, so written since any time up to it: kept.
      expect(await provider.deleteBlob!(P, digest, first - 1)).toBe(false);
      await sleep(30);
      await provider.writeBlob(P, digest, blob);
      const second = (await writtenAt(provider, digest))!;
      expect(second).toBeGreaterThan(first);
      expect(await provider.deleteBlob!(P, digest, (first + second) / 2)).toBe(false);
      expect(await provider.hasBlob(P, digest)).toBe(true);
      expect(await provider.deleteBlob!(P, digest, Date.now() + 1000)).toBe(true);
      expect(await provider.hasBlob(P, digest)).toBe(false);
      expect(await provider.deleteBlob!(P, digest, Date.now() + 1000)).toBe(false);
      // Stored again after deletion: whole.
      await provider.writeBlob(P, digest, blob);
      expect(Buffer.from(await provider.readBlob(P, digest)).toString()).toBe('a blob to delete');
    });

    it('tombstoneGeneration of a generation that is not published is NOT_FOUND and publishes nothing', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      await commit(registry, 'p', '1.0.0', { a: 'one' });
      await expect(
        provider.tombstoneGeneration!(P, '1.0.0' as ReleaseVersion, 2 as never, bytes('{}')),
      ).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await registry.generations('p', '1.0.0')).toEqual([1]);
      expect((await commit(registry, 'p', '1.0.0', { a: 'two' })).generation).toBe(2);
    });

    it('release rm is refused while an alias points into it and for the newest release; afterwards the version is never published again', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0', bytes('package one'));
      await commit(registry, 'p', '1.0.0', { a: 'only in 1.0.0' });
      await publish(registry, 'p', '1.1.0', bytes('package two'));
      await commit(registry, 'p', '1.1.0', { a: 'in 1.1.0' });
      await registry.setAlias('p', 'production', { release: '1.0.0', generation: 1 });
      await expect(registry.removeRelease('p', '1.0.0')).rejects.toMatchObject({
        code: 'IN_USE',
        data: { project: 'p', release: '1.0.0', by: 'alias production (p 1.0.0 #1)' },
      });
      await expect(registry.removeRelease('p', '1.1.0')).rejects.toMatchObject({ code: 'IN_USE' });
      await registry.removeAlias('p', 'production');
      await registry.removeRelease('p', '1.0.0');
      expect(await registry.releaseVersions('p')).toEqual(['1.1.0']);
      await expect(registry.generations('p', '1.0.0')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(provider.deleteRelease!(P, '1.0.0' as ReleaseVersion)).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(publish(registry, 'p', '1.0.0')).rejects.toMatchObject({ code: 'RELEASE_ORDER' });
      // Its blobs go at the next gc: the state and the package only it referenced.
      const report = await registry.gc({ graceMs: 0 });
      expect(report.blobsDeleted).toBe(2);
      expect(await provider.hasBlob(P, digestOf(bytes('only in 1.0.0')))).toBe(false);
      expect(await provider.hasBlob(P, digestOf(bytes('package one')))).toBe(false);
      expect(await provider.hasBlob(P, digestOf(bytes('package two')))).toBe(true);
      expect((await commit(registry, 'p', '1.1.0', { a: 'more' })).generation).toBe(2);
    });

    it('gc in a loop while writers in this process commit shared states: every kept generation verifies, a final gc leaves exactly the referenced blobs', async (provider) => {
      await gcUnderWriters(
        provider,
        expect,
        async (grace, until) => {
          const writers = Array.from({ length: 4 }, async () => {
            const writer = new Registry(provider, { gcGraceMs: grace });
            while (Date.now() < until) {
              await writer.commit({
                project: 'p',
                release: '1.0.0',
                mode: 'train',
                parent: null,
                states: [
                  { actor: 'shared', bytes: bytes('the same everywhere'), codec: 'raw' },
                  { actor: 'pooled', bytes: bytes(`pooled ${Math.floor(Math.random() * 6)}`), codec: 'raw' },
                  { actor: 'own', bytes: bytes(`own ${Math.random()}`), codec: 'raw' },
                ],
              });
              // A pause as long as a small commit takes on disk, so that a fast provider does not
              // pile up tens of thousands of generations for gc to read.
              await sleep(5);
            }
          });
          await Promise.all(writers);
          // Short: the kit's own tests run this area once per broken provider they check.
        },
        1500,
      );
    });
  },
};

/**
 * Runs `write` (writers committing until the deadline) while gc prunes and sweeps in a loop with
 * a grace of a second; then checks that every generation that is not pruned reads back whole,
 * and that a final gc with grace 0 leaves exactly the blobs that something references.
 */
export async function gcUnderWriters(
  provider: Provider,
  expect: Parameters<ConformanceSpec['tests']>[0]['expect'],
  write: (graceMs: number, until: number) => Promise<void>,
  forMs = 3000,
): Promise<void> {
  const grace = 1000;
  const registry = registryOf(provider);
  await publish(registry, 'p', '1.0.0');
  const policy = retentionPolicy({ keepLast: 3, gcGraceMs: grace }, 'retention', 'conformance');
  const until = Date.now() + forMs;
  let done = false;
  let runs = 0;
  let pruned = 0;
  const writing = write(grace, until).finally(() => (done = true));
  const collecting = (async () => {
    while (!done) {
      const report = await registry.gc({ policyFor: () => policy });
      pruned += report.pruned.length;
      runs += 1;
      // A provider that answers without real I/O (volatile) settles every call as a microtask:
      // without a turn of the event loop here, the writers' timers would never fire.
      await sleep(1);
    }
  })();
  await Promise.all([writing, collecting]);
  expect(runs).toBeGreaterThan(0);
  for (const manifest of await registry.manifests('p', '1.0.0')) {
    const states = await registry.readStates(manifest);
    expect(states.size).toBe(manifest.states.length);
  }
  const findings: { kind: string }[] = [];
  await registry.verify({ project: 'p' }, (f) => findings.push(f));
  expect(findings.filter((f) => f.kind !== 'orphaned')).toEqual([]);
  pruned += (await registry.gc({ policyFor: () => policy, graceMs: 0 })).pruned.length;
  expect(pruned).toBeGreaterThan(0);
  const referenced = new Set<string>([(await registry.release('p', '1.0.0')).package!.digest]);
  for (const manifest of await registry.manifests('p', '1.0.0'))
    for (const s of manifest.states) referenced.add(s.digest);
  expect([...(await blobSet(provider))].sort()).toEqual([...referenced].sort());
}
