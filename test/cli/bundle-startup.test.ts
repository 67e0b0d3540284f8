import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUNDLED = ['platform/container.js', 'platform/yaml-source.js', 'registry/versions.js'];

// A package of its own, with dist/ freshly written by tsc, so the shared dist/ is never touched;
// in a directory whose name has a space, as a clone's may, and under a node_modules, as a
// dependency's build (a workspace, or a git dependency) may be.
async function packageCopy(): Promise<string> {
  const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'statekeep bundle-')), 'node_modules', 'statekeep');
  mkdirSync(path.join(root, 'scripts'), { recursive: true });
  copyFileSync(path.join(ROOT, 'scripts', 'bundle-startup.js'), path.join(root, 'scripts', 'bundle-startup.js'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(root, 'node_modules'));
  await run(
    process.execPath,
    [
      path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'),
      '-p',
      path.join(ROOT, 'tsconfig.build.json'),
      '--outDir',
      path.join(root, 'dist'),
    ],
    { cwd: ROOT },
  );
  return root;
}

describe('scripts/bundle-startup.js', () => {
  it('can run again over its own output: every bundled module still loads', { timeout: 120_000 }, async () => {
    const root = await packageCopy();
    const bundle = path.join(root, 'scripts', 'bundle-startup.js');
    await run(process.execPath, [bundle]);
    const once = BUNDLED.map((file) => readFileSync(path.join(root, 'dist', file), 'utf8'));
    await run(process.execPath, [bundle]);
    for (const [i, file] of BUNDLED.entries()) {
      const text = readFileSync(path.join(root, 'dist', file), 'utf8');
      expect(text).toBe(once[i]);
      // statekeep's own modules stay imports: one copy of every class (errors, the catalog).
      // (esbuild heads each module it inlines with a comment naming its file.)
      const inlined = [...text.matchAll(/^\/\/ .*statekeep\/dist\/(.+)$/gm)].map((m) => m[1]);
      expect(new Set(inlined)).toEqual(new Set([file]));
      await run(process.execPath, ['--check', path.join(root, 'dist', file)]);
    }
    const { stdout: version } = await run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import(${JSON.stringify(path.join(root, 'dist', 'registry', 'versions.js'))}); console.log(String(m.releaseVersion('1.2.3')))`,
      ],
      { cwd: root },
    );
    expect(version.trim()).toBe('1.2.3');
  });
});
