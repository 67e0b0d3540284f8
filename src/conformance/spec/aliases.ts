import type { AliasEntry } from '../../registry/aliases.js';
import type { Registry } from '../../registry/registry.js';
import type { Provider } from '../../registry/spi.js';
import { STATEKEEP_VERSION } from '../../version.js';
import { startAliasRacer } from '../alias-writer-process.js';
import { commit, EPOCH, publish, registryOf } from '../fixtures.js';
import type { ConformanceSpec } from '../spec-context.js';

async function history(registry: Registry, project: string, alias: string): Promise<AliasEntry[]> {
  const entries: AliasEntry[] = [];
  for await (const entry of registry.aliasHistory(project, alias)) entries.push(entry);
  return entries;
}

/** p 1.0.0 with generations 1-3 and p 1.1.0 with generations 1-2. */
async function seeded(provider: Provider): Promise<Registry> {
  const registry = registryOf(provider);
  await publish(registry, 'p', '1.0.0');
  for (const g of [1, 2, 3]) await commit(registry, 'p', '1.0.0', { a: `a${g}` });
  await publish(registry, 'p', '1.1.0');
  for (const g of [1, 2]) await commit(registry, 'p', '1.1.0', { a: `b${g}` });
  return registry;
}

const at = (release: string, generation: number) => ({ release, generation });

/** Holds a provider to the alias contract: moves, compare-and-swap, history, races. */
export const aliasesSpec: ConformanceSpec = {
  area: 'aliases',
  capability: 'aliases',
  tests({ it, expect, target }) {
    it('set points an alias at a generation; resolve, list and history read it back with time, reason and version', async (provider) => {
      const registry = await seeded(provider);
      const entry = await registry.setAlias('p', 'production', at('1.0.0', 2), { reason: 'first serve' });
      expect(entry).toEqual({
        format: 1,
        project: 'p',
        alias: 'production',
        entry: 1,
        action: 'set',
        time: EPOCH.toISOString(),
        from: null,
        to: at('1.0.0', 2),
        reason: 'first serve',
        statekeep: STATEKEEP_VERSION,
      });
      expect(await registry.resolveAlias('p', 'production')).toEqual(at('1.0.0', 2));
      await registry.setAlias('p', 'staging', at('1.1.0', 1));
      expect((await registry.aliases('p')).map((e) => [e.alias, e.to])).toEqual([
        ['production', at('1.0.0', 2)],
        ['staging', at('1.1.0', 1)],
      ]);
      expect(await history(registry, 'p', 'production')).toEqual([entry]);
    });

    it('moving across releases records from and to; history is newest first and append-only', async (provider) => {
      const registry = await seeded(provider);
      await registry.setAlias('p', 'production', at('1.0.0', 1));
      await registry.setAlias('p', 'production', at('1.1.0', 2), { reason: 'new release' });
      await registry.setAlias('p', 'production', at('1.0.0', 3));
      const entries = await history(registry, 'p', 'production');
      expect(entries.map((e) => [e.entry, e.from, e.to, e.reason])).toEqual([
        [3, at('1.1.0', 2), at('1.0.0', 3), null],
        [2, at('1.0.0', 1), at('1.1.0', 2), 'new release'],
        [1, null, at('1.0.0', 1), null],
      ]);
      expect(await registry.resolveAlias('p', 'production')).toEqual(at('1.0.0', 3));
    });

    it('a generation, release or project that does not exist is NOT_FOUND, and nothing is recorded', async (provider) => {
      const registry = await seeded(provider);
      await expect(registry.setAlias('p', 'production', at('1.0.0', 4))).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'generation', generation: 4 },
      });
      await expect(registry.setAlias('p', 'production', at('9.0.0', 1))).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'release' },
      });
      await expect(registry.setAlias('q', 'production', at('1.0.0', 1))).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'project' },
      });
      expect(await history(registry, 'p', 'production')).toEqual([]);
      expect(await registry.aliases('p')).toEqual([]);
      await expect(registry.resolveAlias('p', 'production')).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { what: 'alias', name: 'production' },
      });
    });

    it('`latest` is reserved: it cannot be set and resolves to the newest generation of the newest release', async (provider) => {
      const registry = await seeded(provider);
      for (const name of ['latest', 'LATEST', '../x', '', '-rm'])
        await expect(registry.setAlias('p', name, at('1.0.0', 1))).rejects.toMatchObject({ code: 'INVALID_NAME' });
      expect(await registry.resolveAlias('p', 'latest')).toEqual(at('1.1.0', 2));
      await commit(registry, 'p', '1.1.0', { a: 'b3' });
      expect(await registry.resolveAlias('p', 'latest')).toEqual(at('1.1.0', 3));
      expect(await registry.aliases('p')).toEqual([]);
    });

    it('with an expectation the move happens only if the alias still holds it; otherwise CONFLICT and nothing changes', async (provider) => {
      const registry = await seeded(provider);
      await expect(
        registry.setAlias('p', 'production', at('1.0.0', 1), { expect: at('1.0.0', 1) }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        data: { project: 'p', alias: 'production', expected: '1.0.0 #1', actual: 'unset' },
      });
      await registry.setAlias('p', 'production', at('1.0.0', 1), { expect: null });
      await expect(registry.setAlias('p', 'production', at('1.0.0', 2), { expect: null })).rejects.toMatchObject({
        code: 'CONFLICT',
        data: { expected: 'unset', actual: '1.0.0 #1' },
      });
      await expect(
        registry.setAlias('p', 'production', at('1.0.0', 2), { expect: at('1.0.0', 3) }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        data: { expected: '1.0.0 #3', actual: '1.0.0 #1' },
      });
      const moved = await registry.setAlias('p', 'production', at('1.1.0', 2), { expect: at('1.0.0', 1) });
      expect(moved).toMatchObject({ entry: 2, from: at('1.0.0', 1), to: at('1.1.0', 2) });
      expect((await history(registry, 'p', 'production')).length).toBe(2);
    });

    it('rm unsets an alias and is recorded; resolving it is then NOT_FOUND, a second rm too, and set works again', async (provider) => {
      const registry = await seeded(provider);
      await registry.setAlias('p', 'production', at('1.0.0', 2));
      await expect(registry.removeAlias('p', 'production', { expect: at('1.0.0', 1) })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      const removed = await registry.removeAlias('p', 'production', { expect: at('1.0.0', 2), reason: 'retired' });
      expect(removed).toMatchObject({ entry: 2, action: 'rm', from: at('1.0.0', 2), to: null, reason: 'retired' });
      await expect(registry.resolveAlias('p', 'production')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await expect(registry.removeAlias('p', 'production')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      expect(await registry.aliases('p')).toEqual([]);
      await registry.setAlias('p', 'production', at('1.0.0', 3), { expect: null });
      expect((await history(registry, 'p', 'production')).map((e) => e.action)).toEqual(['set', 'rm', 'set']);
    });

    it('to previous moves back to where the alias pointed before its last move, and is itself recorded', async (provider) => {
      const registry = await seeded(provider);
      await expect(registry.setAlias('p', 'production', 'previous')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await registry.setAlias('p', 'production', at('1.0.0', 1));
      await expect(registry.setAlias('p', 'production', 'previous')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      await registry.setAlias('p', 'production', at('1.1.0', 2));
      const back = await registry.setAlias('p', 'production', 'previous', { reason: 'bad deploy' });
      expect(back).toMatchObject({ entry: 3, from: at('1.1.0', 2), to: at('1.0.0', 1), reason: 'bad deploy' });
      // Previous of an undo is the redo.
      expect((await registry.setAlias('p', 'production', 'previous')).to).toEqual(at('1.1.0', 2));
      await registry.removeAlias('p', 'production');
      expect((await registry.setAlias('p', 'production', 'previous')).to).toEqual(at('1.1.0', 2));
      // An explicit expectation that no longer holds fails like any other move.
      await expect(registry.setAlias('p', 'production', 'previous', { expect: at('1.0.0', 1) })).rejects.toMatchObject({
        code: 'CONFLICT',
      });
      expect((await history(registry, 'p', 'production')).length).toBe(6);
    });

    it('resolving reads the newest entry only, however long the history', async (provider) => {
      const registry = await seeded(provider);
      for (let i = 0; i < 40; i++) await registry.setAlias('p', 'production', at('1.0.0', 1 + (i % 3)));
      const reads: number[] = [];
      const counted = new Proxy(provider, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver);
          if (key === 'readAliasEntry')
            return (p: never, a: never, n: number) => {
              reads.push(n);
              return (value as Provider['readAliasEntry'])!.call(target, p, a, n);
            };
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      expect(await registryOf(counted).resolveAlias('p', 'production')).toEqual(at('1.0.0', 1));
      expect(reads).toEqual([40]);
    });

    it('8 concurrent moves from one expected target: exactly one wins, 7 get CONFLICT naming the winner, nothing else changes', async (provider) => {
      const registry = await seeded(provider);
      await registry.setAlias('p', 'production', at('1.0.0', 1));
      // None of them is the expected target itself, so a loser that re-reads can never match again.
      const others = [at('1.0.0', 2), at('1.0.0', 3), at('1.1.0', 1), at('1.1.0', 2)];
      const targets = Array.from({ length: 8 }, (_, i) => others[i % 4]!);
      const outcomes = await Promise.allSettled(
        targets.map((to) => registry.setAlias('p', 'production', to, { expect: at('1.0.0', 1) })),
      );
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      expect(won.length).toBe(1);
      const winner = (won[0] as PromiseFulfilledResult<AliasEntry>).value;
      for (const o of outcomes.filter((o) => o.status === 'rejected'))
        expect((o as PromiseRejectedResult).reason).toMatchObject({
          code: 'CONFLICT',
          data: { expected: '1.0.0 #1', actual: `${winner.to!.release} #${winner.to!.generation}` },
        });
      expect((await history(registry, 'p', 'production')).map((e) => e.entry)).toEqual([2, 1]);
    });

    it('8 concurrent unconditional moves all land, each recorded once, each entry from the one before', async (provider) => {
      const registry = await seeded(provider);
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          registry.setAlias('p', 'production', at('1.0.0', 1 + (i % 3)), { reason: `r${i}` }),
        ),
      );
      const entries = (await history(registry, 'p', 'production')).reverse();
      expect(entries.map((e) => e.entry)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(entries.map((e) => e.reason).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7']);
      for (let i = 1; i < entries.length; i++) expect(entries[i]!.from).toEqual(entries[i - 1]!.to);
    });

    it(
      '8 processes racing to move one alias from the same expected target: exactly one wins, the others get CONFLICT',
      async (provider) => {
        const registry = await seeded(provider);
        await registry.setAlias('p', 'production', at('1.0.0', 1));
        const racers = Array.from({ length: 8 }, (_, i) =>
          startAliasRacer({
            recipe: target.recipe!(provider),
            project: 'p',
            alias: 'production',
            to: at('1.1.0', 1 + (i % 2)),
            expect: at('1.0.0', 1),
            reason: `racer ${i}`,
          }),
        );
        await Promise.all(racers.map((r) => r.ready));
        for (const r of racers) r.start();
        const outcomes = await Promise.all(racers.map((r) => r.done));
        const winners = outcomes.filter((o) => o.won);
        expect(winners).toEqual([{ won: true, entry: 2 }]);
        const head = (await history(registry, 'p', 'production'))[0]!;
        for (const o of outcomes.filter((o) => !o.won))
          expect(o).toEqual({
            won: false,
            code: 'CONFLICT',
            data: { project: 'p', alias: 'production', expected: '1.0.0 #1', actual: `1.1.0 #${head.to!.generation}` },
          });
        expect((await history(registry, 'p', 'production')).map((e) => e.entry)).toEqual([2, 1]);
        expect(await registry.generations('p', '1.0.0')).toEqual([1, 2, 3]);
        expect(await registry.generations('p', '1.1.0')).toEqual([1, 2]);
      },
      { capability: 'aliasProcesses' },
    );
  },
};
