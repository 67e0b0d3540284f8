import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Provider } from '../../src/registry/spi.js';
import { damageBlobFile, posixAt, recipeOf, rootOf, scratch } from '../providers/posix/support.js';
import { runConformance } from './kit.js';

runConformance({
  name: 'posix',
  // Each test gets a root that does not exist yet, so every test also covers first creation.
  create: async (): Promise<Provider> => posixAt((await scratch()).root),
  destroy: (provider) => rm(dirname(rootOf(provider)), { recursive: true, force: true }),
  damageBlob: damageBlobFile,
  recipe: recipeOf,
  processes: { writers: 8, commits: 25 },
});
