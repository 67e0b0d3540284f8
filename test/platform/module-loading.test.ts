import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { statekeep, workspace } from '../cli/helpers.js';
import { sandbox } from './helpers.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRACE = fileURLToPath(new URL('../cli/fixtures/trace-imports.mjs', import.meta.url));

// What no command that only reads a registry should pay for: the bundler and archiver of
// release packages, and the MLflow client.
const HEAVY = [
  { name: 'esbuild', test: (url: string) => url.includes('/node_modules/esbuild/') },
  { name: 'tar', test: (url: string) => url.includes('/node_modules/tar/') },
  { name: 'openapi-fetch', test: (url: string) => url.includes('/node_modules/openapi-fetch/') },
  // `statekeep ui`'s server and views; its front-end libraries are bundled for the browser only.
  {
    name: 'the web view',
    test: (url: string) =>
      url.includes('/dist/ui/') || /\/node_modules\/(preact|chart\.js|playwright-core)\//.test(url),
  },
  {
    name: 'the MLflow provider',
    test: (url: string) => url.includes('/dist/providers/mlflow/') && !url.endsWith('/describe.js'),
  },
];

function heavyIn(imports: readonly string[]): string[] {
  return HEAVY.filter((heavy) => imports.some(heavy.test)).map((heavy) => heavy.name);
}

/** Every module a `node --input-type=module -e SCRIPT` process resolves. */
async function importsOf(script: string): Promise<string[]> {
  const log = path.join(sandbox().root, 'imports.log');
  await exec(process.execPath, ['--import', TRACE, '--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', TRACE_IMPORTS: log },
  });
  return readFileSync(log, 'utf8').split('\n');
}

const entry = (file: string): string => JSON.stringify(new URL(`../../dist/${file}`, import.meta.url).href);

describe('what a process loads', () => {
  it("import 'statekeep' loads none of esbuild, tar or the MLflow client", async () => {
    const imports = await importsOf(`await import(${entry('index.js')});`);
    expect(imports.some((url) => url.endsWith('/dist/index.js'))).toBe(true);
    expect(heavyIn(imports)).toEqual([]);
    // Nor the wiring and command line: no container, YAML, JSON Schema or argument parser; no
    // package at all (semver is inlined into dist/registry/versions.js by the build).
    expect(imports.filter((url) => url.includes('/node_modules/'))).toEqual([]);
  });

  it('statekeep/runtime and statekeep/platform load neither esbuild nor tar nor the MLflow client', async () => {
    const imports = await importsOf(
      `await import(${entry('runtime.js')}); await import(${entry('platform/public.js')});`,
    );
    expect(heavyIn(imports)).toEqual([]);
  });

  it('statekeep list on an empty posix registry loads none of esbuild, tar or the MLflow client', async () => {
    const ws = workspace();
    const log = path.join(ws.cwd, 'imports.log');
    const { code, stderr } = await statekeep(['list'], ws, { TRACE_IMPORTS: log }, ['--import', TRACE]);
    expect(code).toBe(0);
    expect(stderr).toContain('no projects in');
    const imports = readFileSync(log, 'utf8').split('\n');
    expect(imports.some((url) => url.endsWith('/dist/providers/posix/posix-provider.js'))).toBe(true);
    expect(heavyIn(imports)).toEqual([]);
    // The build inlines inversify, yaml and semver into the modules that import them
    // (scripts/bundle-startup.js), and platform.yaml's validator is compiled: of node_modules,
    // only commander is loaded file by file.
    expect(imports.some((url) => url.endsWith('/dist/platform/container.js'))).toBe(true);
    const packages = new Set(imports.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]));
    packages.delete(undefined);
    expect([...packages]).toEqual(['commander']);
    // Of the verbs, only list's own module: the others (and what running a pipeline needs) stay unloaded.
    const verbs = imports.map((url) => /\/dist\/cli\/commands\/([a-z-]+)\.js$/.exec(url)?.[1]).filter(Boolean);
    expect(verbs).toEqual(['list']);
    expect(imports.some((url) => url.includes('/dist/pipeline/'))).toBe(false);
  });

  it('sees each of them where they are used (so the checks above can fail)', async () => {
    const release = await importsOf(`await import(${entry('release/project-source.js')});`);
    expect(heavyIn(release)).toEqual(['esbuild', 'tar']);
    const mlflow = await importsOf(`await import(${entry('providers/mlflow/mlflow-provider.js')});`);
    expect(heavyIn(mlflow)).toEqual(['openapi-fetch', 'the MLflow provider']);
    const ui = await importsOf(`await import(${entry('ui/server.js')});`);
    expect(heavyIn(ui)).toEqual(['the web view']);
  });
});
