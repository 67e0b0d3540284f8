import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixProvider } from '../../providers/posix/posix-provider.js';
import { VolatileProvider } from '../../providers/volatile/volatile-provider.js';
import { copyRegistry, type CopyReport } from '../../registry/copy.js';
import { retentionPolicy } from '../../registry/retention.js';
import type { GenerationManifest } from '../../registry/manifest.js';
import type { Provider } from '../../registry/spi.js';
import { CAPABILITIES } from '../capabilities.js';
import { renumbered, seedCopySource, snapshotRegistry } from '../copy-fixtures.js';
import { POSIX_PROVIDER_MODULE, runCopyWriter, type CopyJob } from '../copy-writer-process.js';
import { commit, publish, registryOf } from '../fixtures.js';
import type { ConformanceSpec } from '../spec-context.js';

const NOTHING = { releases: 0, generations: 0, tombstones: 0, aliasEntries: 0, blobs: 0, bytes: 0 };
/** Copy processes killed in a row before the one that is let finish. */
const KILLS = 4;

// A copy carries aliases where the provider keeps them; one without copies the rest.
const keepsAliases = (provider: Provider): boolean => CAPABILITIES.aliases.detect(provider);

export const copySpec: ConformanceSpec = {
  area: 'copy',
  tests({ it, expect, target }) {
    it('copies a registry into the provider and back out: every digest, manifest field and number the same; a rerun copies nothing', async (provider) => {
      const source = registryOf(new VolatileProvider({}, { instance: 'copy-source' }));
      const under = registryOf(provider);
      const back = registryOf(new VolatileProvider({}, { instance: 'copy-back' }));
      await seedCopySource(source, 64, { aliases: false });
      const expected = await snapshotRegistry(source);
      const there = await copyRegistry({ registry: source, name: 'source' }, { registry: under, name: 'under-test' });
      expect(there.copied).toMatchObject({ releases: 3, generations: 5, blobs: 7, aliasEntries: 0 });
      const copies = new Map<string, GenerationManifest['copiedFrom']>();
      expect(await snapshotRegistry(under, copies)).toEqual(expected);
      expect([...copies.values()].every((c) => c?.registry === 'source' && c.source === source.descriptor.target)).toBe(
        true,
      );
      const home = await copyRegistry({ registry: under, name: 'under-test' }, { registry: back, name: 'back' });
      expect(home.copied).toEqual(there.copied);
      expect(await snapshotRegistry(back)).toEqual(expected);
      const again = [
        await copyRegistry({ registry: source, name: 'source' }, { registry: under, name: 'under-test' }),
        await copyRegistry({ registry: under, name: 'under-test' }, { registry: back, name: 'back' }),
      ];
      expect(again.map((r) => r.copied)).toEqual([NOTHING, NOTHING]);
      expect(again.map((r) => r.present.generations)).toEqual([5, 5]);
    });

    it(
      'copies aliases entry by entry: every target and the whole history, moves and removals included; a rerun copies none',
      async (provider) => {
        const source = registryOf(new VolatileProvider({}, { instance: 'copy-source' }));
        const under = registryOf(provider);
        await seedCopySource(source);
        const there = await copyRegistry({ registry: source, name: 'source' }, { registry: under, name: 'under-test' });
        expect(there.aliases.map((a) => [a.alias, a.copied])).toEqual([
          ['production', 2],
          ['staging', 2],
        ]);
        expect(await snapshotRegistry(under)).toEqual(await snapshotRegistry(source));
        expect(await under.resolveAlias('iris', 'production')).toEqual({ release: '1.1.0', generation: 1 });
        const again = await copyRegistry({ registry: source, name: 'source' }, { registry: under, name: 'under-test' });
        expect([again.copied.aliasEntries, again.present.aliasEntries]).toEqual([0, 4]);
      },
      { capability: 'aliases' },
    );

    it(
      'copies pruned generations as tombstones under their numbers, into the provider and back out; a rerun copies none',
      async (provider) => {
        const source = registryOf(new VolatileProvider({}, { instance: 'copy-source' }));
        const under = registryOf(provider);
        const back = registryOf(new VolatileProvider({}, { instance: 'copy-back' }));
        await publish(source, 'p', '1.0.0', new TextEncoder().encode('code'));
        for (const text of ['g1', 'g2', 'g3']) await commit(source, 'p', '1.0.0', { a: text });
        await source.gc({ policyFor: () => retentionPolicy({ keepLast: 1 }, 'retention', 'conformance'), graceMs: 0 });
        const expected = await snapshotRegistry(source);
        const into = await copyRegistry({ registry: source, name: 'source' }, { registry: under, name: 'under-test' });
        expect(into.releases[0]).toMatchObject({ tombstones: [1, 2], renumbered: [] });
        expect(await snapshotRegistry(under)).toEqual(expected);
        for (const n of [1, 2]) {
          const [copied, original] = [
            await under.storedGeneration('p', '1.0.0', n),
            await source.storedGeneration('p', '1.0.0', n),
          ];
          expect([copied.kind, copied.digest]).toEqual(['tombstone', original.digest]);
        }
        await copyRegistry({ registry: under, name: 'under-test' }, { registry: back, name: 'back' });
        expect(await snapshotRegistry(back)).toEqual(expected);
        const again = await copyRegistry({ registry: source, name: 'source' }, { registry: under, name: 'under-test' });
        expect([again.copied.generations, again.present.tombstones]).toEqual([0, 2]);
        // The next commit still gets the next number.
        expect((await commit(under, 'p', '1.0.0', { a: 'g4' })).generation).toBe(4);
      },
      { capability: 'lifecycle' },
    );

    it('refuses to copy into a release with generations of its own (CONFLICT), and appends after them with append', async (provider) => {
      const source = registryOf(new VolatileProvider({}, { instance: 'copy-source' }));
      const under = registryOf(provider);
      await publish(source, 'p', '1.0.0', new TextEncoder().encode('code'));
      await commit(source, 'p', '1.0.0', { a: 'from the source' });
      await publish(under, 'p', '1.0.0', new TextEncoder().encode('code'));
      await commit(under, 'p', '1.0.0', { a: 'its own' });
      const ends = [
        { registry: source, name: 'source' },
        { registry: under, name: 'under-test' },
      ] as const;
      const refused = await copyRegistry(...ends).then(
        () => null,
        (error: unknown) => error as { code?: string; data?: unknown },
      );
      expect(refused).toMatchObject({ code: 'CONFLICT', data: { project: 'p', release: '1.0.0', argument: 'append' } });
      expect(await under.generations('p', '1.0.0')).toEqual([1]);
      const appended = await copyRegistry(...ends, {}, { append: true });
      expect(appended.releases[0]!.copied).toEqual([{ from: 1, to: 2 }]);
      const copied = await under.manifest('p', '1.0.0', 2);
      expect(copied.copiedFrom?.generation).toBe(1);
      const state = (await under.readStates(copied)).get(copied.states[0]!.actor)!;
      expect(new TextDecoder().decode(state)).toBe('from the source');
      expect((await copyRegistry(...ends, {}, { append: true })).copied).toEqual(NOTHING);
    });

    it(
      `a copy process killed by SIGKILL at random moments ${KILLS} times, then run again, ends in a complete copy with no generation twice`,
      async (provider) => {
        const aliases = keepsAliases(provider);
        const dir = await mkdtemp(join(tmpdir(), 'statekeep-copy-source-'));
        try {
          const root = join(dir, 'registry');
          const source = registryOf(new PosixProvider({ path: root }));
          await seedCopySource(source, 4096, { aliases });
          const job: CopyJob = {
            source: { module: POSIX_PROVIDER_MODULE, export: 'PosixProvider', options: { path: root } },
            sourceName: 'source',
            destination: target.recipe!(provider),
          };
          const kills: string[] = [];
          for (let i = 0; i < KILLS; i++) {
            const kill = {
              call: 1 + Math.floor(Math.random() * 45),
              when: (['before', 'during', 'after'] as const)[Math.floor(Math.random() * 3)]!,
            };
            kills.push(`${kill.when} call ${kill.call}`);
            await runCopyWriter({ ...job, kill });
          }
          const last = (await runCopyWriter(job)) as CopyReport;
          const copies = new Map<string, GenerationManifest['copiedFrom']>();
          const copy = await snapshotRegistry(registryOf(provider), copies);
          // Numbers may differ where the provider skips one a killed copy took; each generation is there once.
          expect({ kills, copy }).toEqual({ kills, copy: renumbered(await snapshotRegistry(source), copies) });
          expect(copies.size).toBe(5);
          expect(last.copied.generations + last.present.generations).toBe(5);
          // And once more: nothing left to copy.
          expect(((await runCopyWriter(job)) as CopyReport).copied).toEqual(NOTHING);
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      },
      { capability: 'processes' },
    );
  },
};
