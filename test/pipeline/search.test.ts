import { describe, expect, it } from 'vitest';
import { planSearch } from '../../src/pipeline/search/candidates.js';
import { holdoutSplit } from '../../src/pipeline/search/holdout.js';

describe('search plans', () => {
  it('grid search lists every combination, the first parameter varying slowest', () => {
    const plan = planSearch({ 'm.a': [1, 2], 'm.b': ['x', 'y', 'z'] }, { seed: 1 });
    expect(plan.strategy).toBe('grid');
    expect(plan.candidates).toEqual([
      { 'm.a': 1, 'm.b': 'x' },
      { 'm.a': 1, 'm.b': 'y' },
      { 'm.a': 1, 'm.b': 'z' },
      { 'm.a': 2, 'm.b': 'x' },
      { 'm.a': 2, 'm.b': 'y' },
      { 'm.a': 2, 'm.b': 'z' },
    ]);
  });

  it('grid search refuses ranges and a trial count other than its size', () => {
    expect(() => planSearch({ 'm.a': { min: 0, max: 1 } }, { strategy: 'grid', seed: 1 })).toThrow(
      expect.objectContaining({ code: 'USAGE', data: { argument: 'm.a' } }),
    );
    expect(() => planSearch({ 'm.a': [1, 2] }, { strategy: 'grid', trials: 5, seed: 1 })).toThrow(
      expect.objectContaining({ code: 'USAGE', data: { argument: 'trials' } }),
    );
    expect(
      planSearch({ 'm.a': [1, 2] }, { strategy: 'grid', trials: 2, defaultTrials: 9, seed: 1 }).candidates,
    ).toHaveLength(2);
  });

  it('random search is the default with a range, draws the asked number, and is the same for the same seed', () => {
    const space = {
      'm.rate': { min: 0.001, max: 1, scale: 'log' as const },
      'm.depth': { min: 1, max: 8, integer: true },
      'm.kind': ['a', 'b'],
    };
    const one = planSearch(space, { trials: 25, seed: 42 });
    expect(one.strategy).toBe('random');
    expect(one.candidates).toHaveLength(25);
    expect(planSearch(space, { trials: 25, seed: 42 }).candidates).toEqual(one.candidates);
    expect(planSearch(space, { trials: 25, seed: 43 }).candidates).not.toEqual(one.candidates);
    for (const c of one.candidates) {
      expect(c['m.rate']).toBeGreaterThanOrEqual(0.001);
      expect(c['m.rate']).toBeLessThanOrEqual(1);
      expect(Number.isInteger(c['m.depth'])).toBe(true);
      expect(['a', 'b']).toContain(c['m.kind']);
    }
    expect(planSearch(space, { defaultTrials: 3, seed: 1 }).candidates).toHaveLength(3);
    expect(planSearch(space, { seed: 1 }).candidates).toHaveLength(20);
  });

  it('refuses a malformed space', () => {
    expect(() => planSearch({ 'm.a': [] }, { seed: 1 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => planSearch({ 'm.a': { min: 2, max: 1 } }, { seed: 1 })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
    expect(() => planSearch({ 'm.a': { min: 0, max: 1, scale: 'log' } }, { seed: 1 })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
    expect(() => planSearch({ 'm.a': [{}] as never }, { seed: 1 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});

describe('holdout split', () => {
  it('holds out round(n × fraction) rows, partitions all rows, keeps row order, and depends only on the seed', () => {
    const split = holdoutSplit(10, 0.3, 5, 'f');
    expect(split.holdout).toHaveLength(3);
    expect([...split.train, ...split.holdout].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(split.train).toEqual([...split.train].sort((a, b) => a - b));
    expect(holdoutSplit(10, 0.3, 5, 'f')).toEqual(split);
    const others = [6, 7, 8, 9, 10].map((seed) => holdoutSplit(10, 0.3, seed, 'f').holdout.join());
    expect(others.some((h) => h !== split.holdout.join())).toBe(true);
  });

  it('keeps at least one row on each side and needs two rows', () => {
    expect(holdoutSplit(2, 0.01, 1, 'f').holdout).toHaveLength(1);
    expect(holdoutSplit(2, 0.99, 1, 'f').train).toHaveLength(1);
    expect(() => holdoutSplit(1, 0.5, 1, 'f')).toThrow(expect.objectContaining({ code: 'BAD_DATA' }));
  });
});
