import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProjectDirectory } from '../../src/release/project-directory.js';
import { makeProject } from './fixtures.js';

describe('project directory', () => {
  it('reads name, version, entry and engine from package.json', async () => {
    const dir = await makeProject({ name: 'iris', version: '2.1.0-rc.1' });
    expect(await readProjectDirectory(dir)).toEqual({
      dir,
      name: 'iris',
      version: '2.1.0-rc.1',
      entry: 'src/index.ts',
      node: '>=20',
    });
  });

  it('finds the entry in statekeep.entry, then exports, then main', async () => {
    const dir = await makeProject({
      pkg: { statekeep: undefined, exports: { '.': { import: './src/index.ts' } }, main: 'nope.js' },
    });
    expect((await readProjectDirectory(dir)).entry).toBe('src/index.ts');
    const main = await makeProject({ pkg: { statekeep: undefined, main: 'src/index.ts' } });
    expect((await readProjectDirectory(main)).entry).toBe('src/index.ts');
  });

  it('refuses what cannot be a project, with typed errors', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'statekeep-empty-'));
    await expect(readProjectDirectory(empty)).rejects.toMatchObject({ code: 'NOT_FOUND', data: { what: 'file' } });
    await writeFile(path.join(empty, 'package.json'), '{ nope');
    await expect(readProjectDirectory(empty)).rejects.toMatchObject({
      code: 'CONFIG',
      data: { file: path.join(empty, 'package.json') },
    });
    await expect(readProjectDirectory(await makeProject({ name: '@acme/iris' }))).rejects.toMatchObject({
      code: 'INVALID_NAME',
    });
    await expect(readProjectDirectory(await makeProject({ version: 'v1' }))).rejects.toMatchObject({
      code: 'INVALID_VERSION',
    });
    await expect(
      readProjectDirectory(await makeProject({ pkg: { statekeep: { entry: 'src/missing.ts' } } })),
    ).rejects.toMatchObject({ code: 'NOT_FOUND', data: { what: 'file' } });
    await expect(
      readProjectDirectory(await makeProject({ pkg: { statekeep: { entry: '../../etc/passwd' } } })),
    ).rejects.toMatchObject({ code: 'CONFIG', data: { key: 'entry' } });
    await expect(readProjectDirectory(await makeProject({ pkg: { statekeep: undefined } }))).rejects.toMatchObject({
      code: 'CONFIG',
      data: { key: 'main' },
    });
  });
});
