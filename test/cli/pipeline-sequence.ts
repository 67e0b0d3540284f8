import path from 'node:path';
import { expect } from 'vitest';
import type { GenerationManifest } from '../../src/registry/manifest.js';
import type { Outcome } from './helpers.js';

export const EXAMPLE = path.resolve('examples/iris');
export const IRIS = path.join(EXAMPLE, 'data', 'iris.csv');
export const IRIS_EARLY = path.join(EXAMPLE, 'data', 'iris-early.csv');

export type Cli = (args: string[]) => Promise<Outcome>;

/** Runs a command that must succeed and returns its parsed --json output. */
export async function ok<T>(cli: Cli, args: string[]): Promise<T> {
  const outcome = await cli(['--json', ...args]);
  expect(outcome, outcome.stderr).toMatchObject({ code: 0 });
  return JSON.parse(outcome.stdout) as T;
}

/**
 * The main job through the CLI: train → 1, train again → 2 (warm), tune → 3, list,
 * rollback to 1 → 4, and apply 4 gives generation 1's predictions. Checked: numbers, modes,
 * parents, digests, ordinals.
 */
export async function mainJob(cli: Cli): Promise<void> {
  const one = await ok<GenerationManifest>(cli, ['train', EXAMPLE, '--data', IRIS_EARLY]);
  expect(one).toMatchObject({
    project: 'iris',
    release: '1.0.0',
    generation: 1,
    mode: 'train',
    parent: null,
    training: { rows: 100 },
  });
  const two = await ok<GenerationManifest>(cli, ['train', 'iris', '--data', IRIS, '--since-last']);
  expect(two).toMatchObject({ generation: 2, mode: 'train', parent: 1, training: { rows: 50 } });
  // Incremental: generation 2 starts where generation 1's data ended.
  expect(Date.parse(String(two.training!.lower))).toBeGreaterThan(Date.parse(String(one.training!.upper)));
  // The warm start is used: the parent's score on the new rows is measured before training.
  expect(two.metrics).toHaveProperty('accuracy_before');
  const three = await ok<GenerationManifest>(cli, ['tune', 'iris', '--data', IRIS]);
  expect(three).toMatchObject({ generation: 3, mode: 'tune', parent: null, tuning: { trials: 9 } });
  expect(three.package).toBe(one.package);

  const listed = await ok<{ generation: number; mode: string; parent: number | null; created: string }[]>(cli, [
    'list',
    'iris',
    '1.0.0',
  ]);
  expect(listed.map((g) => [g.generation, g.mode, g.parent])).toEqual([
    [1, 'train', null],
    [2, 'train', 1],
    [3, 'tune', null],
  ]);

  const four = await ok<GenerationManifest>(cli, ['rollback', 'iris', '1.0.0', '--to', '1']);
  expect(four).toMatchObject({ generation: 4, mode: 'rollback', rollbackOf: 1, parent: 1 });
  expect(four.states.map((s) => s.digest)).toEqual(one.states.map((s) => s.digest));
  expect(four.states.map((s) => s.digest)).not.toEqual(three.states.map((s) => s.digest));
  const shown = await ok<GenerationManifest>(cli, ['show', 'iris', '1.0.0']);
  expect(shown).toEqual(four);

  const applyFour = await ok<{ generation: number; predictions: string[] }>(cli, [
    'apply',
    'iris',
    '1.0.0',
    '4',
    '--data',
    IRIS,
  ]);
  const applyOne = await ok<{ generation: number; predictions: string[] }>(cli, [
    'apply',
    'iris',
    '1.0.0',
    '1',
    '--data',
    IRIS,
  ]);
  const latest = await ok<{ generation: number; predictions: string[] }>(cli, ['apply', 'iris', '--data', IRIS]);
  expect(applyFour.predictions).toHaveLength(150);
  expect(applyFour.predictions).toEqual(applyOne.predictions);
  // The latest generation is 4, and applying the same generation again gives identical output.
  expect(latest).toEqual(applyFour);
}
