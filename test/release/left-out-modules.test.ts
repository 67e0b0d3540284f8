import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { unpackFiles } from '../../src/release/archive.js';
import { buildPackage } from '../../src/release/build-package.js';
import { readProjectDirectory } from '../../src/release/project-directory.js';
import { CLOCK, makeProject } from './fixtures.js';

const exec = promisify(execFile);

/** A CommonJS dependency that works without `wanted`, as node-fetch works without encoding. */
async function addTolerant(dir: string, wanted: string): Promise<void> {
  const at = path.join(dir, 'node_modules', 'tolerant');
  await mkdir(at, { recursive: true });
  await writeFile(
    path.join(at, 'package.json'),
    JSON.stringify({ name: 'tolerant', version: '1.0.0', main: 'index.js' }),
  );
  await writeFile(
    path.join(at, 'index.js'),
    `let found = null;\ntry { found = require(${JSON.stringify(wanted)}); } catch {}\nmodule.exports = () => (found === null ? 'without ${wanted}' : 'with ${wanted}');\n`,
  );
}

async function bundleOf(dir: string): Promise<string> {
  const built = await buildPackage(await readProjectDirectory(dir), CLOCK);
  const file = path.join(await mkdtemp(path.join(os.tmpdir(), 'statekeep-bundle-')), 'index.mjs');
  await writeFile(file, (await unpackFiles(built.archive, 'test package')).get('payload/index.mjs')!);
  return file;
}

/** Imports a bundle in a fresh node process whose working directory is `cwd`; its default export, or the error. */
async function runBundle(file: string, cwd: string): Promise<{ value?: unknown; error?: string }> {
  const script = `import(${JSON.stringify(pathToFileURL(file).href)}).then((m) => console.log(JSON.stringify({ value: m.default })), (e) => console.log(JSON.stringify({ error: e.message })));`;
  const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    env: { PATH: process.env.PATH ?? '' },
  });
  return JSON.parse(stdout.trim()) as { value?: unknown; error?: string };
}

const emptyDir = () => mkdtemp(path.join(os.tmpdir(), 'statekeep-nowhere-'));

describe('modules a release package leaves out', () => {
  it('an optional require() inside a try that is not installed does not break the bundle, and fails softly at run time', async () => {
    const dir = await makeProject();
    await addTolerant(dir, 'encoding-not-installed');
    await writeFile(
      path.join(dir, 'src', 'index.ts'),
      "import tolerant from 'tolerant';\nexport default tolerant();\n",
    );
    expect(await runBundle(await bundleOf(dir), await emptyDir())).toEqual({ value: 'without encoding-not-installed' });
  });

  it('"optional" leaves an installed module out: loaded where statekeep runs when there, missing softly when not', async () => {
    const dir = await makeProject({ pkg: { statekeep: { entry: 'src/index.ts', optional: ['padder'] } } });
    await addTolerant(dir, 'padder');
    await writeFile(
      path.join(dir, 'src', 'index.ts'),
      "import tolerant from 'tolerant';\nexport default tolerant();\n",
    );
    const bundle = await bundleOf(dir);
    expect(await runBundle(bundle, await emptyDir())).toEqual({ value: 'without padder' });
    // makeProject installs padder: run from there, the release finds it.
    expect(await runBundle(bundle, await makeProject())).toEqual({ value: 'with padder' });
  });

  it('"external" loads a module where statekeep runs, and names it and the fix when it is not installed there', async () => {
    const dir = await makeProject({ answer: 9, pkg: { statekeep: { entry: 'src/index.ts', external: ['padder'] } } });
    const bundle = await bundleOf(dir);
    expect(await runBundle(bundle, await makeProject())).toEqual({ value: { answer: 9, padded: '00009' } });
    const missing = await runBundle(bundle, await emptyDir());
    expect(missing.error).toBe(
      'this release needs "padder" at run time (its package.json declares it external), and it is not installed where statekeep runs: install it there (npm install padder)',
    );
  });

  it('a module that is imported unguarded and not installed is USAGE naming it and the importing file', async () => {
    const dir = await makeProject();
    await writeFile(
      path.join(dir, 'src', 'helper.ts'),
      "import x from 'not-installed-anywhere/sub';\nexport default x;\n",
    );
    await writeFile(
      path.join(dir, 'src', 'index.ts'),
      "import helper from './helper.js';\nexport default { helper };\n",
    );
    await expect(buildPackage(await readProjectDirectory(dir), CLOCK)).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: dir, module: 'not-installed-anywhere/sub', importer: 'src/helper.ts' },
    });
  });

  it('a run-time import of statekeep is USAGE naming the file that imports it', async () => {
    const dir = await makeProject();
    await writeFile(
      path.join(dir, 'src', 'uses.ts'),
      "import { Registry } from 'statekeep';\nexport default Registry;\n",
    );
    await writeFile(path.join(dir, 'src', 'index.ts'), "import uses from './uses.js';\nexport default { uses };\n");
    await expect(buildPackage(await readProjectDirectory(dir), CLOCK)).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: dir, module: 'statekeep', importer: 'src/uses.ts' },
    });
  });

  it('a malformed statekeep block is CONFIG naming the key, before anything is bundled', async () => {
    for (const [block, key] of [
      [{ external: 'padder' }, 'statekeep.external'],
      [{ optional: ['../escape'] }, 'statekeep.optional'],
      [{ external: ['statekeep'] }, 'statekeep.external'],
      [{ external: ['padder'], optional: ['padder'] }, 'statekeep.optional'],
    ] as const) {
      const dir = await makeProject({ pkg: { statekeep: { entry: 'src/index.ts', ...block } } });
      await expect(buildPackage(await readProjectDirectory(dir), CLOCK)).rejects.toMatchObject({
        code: 'CONFIG',
        data: { key },
      });
    }
  });
});
