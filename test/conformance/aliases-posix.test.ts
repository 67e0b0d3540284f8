import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { describe } from 'vitest';
import type { Provider } from '../../src/registry/spi.js';
import { damageBlobFile, posixAt, recipeOf, rootOf, scratch } from '../providers/posix/support.js';
import type { ConformanceTarget } from './kit.js';
import { aliasesSpec } from './spec/aliases.js';
import { verifySpec } from './spec/verify.js';

const target: ConformanceTarget = {
  name: 'posix',
  create: async (): Promise<Provider> => posixAt((await scratch()).root),
  destroy: (provider) => rm(dirname(rootOf(provider)), { recursive: true, force: true }),
  damageBlob: damageBlobFile,
  recipe: recipeOf,
};

describe('posix conformance: aliases', () => aliasesSpec(target));
describe('posix conformance: verify', () => verifySpec(target));
