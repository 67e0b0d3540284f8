import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import type { GenerationManifest } from '../../src/registry/manifest.js';
import type { ProviderClass } from '../../src/registry/spi.js';
import type { StructureView } from '../../src/cli/structure-view.js';
import { statekeepInProcess, workspace } from './helpers.js';
import { type Cli, ok } from './pipeline-sequence.js';

// Every command bundles or mounts the example's release (with ml-random-forest inside it) and
// trains forests, on two shared cores.
vi.setConfig({ testTimeout: 180_000 });

const EXAMPLE = path.resolve('examples/penguins');
const PENGUINS = path.join(EXAMPLE, 'data', 'penguins.csv');
const EARLY = path.join(EXAMPLE, 'data', 'penguins-early.csv');
const ACTORS = [
  'label-encoder',
  'categorical.imputer',
  'categorical.encoder',
  'numeric.imputer',
  'numeric.scaler',
  'model',
];

/** The actors of a structure, each with the branch it sits in and its state digest. */
function actorsOf(node: StructureView, branch: string | null = null): [string, string | null, string | null][] {
  const here = node.kind === 'branch' ? node.name : branch;
  if (node.actor !== undefined) return [[node.actor, here, node.digest ?? null]];
  return (node.children ?? []).flatMap((child) => actorsOf(child, here));
}

/**
 * The penguins example through the CLI: release, train on the early rows → 1, --since-last → 2
 * (warm), tune → 3, rollback to 1 → 4, and apply 4 gives exactly generation 1's predictions.
 */
async function penguinsJob(cli: Cli): Promise<void> {
  const release = await ok<{ version: string }>(cli, ['release', EXAMPLE]);
  expect(release.version).toBe('1.0.0');
  const one = await ok<GenerationManifest>(cli, ['train', 'penguins', '--data', EARLY]);
  expect(one).toMatchObject({ generation: 1, mode: 'train', parent: null, training: { rows: 240 } });
  expect(one.states.map((s) => s.actor)).toEqual(ACTORS);
  expect(one.metrics.accuracy).toBeGreaterThan(0.9);

  const two = await ok<GenerationManifest>(cli, ['train', 'penguins', '--data', PENGUINS, '--since-last']);
  expect(two).toMatchObject({
    generation: 2,
    parent: 1,
    training: { lower: '2024-06-13', upper: '2024-06-18', rows: 104 },
  });
  // The branches' actors continue from generation 1; the forest cannot, and is grown again on
  // every row the lineage has seen (the manifest says so).
  expect(two.warmStart).toEqual({
    'label-encoder': { start: 'continued' },
    'categorical.imputer': { start: 'continued' },
    'categorical.encoder': { start: 'continued' },
    'numeric.imputer': { start: 'continued' },
    'numeric.scaler': { start: 'continued' },
    model: { start: 'retrained', training: { lower: '2024-06-01', upper: '2024-06-18', rows: 344 } },
  });
  expect(two.metrics.accuracy).toBeGreaterThan(0.95);
  // The numeric branch's scaler merged the new rows into generation 1's statistics: its state changed.
  const digest = (m: GenerationManifest, actor: string) => m.states.find((s) => s.actor === actor)!.digest;
  expect(digest(two, 'numeric.scaler')).not.toBe(digest(one, 'numeric.scaler'));

  const three = await ok<GenerationManifest>(cli, ['tune', 'penguins', '--data', PENGUINS]);
  expect(three).toMatchObject({ generation: 3, mode: 'tune', tuning: { trials: 4 } });
  expect(Object.keys(three.tuning!.params).sort()).toEqual(['model.maxFeatures', 'model.trees']);

  const four = await ok<GenerationManifest>(cli, ['rollback', 'penguins', '1.0.0', '--to', '1']);
  expect(four).toMatchObject({ generation: 4, mode: 'rollback', rollbackOf: 1 });
  expect(four.states).toEqual(one.states);
  expect(four.structure).toEqual(one.structure);

  const apply = (generation: string) =>
    ok<{ generation: number; predictions: string[] }>(cli, [
      'apply',
      'penguins',
      '1.0.0',
      generation,
      '--data',
      PENGUINS,
    ]);
  const [applyOne, applyFour] = [await apply('1'), await apply('4')];
  expect(applyFour.predictions).toHaveLength(344);
  expect(applyFour.predictions).toEqual(applyOne.predictions);
  expect(new Set(applyOne.predictions)).toEqual(new Set(['Adelie', 'Chinstrap', 'Gentoo']));
  // Generation 1 saw only the first 240 rows, and still names the species of nearly all 344.
  const actual = readFileSync(PENGUINS, 'utf8').trim().split('\n').slice(1);
  const right = applyOne.predictions.filter((p, i) => actual[i]!.endsWith(`,${p}`)).length;
  expect(right / 344).toBeGreaterThan(0.95);

  // The structure of a generation: each actor in its branch, with its state's digest.
  const listed = await ok<{ generation: number; structure: StructureView }[]>(cli, ['list', 'penguins', '1.0.0']);
  expect(listed.map((g) => g.generation)).toEqual([1, 2, 3, 4]);
  expect(actorsOf(listed[1]!.structure)).toEqual([
    ['label-encoder', null, digest(two, 'label-encoder')],
    ['categorical.imputer', 'categorical', digest(two, 'categorical.imputer')],
    ['categorical.encoder', 'categorical', digest(two, 'categorical.encoder')],
    ['numeric.imputer', 'numeric', digest(two, 'numeric.imputer')],
    ['numeric.scaler', 'numeric', digest(two, 'numeric.scaler')],
    ['model', null, digest(two, 'model')],
  ]);
  const shown = await cli(['show', 'penguins', '1.0.0', '2']);
  expect(shown.code).toBe(0);
  const text = shown.stdout.slice(shown.stdout.indexOf('structure'));
  expect(text).toContain('branch categorical (columns island, sex)');
  expect(text).toContain('branch numeric (columns bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g)');
  expect(text).toContain(`numeric.scaler  ${digest(two, 'numeric.scaler')}`);
  expect(await ok<GenerationManifest>(cli, ['show', 'penguins', '1.0.0', '2'])).toEqual(two);
}

describe('the penguins example (branches, text columns, an ml.js forest) through the CLI', () => {
  it('on posix: release, train, train --since-last, tune, rollback, and apply 4 equals apply 1', async () => {
    const ws = workspace();
    await penguinsJob((args) => statekeepInProcess(args, ws));
    expect(await ws.open().generations('penguins', '1.0.0')).toEqual([1, 2, 3, 4]);
  });

  it('on volatile: the same', async () => {
    const shared = new VolatileProvider();
    const SharedVolatile = function SharedVolatile() {
      return shared;
    } as unknown as ProviderClass;
    const ws = workspace();
    const cli = (args: string[]) =>
      statekeepInProcess(['--registry', 'scratch', ...args], ws, {
        overrides: { providers: { volatile: SharedVolatile } },
      });
    await penguinsJob(cli);
    expect(await ws.open().projects()).toEqual([]);
  });

  it('refuses text in a measurement with BAD_DATA naming the column, its line and the actor', async () => {
    const ws = workspace();
    const bad = path.join(ws.cwd, 'bad.csv');
    const lines = readFileSync(EARLY, 'utf8').split('\n');
    writeFileSync(
      bad,
      lines.map((line, i) => (i === 3 ? line.replace(/,(\d+),(\w+)$/, ',heavy,$2') : line)).join('\n'),
    );
    const outcome = await statekeepInProcess(['--json', 'train', EXAMPLE, '--data', bad], ws);
    expect(outcome.code).toBe(1);
    // body_mass_g is declared a number: the reader refuses it at its line.
    expect(JSON.parse(outcome.stderr).error).toMatchObject({
      code: 'BAD_DATA',
      data: { file: bad, line: 4, column: 'body_mass_g' },
    });
    const flipper = lines.map((line, i) =>
      i === 5 ? line.replace(/^([^,]*,[^,]*,[^,]*,[^,]*,[^,]*,)\d+/, '$1long') : line,
    );
    writeFileSync(bad, flipper.join('\n'));
    const undeclared = await statekeepInProcess(['--json', 'train', EXAMPLE, '--data', bad], ws);
    // flipper_length_mm is inferred: it reads as text, and the numeric branch's imputer refuses it.
    expect(JSON.parse(undeclared.stderr).error).toMatchObject({
      code: 'BAD_DATA',
      data: { file: bad, line: 6, column: 'flipper_length_mm', actor: 'numeric.imputer' },
    });
    expect(await ws.open().projects()).toEqual([]);
  });
});
