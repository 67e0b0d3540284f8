import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { vi } from 'vitest';
import { digestOf } from '../../src/registry/digest.js';
import type { Provider } from '../../src/registry/spi.js';
import type { ProjectName } from '../../src/registry/names.js';
import type { ReleaseVersion } from '../../src/registry/versions.js';
import { tempPath } from '../../src/providers/posix/temp-files.js';
import { damageBlobFile, layoutOf, posixAt, recipeOf, rootOf, scratch } from '../providers/posix/support.js';
import { runConformance, VITEST } from './kit.js';

// The multi-process area starts 8 writer processes, on two cores that other test files share.
vi.setConfig({ testTimeout: 120_000 });

/** A writer killed mid-write leaves a torn temp file wherever it writes: a blob's shard, the generations, the root. */
async function leaveTempFiles(provider: Provider, at: { project: string; release: string }): Promise<number> {
  const layout = layoutOf(provider);
  const dirs = [
    // The shard of a blob no commit made yet: a writer creates it for the blob it is writing.
    dirname(layout.blob(at.project as ProjectName, digestOf(randomBytes(16)))),
    layout.generations(at.project as ProjectName, at.release as ReleaseVersion),
    rootOf(provider),
  ];
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(tempPath(dir), '{"format":1,"gener');
  }
  return dirs.length;
}

runConformance(
  VITEST,
  {
    name: 'posix',
    // Each test gets a root that does not exist yet, so every test also covers first creation.
    create: async (): Promise<Provider> => posixAt((await scratch()).root),
    destroy: (provider) => rm(dirname(rootOf(provider)), { recursive: true, force: true }),
    damageBlob: damageBlobFile,
    leaveLeftovers: leaveTempFiles,
    recipe: recipeOf,
    processes: { writers: 8, commits: 25 },
  },
  {
    expected: {
      latestGeneration: 'passed',
      cleanup: 'passed',
      processes: 'passed',
      aliases: 'passed',
      aliasProcesses: 'passed',
      lifecycle: 'passed',
      lifecycleProcesses: 'passed',
    },
  },
);
