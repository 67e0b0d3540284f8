import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import type { ConformanceTarget } from '../kit.js';
import { publish, registryOf } from '../fixtures.js';
import { withProvider } from './with-provider.js';

const WRITER = fileURLToPath(new URL('../writer.mjs', import.meta.url));
const REGISTRY_MODULE = fileURLToPath(new URL('../../../dist/registry/registry.js', import.meta.url));

/** Runs one writer process to completion; resolves with the generation numbers it printed. */
export function runWriter(job: Record<string, unknown>): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, JSON.stringify({ registryModule: REGISTRY_MODULE, ...job })], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`writer exited with ${code}: ${err.trim()}`));
      else resolve(out.trim().split('\n').filter(Boolean).map(Number));
    });
  });
}

export function processesSpec(target: ConformanceTarget): void {
  const { recipe, processes } = target;
  if (recipe === undefined || processes === undefined) return;
  const { writers, commits } = processes;
  it(
    `${writers} writer processes × ${commits} commits to one release get exactly generations 1..${writers * commits}, each verified`,
    withProvider(target, async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const job = { recipe: recipe(provider), project: 'p', release: '1.0.0', commits };
      const numbers = (await Promise.all(Array.from({ length: writers }, () => runWriter(job)))).flat();
      const all = Array.from({ length: writers * commits }, (_, i) => i + 1);
      expect([...numbers].sort((a, b) => a - b)).toEqual(all);
      expect(await registry.generations('p', '1.0.0')).toEqual(all);
      expect(await registry.latest('p', '1.0.0')).toBe(writers * commits);
      for (const manifest of await registry.manifests('p', '1.0.0')) {
        const states = await registry.readStates(manifest);
        expect(states.size).toBe(2);
      }
    }),
  );
}
