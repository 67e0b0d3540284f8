import type { ConformanceSpec } from '../spec-context.js';
import { publish, registryOf } from '../fixtures.js';
import { runWriter } from '../writer-process.js';

const DEFAULT_PROCESSES = { writers: 4, commits: 5 };

export const processesSpec: ConformanceSpec = {
  area: 'processes',
  capability: 'processes',
  tests({ it, expect, target }) {
    const { writers, commits } = target.processes ?? DEFAULT_PROCESSES;
    it(`${writers} writer processes × ${commits} commits to one release get exactly generations 1..${writers * commits}, each verified`, async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const job = { recipe: target.recipe!(provider), project: 'p', release: '1.0.0', commits };
      const numbers = (await Promise.all(Array.from({ length: writers }, () => runWriter(job)))).flat();
      const all = Array.from({ length: writers * commits }, (_, i) => i + 1);
      expect([...numbers].sort((a, b) => a - b)).toEqual(all);
      expect(await registry.generations('p', '1.0.0')).toEqual(all);
      expect(await registry.latest('p', '1.0.0')).toBe(writers * commits);
      for (const manifest of await registry.manifests('p', '1.0.0')) {
        const states = await registry.readStates(manifest);
        expect(states.size).toBe(2);
      }
    });
  },
};
