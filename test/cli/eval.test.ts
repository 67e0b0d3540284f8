import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statekeepInProcess, workspace } from './helpers.js';
import { EXAMPLE, IRIS, IRIS_EARLY, ok } from './pipeline-sequence.js';

/** Every file and directory under `root`, files with the sha256 of their bytes. */
function tree(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      if (statSync(full).isDirectory()) {
        entries[`${rel}/`] = 'dir';
        walk(full);
      } else entries[rel] = createHash('sha256').update(readFileSync(full)).digest('hex');
    }
  };
  walk(root);
  return entries;
}

function species(file: string): string[] {
  return readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(',').at(-1)!);
}

interface Scored {
  project: string;
  release: string;
  generation: number;
  metric: string;
  direction: string;
  score: number;
  rows: number;
}

interface Folded {
  metric: string;
  folds: number[];
  mean: number;
  std: number;
  min: number;
  max: number;
  rows: number;
  params: Record<string, unknown>;
  paramsFrom: { release: string; generation: number } | null;
}

describe('statekeep eval', () => {
  it("scores a generation with the project's metric, and cross-validates the pipeline, writing nothing to the registry", async () => {
    const ws = workspace();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    await ok(cli, ['train', EXAMPLE, '--data', IRIS_EARLY]);
    await ok(cli, ['tune', 'iris', '--data', IRIS_EARLY]);
    const before = tree(ws.registryPath);

    const latest = await ok<Scored>(cli, ['eval', 'iris', '--data', IRIS]);
    const applied = await ok<{ predictions: string[] }>(cli, ['apply', 'iris', '--data', IRIS]);
    const labels = species(IRIS);
    const right = applied.predictions.filter((p, i) => p === labels[i]).length;
    expect(latest).toEqual({
      project: 'iris',
      release: '1.0.0',
      generation: 2,
      metric: 'accuracy',
      direction: 'max',
      score: right / 150,
      rows: 150,
    });
    const first = await ok<Scored>(cli, ['eval', 'iris', '1.0.0', '1', '--data', IRIS]);
    expect(first).toMatchObject({ generation: 1, rows: 150 });
    const plain = await cli(['eval', 'iris', '1.0.0', '1', '--data', IRIS]);
    expect(plain.stdout).toBe(`${first.score}\n`);
    expect(plain.stderr).toContain(`iris 1.0.0: generation 1 scored accuracy ${first.score} on 150 rows`);

    const folded = await ok<Folded>(cli, ['eval', 'iris', '--data', IRIS, '--folds', '5']);
    expect(folded.folds).toHaveLength(5);
    expect(folded.mean).toBeCloseTo(folded.folds.reduce((s, v) => s + v, 0) / 5, 12);
    expect(folded.std).toBeGreaterThanOrEqual(0);
    expect(folded.min).toBe(Math.min(...folded.folds));
    expect(folded.mean).toBeGreaterThan(0.8);
    // Trained with the tuned generation's parameters, and the same folds every time.
    expect(folded.paramsFrom).toEqual({ release: '1.0.0', generation: 2 });
    expect(Object.keys(folded.params).sort()).toEqual(['model.l2', 'model.learningRate']);
    expect(await ok<Folded>(cli, ['eval', 'iris', '--data', IRIS, '--folds', '5'])).toEqual(folded);
    const reseeded = await ok<Folded>(cli, ['eval', 'iris', '--data', IRIS, '--folds', '5', '--seed', '9']);
    expect(reseeded.folds).not.toEqual(folded.folds);

    expect(tree(ws.registryPath)).toEqual(before);
  }, 60_000);

  it('cross-validates a directory without publishing it; bad fold counts are usage errors; nothing is written', async () => {
    const ws = workspace();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    await ok(cli, ['train', EXAMPLE, '--data', IRIS_EARLY]);
    const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'statekeep-iris-')), 'iris');
    cpSync(EXAMPLE, dir, { recursive: true });
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, version: '2.0.0' }));
    const before = tree(ws.registryPath);

    const folded = await ok<Folded>(cli, ['eval', dir, '--data', IRIS, '--folds', '3']);
    expect(folded).toMatchObject({ rows: 150, paramsFrom: null, params: {} });
    expect(folded.folds).toHaveLength(3);
    // Its release is not published: it has no generation to score.
    const none = await cli(['--json', 'eval', dir, '--data', IRIS]);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stderr).error).toMatchObject({ code: 'NOT_FOUND' });

    for (const [args, argument] of [
      [['--folds', '1'], '--folds'],
      [['--folds', 'x'], '--folds'],
      [['--folds', '151'], 'folds'],
      [['--seed', '3'], '--seed'],
    ] as const) {
      const refused = await cli(['--json', 'eval', 'iris', '--data', IRIS, ...args]);
      expect(refused.code).toBe(2);
      expect(JSON.parse(refused.stderr).error).toMatchObject({ code: 'USAGE', data: { argument } });
    }
    const unlabelled = path.join(ws.cwd, 'unlabelled.csv');
    writeFileSync(unlabelled, 'sepal_length,sepal_width,petal_length,petal_width\n5.1,3.5,1.4,0.2\n');
    const noLabels = await cli(['--json', 'eval', 'iris', '--data', unlabelled]);
    expect(noLabels.code).toBe(1);
    expect(JSON.parse(noLabels.stderr).error).toMatchObject({ code: 'BAD_DATA' });
    expect(tree(ws.registryPath)).toEqual(before);
    expect(await ws.open().releaseVersions('iris')).toEqual(['1.0.0']);
  }, 60_000);
});
