import { copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GenerationManifest } from '../../src/registry/manifest.js';
import { projectDir } from '../cli/fixtures/projects.js';
import { statekeepInProcess, workspace } from '../cli/helpers.js';
import { ok } from '../cli/pipeline-sequence.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

// A project as a user writes it: it depends on @tensorflow/tfjs (the installed package, linked
// into its node_modules), and its actor saves the model the library's way, asynchronously.
const SOURCE = `
import { TfClassifier } from './tf-actor.mjs';

class Rows {
  name = 'rows';
  apply(rows: (number | null)[][]): number[][] {
    return rows.map((row) => row.map((v) => Number(v ?? 0)));
  }
}
class Labels {
  name = 'labels';
  apply(labels: unknown[]): number[] {
    return labels.map(Number);
  }
  inverse(classes: number[]): number[] {
    return classes;
  }
}

export default {
  label: 'y',
  features: ['x'],
  metric: {
    name: 'accuracy',
    direction: 'max',
    score: (p: unknown[], a: unknown[]) => p.filter((v, i) => Number(v) === Number(a[i])).length / a.length,
  },
  pipeline: () => ({ labels: [new Labels()], steps: [new Rows(), new TfClassifier('model', { classes: 2, epochs: 30 })] }),
};
`;

function tfProject(): { dir: string; data: string } {
  const dir = projectDir('tfjs-demo', SOURCE);
  copyFileSync(path.join(ROOT, 'test/pipeline/models/tf-actor.mjs'), path.join(dir, 'src', 'tf-actor.mjs'));
  mkdirSync(path.join(dir, 'node_modules', '@tensorflow'), { recursive: true });
  symlinkSync(path.join(ROOT, 'node_modules/@tensorflow/tfjs'), path.join(dir, 'node_modules/@tensorflow/tfjs'));
  const data = path.join(dir, 'rows.csv');
  writeFileSync(
    data,
    `x,y\n${Array.from({ length: 40 }, (_, i) => `${(i / 40).toFixed(3)},${i < 20 ? 0 : 1}`).join('\n')}\n`,
  );
  return { dir, data };
}

describe('a release of a project that depends on @tensorflow/tfjs', () => {
  it('bundles (node-fetch\'s optional require("encoding") left out), trains, and applies with the score it trained to', async () => {
    const ws = workspace();
    const { dir, data } = tfProject();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    const release = await ok<{ project: string; version: string }>(cli, ['release', dir]);
    expect(release).toMatchObject({ project: 'tfjs-demo', version: '1.0.0' });
    const trained = await ok<GenerationManifest>(cli, ['train', 'tfjs-demo', '--data', data]);
    expect(trained).toMatchObject({ generation: 1, mode: 'train' });
    expect(trained.metrics.accuracy).toBeGreaterThan(0.6);
    // Applied from the registry's package: the model reloaded through its async setState scores as trained.
    const applied = await ok<{ predictions: number[] }>(cli, ['apply', 'tfjs-demo', '--data', data]);
    expect(applied.predictions).toHaveLength(40);
    const labels = Array.from({ length: 40 }, (_, i) => (i < 20 ? 0 : 1));
    const right = applied.predictions.filter((p, i) => Number(p) === labels[i]).length;
    expect(right / 40).toBe(trained.metrics.accuracy);
    // The bundle holds TensorFlow.js itself: the release runs without the project's node_modules.
    const registry = ws.open();
    const record = await registry.release('tfjs-demo', '1.0.0');
    expect(record.package).not.toBeNull();
    await registry.close();
  }, 120_000);
});
