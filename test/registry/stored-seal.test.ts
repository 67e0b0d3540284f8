import { describe, expect, it } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { registryOf } from '../conformance/fixtures.js';

// A tuning run's params are the project's own values: whatever JSON makes of them is what is
// stored, and the checksum must be over that, or the generation (and the release's latest) would
// never read back.
describe('a sealed manifest reads back whatever JSON made of its values', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['a hole in an array', { grid: [1, undefined] }, { grid: [1, null] }],
    ['a Date', { when: new Date(0) }, { when: '1970-01-01T00:00:00.000Z' }],
    ['a function', { schedule: () => 1, lr: 0.1 }, { lr: 0.1 }],
  ];
  for (const [what, params, stored] of cases) {
    it(`tuning params holding ${what}`, async () => {
      const registry = registryOf(new VolatileProvider());
      await registry.publishRelease('p', '1.0.0', { payload: new Uint8Array([1]) });
      const committed = await registry.commit({
        project: 'p',
        release: '1.0.0',
        mode: 'tune',
        parent: null,
        tuning: { score: 1, params, trials: 1 },
        states: [{ actor: 'a', bytes: new Uint8Array([2]), codec: 'raw' }],
      });
      const read = await registry.manifest('p', '1.0.0');
      expect(read.generation).toBe(committed.generation);
      expect(read.tuning).toEqual({ score: 1, params: stored, trials: 1 });
    });
  }

  for (const [what, params] of [
    ['a BigInt', { n: 1n }],
    [
      'a cycle',
      (() => {
        const o: Record<string, unknown> = {};
        o.self = o;
        return o;
      })(),
    ],
  ] as [string, Record<string, unknown>][]) {
    it(`tuning params holding ${what}, which JSON cannot store, are refused before anything is stored`, async () => {
      const provider = new VolatileProvider();
      const registry = registryOf(provider);
      await registry.publishRelease('p', '1.0.0', { payload: new Uint8Array([1]) });
      const draft = {
        project: 'p',
        release: '1.0.0',
        mode: 'tune' as const,
        parent: null,
        tuning: { score: 1, params, trials: 1 },
        states: [{ actor: 'a', bytes: new Uint8Array([2]), codec: 'raw' }],
      };
      await expect(registry.commit(draft)).rejects.toMatchObject({ code: 'USAGE' });
      const blobs: string[] = [];
      for await (const { digest } of provider.listBlobs('p' as never)) blobs.push(digest);
      expect(blobs).toHaveLength(1);
      expect(await provider.listGenerations('p' as never, '1.0.0' as never)).toEqual([]);
    });
  }
});
