import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPackage } from '../../src/release/build-package.js';
import { readProjectDirectory } from '../../src/release/project-directory.js';
import { CLOCK, makeProject } from './fixtures.js';

describe('a release and symlinks', () => {
  async function outside(name: string, text: string): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-outside-'));
    await writeFile(path.join(dir, name), text);
    return dir;
  }

  it('refuses to bundle a file reached through a symlink that points outside the project, naming link and target', async () => {
    const dir = await makeProject();
    const elsewhere = await outside('secret.ts', 'export const secret = "s3cr3t";\n');
    await symlink(path.join(elsewhere, 'secret.ts'), path.join(dir, 'src', 'secret.ts'));
    await writeFile(
      path.join(dir, 'src', 'index.ts'),
      'import { secret } from "./secret";\nexport default { secret };\n',
    );
    await expect(buildPackage(await readProjectDirectory(dir), CLOCK)).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: path.join(dir, 'src', 'secret.ts') },
      message: expect.stringContaining(path.join(elsewhere, 'secret.ts')),
    });
  });

  it('refuses a linked directory outside the project the same way', async () => {
    const dir = await makeProject();
    const elsewhere = await outside('util.ts', 'export const util = 1;\n');
    await symlink(elsewhere, path.join(dir, 'shared'));
    await writeFile(
      path.join(dir, 'src', 'index.ts'),
      'import { util } from "../shared/util";\nexport default { util };\n',
    );
    await expect(buildPackage(await readProjectDirectory(dir), CLOCK)).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: path.join(dir, 'shared') },
    });
  });

  it('bundles links that stay inside the project, and ignores outside links it does not bundle', async () => {
    const dir = await makeProject();
    await mkdir(path.join(dir, 'lib'));
    await writeFile(path.join(dir, 'lib', 'real.ts'), 'export const inside = 5;\n');
    await symlink(path.join(dir, 'lib', 'real.ts'), path.join(dir, 'src', 'linked.ts'));
    const elsewhere = await outside('notes.txt', 'unrelated');
    await symlink(path.join(elsewhere, 'notes.txt'), path.join(dir, 'notes.txt'));
    await writeFile(
      path.join(dir, 'src', 'index.ts'),
      'import { inside } from "./linked";\nexport default { inside };\n',
    );
    const built = await buildPackage(await readProjectDirectory(dir), CLOCK);
    expect(built.manifest.project).toBe('demo');
  });
});
