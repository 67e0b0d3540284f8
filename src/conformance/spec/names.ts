import { NAME_RULE } from '../../registry/names.js';
import type { ConformanceSpec } from '../spec-context.js';
import { commit, publish, registryOf } from '../fixtures.js';

export const GOOD_NAMES = ['my-project', 'iris_v2', 'a.b', 'A', '9lives', 'x'.repeat(128)];
export const BAD_NAMES = [
  '',
  '.',
  '..',
  '../x',
  'a/b',
  'a\\b',
  'a\u0000b',
  'a b',
  ' a',
  'a\nb',
  'tab\there',
  '\u007f',
  '-flag',
  '_x',
  '.hidden',
  'x'.repeat(129),
  'ünïcode',
];

export const namesSpec: ConformanceSpec = {
  area: 'names',
  tests({ it, expect }) {
    it('accepts project names of 1-128 characters of [A-Za-z0-9._-] starting with a letter or digit', async (provider) => {
      const registry = registryOf(provider);
      for (const name of GOOD_NAMES) await publish(registry, name, '1.0.0');
      expect(await registry.projects()).toEqual([...GOOD_NAMES].sort());
    });

    it('refuses every other name with INVALID_NAME quoting it, and writes nothing', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'ok', '1.0.0');
      for (const name of BAD_NAMES) {
        await expect(publish(registry, name, '1.0.0')).rejects.toMatchObject({
          code: 'INVALID_NAME',
          data: { kind: 'project', name, rule: NAME_RULE },
        });
        await expect(registry.releaseVersions(name)).rejects.toMatchObject({ code: 'INVALID_NAME' });
        await expect(commit(registry, 'ok', '1.0.0', { [name]: 'x' })).rejects.toMatchObject({
          code: 'INVALID_NAME',
          data: { kind: 'actor' },
        });
      }
      expect(await registry.projects()).toEqual(['ok']);
      expect(await registry.generations('ok', '1.0.0')).toEqual([]);
    });
  },
};
