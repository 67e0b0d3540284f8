import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CborStateCodec, PersistentModel, PosixProvider, Registry, VolatileProvider } from '../../src/index.js';
import { sandbox } from '../platform/helpers.js';
// @ts-expect-error: a plain .mjs fixture, shared with the child process that loads the model.
import { ForestModel, madeUpRows } from './models/forest-model.mjs';

const exec = promisify(execFile);
const MODELS = fileURLToPath(new URL('./models/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a fixture in a fresh node process (importing the built 'statekeep'); its last stdout line is JSON. */
async function fresh<T>(script: string, ...args: string[]): Promise<T> {
  if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  const { stdout } = await exec(process.execPath, [path.join(MODELS, script), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
  });
  return JSON.parse(stdout.trimEnd().split('\n').at(-1)!) as T;
}

interface ForestLike {
  train(rows: number[][], labels: number[]): void;
  predict(rows: number[][]): number[];
  getState(): unknown;
  setState(state: unknown): void;
}

describe('PersistentModel with real libraries', () => {
  it('an ml.js random forest saved to posix predicts identically in a fresh process, and round-trips in memory', async () => {
    const registryPath = path.join(sandbox().root, 'registry');
    const registry = new Registry(new PosixProvider({ path: registryPath }));
    const create = (): ForestLike => new ForestModel();
    const model = await PersistentModel.load(registry, 'forest', { create });
    const train = madeUpRows(120, 3) as { rows: number[][]; labels: number[] };
    model.model.train(train.rows, train.labels);
    expect(await model.save({ metrics: { trees: 12 } })).toMatchObject({ generation: 1, release: '1.0.0' });
    const { rows } = madeUpRows(40, 99) as { rows: number[][] };
    const expected = model.model.predict(rows);
    // A forest that learned something: both classes among its answers.
    expect(new Set(expected)).toEqual(new Set([0, 1]));

    const child = await fresh<{ generation: number; predictions: number[] }>('forest-load.mjs', registryPath);
    expect(child).toEqual({ generation: 1, predictions: expected });

    const volatile = new Registry(new VolatileProvider());
    const kept = await PersistentModel.load(volatile, 'forest', { create });
    kept.model.setState(model.model.getState());
    await kept.save();
    expect((await PersistentModel.load(volatile, 'forest', { create })).model.predict(rows)).toEqual(expected);
    await registry.close();
  });

  it('a TensorFlow.js model keeps its weights as raw Float32Arrays and predicts identically in a fresh process', async () => {
    const registryPath = path.join(sandbox().root, 'registry');
    const saved = await fresh<{ saved: number; predictions: number[]; volatile: number[] }>(
      'tf-run.mjs',
      'save',
      registryPath,
    );
    expect(saved.saved).toBe(1);
    expect(saved.volatile).toEqual(saved.predictions);
    const loaded = await fresh<{ generation: number; predictions: number[]; untrained: number[] }>(
      'tf-run.mjs',
      'load',
      registryPath,
    );
    expect(loaded.generation).toBe(1);
    expect(loaded.predictions).toEqual(saved.predictions);
    expect(loaded.untrained).not.toEqual(saved.predictions);

    const registry = new Registry(new PosixProvider({ path: registryPath }));
    const manifest = await registry.manifest('tf', '1.0.0');
    const state = (await new CborStateCodec().decode(await registry.readState(manifest, 'model'), {
      actor: 'model' as never,
      stateVersion: 1,
    })) as { weights: { shape: number[]; values: unknown }[] };
    expect(state.weights.map((w) => w.shape)).toEqual([[3, 8], [8], [8, 1], [1]]);
    for (const w of state.weights) expect(w.values).toBeInstanceOf(Float32Array);
    // 41 float32 weights, 4 bytes each, plus the frame and keys: a list of numbers would take twice that.
    expect(manifest.states[0]!.size).toBeLessThan(41 * 4 + 400);
    await registry.close();
  });
});
