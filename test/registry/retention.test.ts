import { describe, expect, it } from 'vitest';
import { instanceRetention } from '../../src/platform/retention-config.js';
import { decideRetention, parseDuration, retentionPolicy, type GenerationFacts } from '../../src/registry/retention.js';
import type { GenerationNumber } from '../../src/registry/versions.js';

const NOW = new Date('2030-01-31T00:00:00Z');
const day = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

function facts(rows: [number, number | null, number | null, number, boolean?][]): GenerationFacts[] {
  return rows.map(([generation, parent, rollbackOf, ageDays, pruned]) => ({
    generation: generation as GenerationNumber,
    parent: parent as GenerationNumber | null,
    rollbackOf: rollbackOf as GenerationNumber | null,
    created: day(ageDays),
    pruned: pruned === true,
  }));
}

describe('decideRetention', () => {
  it('keeps nothing extra and prunes nothing without a rule', () => {
    const all = facts([
      [1, null, null, 9],
      [2, null, null, 8],
    ]);
    expect(decideRetention(all, new Set(), null, NOW)).toEqual({ keep: [1, 2], prune: [] });
    expect(decideRetention(all, new Set(), { keepLast: null, keepWithinMs: null }, NOW).prune).toEqual([]);
  });

  it('keeps the newest N, those within the duration (either rule keeps), aliased ones and the newest', () => {
    const all = facts([
      [1, null, null, 40],
      [2, null, null, 35],
      [3, null, null, 20],
      [4, null, null, 10],
      [5, null, null, 1],
    ]);
    expect(decideRetention(all, new Set(), { keepLast: 1, keepWithinMs: 15 * 86_400_000 }, NOW)).toEqual({
      keep: [4, 5],
      prune: [1, 2, 3],
    });
    expect(decideRetention(all, new Set([2]), { keepLast: 1, keepWithinMs: null }, NOW)).toEqual({
      keep: [2, 5],
      prune: [1, 3, 4],
    });
  });

  it("keeps a kept generation's parent one step, and rollback sources transitively; pruned ones count as gone", () => {
    // 1 ← 2 ← 3 ← 4; 5 rolls back to 3 (parent 3); 6 rolls back to 5 (parent 5); 7 ← 6.
    const all = facts([
      [1, null, null, 9],
      [2, 1, null, 8],
      [3, 2, null, 7],
      [4, 3, null, 6],
      [5, 3, 3, 5],
      [6, 5, 5, 4],
      [7, 6, null, 3],
    ]);
    // keepLast 1 keeps 7; its parent 6 (a rollback) brings 6's source 5, whose source 3 follows.
    expect(decideRetention(all, new Set(), { keepLast: 1, keepWithinMs: null }, NOW)).toEqual({
      keep: [3, 5, 6, 7],
      prune: [1, 2, 4],
    });
    const again = facts([
      [1, null, null, 9, true],
      [2, 1, null, 8],
      [3, 2, null, 7],
    ]);
    expect(decideRetention(again, new Set(), { keepLast: 1, keepWithinMs: null }, NOW)).toEqual({
      keep: [2, 3],
      prune: [],
    });
  });
});

describe('retention settings', () => {
  it('reads durations in ms, s, m, h, d, w and refuses anything else', () => {
    expect([parseDuration('30d'), parseDuration('12h'), parseDuration('90m'), parseDuration('500ms')]).toEqual([
      2_592_000_000, 43_200_000, 5_400_000, 500,
    ]);
    for (const bad of ['30 days', '1.5h', '-1d', 'd', '', 30]) expect(parseDuration(bad)).toBeNull();
  });

  it('refuses a bad block with CONFIG naming the key', () => {
    const cases: [unknown, string][] = [
      [{ keepLast: 0 }, 'r.keepLast'],
      [{ keepLast: '10' }, 'r.keepLast'],
      [{ keepWithin: '30 days' }, 'r.keepWithin'],
      [{ grace: 'soon' }, 'r.grace'],
      [{ gcGraceMs: -1 }, 'r.gcGraceMs'],
      [{ grace: '1h', gcGraceMs: 1 }, 'r.gcGraceMs'],
      [{ keepLatest: 3 }, 'r.keepLatest'],
      ['30d', 'r'],
    ];
    for (const [raw, key] of cases)
      expect(() => retentionPolicy(raw, 'r', 'test'), JSON.stringify(raw)).toThrow(
        expect.objectContaining({ code: 'CONFIG', data: expect.objectContaining({ key }) }),
      );
    expect(retentionPolicy({ keepLast: 10, keepWithin: '30d', grace: '10m' }, 'r', 'test')).toMatchObject({
      keepLast: 10,
      keepWithinMs: 2_592_000_000,
      graceMs: 600_000,
      rule: 'keepLast: 10, keepWithin: 30d',
    });
  });

  it('an instance block applies to every project, overridden key by key per project; a project cannot set the grace', () => {
    const instance = (retention: unknown) => ({
      name: 'main',
      provider: 'posix',
      module: null,
      options: { path: '/x', retention },
    });
    const r = instanceRetention(
      instance({
        keepLast: 10,
        keepWithin: '30d',
        grace: '2h',
        projects: { iris: { keepLast: 3 }, wine: { keepWithin: null } },
      }),
    );
    expect(r.graceMs).toBe(7_200_000);
    expect(r.policyFor('other')).toMatchObject({ keepLast: 10, keepWithinMs: 2_592_000_000, source: 'registry main' });
    expect(r.policyFor('iris')).toMatchObject({
      keepLast: 3,
      keepWithinMs: 2_592_000_000,
      rule: 'keepLast: 3, keepWithin: 30d',
    });
    expect(r.policyFor('wine')).toMatchObject({ keepLast: 10, keepWithinMs: null });
    expect(instanceRetention(instance(undefined)).policyFor('iris')).toBeNull();
    expect(() => instanceRetention(instance({ projects: { iris: { grace: '1m' } } }))).toThrow(
      expect.objectContaining({
        code: 'CONFIG',
        data: expect.objectContaining({ key: 'registry.instances.main.retention.projects.iris' }),
      }),
    );
  });
});
