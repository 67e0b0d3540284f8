import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Digest } from '../../../src/registry/digest.js';
import type { Provider } from '../../../src/registry/spi.js';
import { Layout } from '../../../src/providers/posix/layout.js';
import { PosixProvider } from '../../../src/providers/posix/posix-provider.js';
import type { Damage, ProviderRecipe } from '../../../src/conformance/index.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** The built provider module that the conformance kit's writer processes load. */
const PROVIDER_MODULE = join(REPO, 'dist/providers/posix/posix-provider.js');

/** A fresh scratch directory; the registry root inside it does not exist yet. */
export async function scratch(): Promise<{ dir: string; root: string; dispose: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'statekeep-posix-'));
  return { dir, root: join(dir, 'registry'), dispose: () => rm(dir, { recursive: true, force: true }) };
}

export function rootOf(provider: Provider): string {
  return provider.descriptor.target;
}

export function layoutOf(provider: Provider): Layout {
  return new Layout(rootOf(provider));
}

export function recipeOf(provider: Provider): ProviderRecipe {
  return { module: PROVIDER_MODULE, export: 'PosixProvider', options: { path: rootOf(provider) } };
}

/** Damages a blob's file on disk, where the provider will read it. */
export async function damageBlobFile(provider: Provider, project: string, digest: Digest, how: Damage): Promise<void> {
  const path = layoutOf(provider).blob(project, digest);
  if (how === 'delete') return unlinkSync(path);
  const bytes = readFileSync(path);
  if (how === 'truncate') return truncateSync(path, Math.floor(bytes.length / 2));
  bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
  writeFileSync(path, bytes);
}

export function posixAt(root: string): PosixProvider {
  return new PosixProvider({ path: root }, { instance: 'test' });
}

/** Every file under `dir` (relative paths, sorted), for asserting what a call left on disk. */
// Synchronous node:fs on purpose: tests that count the provider's node:fs/promises calls must not
// count their own inspection.
export function filesUnder(dir: string): string[] {
  try {
    const entries = readdirSync(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((e) => !e.isDirectory())
      .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** The temp files (`.tmp-<pid>-<hex>`) anywhere under `dir`. */
export function tempFilesUnder(dir: string): string[] {
  return filesUnder(dir).filter((f) => /(^|\/)\.tmp-[0-9]+-[0-9a-f]{12}$/.test(f));
}

/** A child process running one of ./children, with its output collected line by line. */
export interface Child {
  process: ChildProcess;
  /** Complete lines printed so far (a line cut short by a kill is not one). */
  lines: string[];
  /** Resolves on the first complete line, or when the child ends without printing one. */
  firstLine: Promise<void>;
  /** Resolves when the process has ended, however it ended. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Where a child process loads the Registry and the provider from. */
export interface BuildModules {
  registryModule: string;
  providerModule: string;
}

/**
 * A private copy of dist/ for child processes, checked to load. Other engineers rebuild dist/
 * while tests run, and tsc rewrites its files in place, so a child starting mid-build can load
 * a torn module; a checked copy cannot change under the hundreds of children a test starts.
 */
export async function snapshotBuild(dir: string): Promise<BuildModules> {
  const root = join(dir, 'build');
  await mkdir(root, { recursive: true });
  // Bare imports (semver …) resolve through the repository's node_modules; .js files are ESM.
  await symlink(join(REPO, 'node_modules'), join(root, 'node_modules'));
  await writeFile(join(root, 'package.json'), '{ "type": "module" }\n');
  const modules = {
    registryModule: join(root, 'dist/registry/registry.js'),
    providerModule: join(root, 'dist/providers/posix/posix-provider.js'),
  };
  const check = `const r = await import(${JSON.stringify(pathToFileURL(modules.registryModule).href)}); const p = await import(${JSON.stringify(pathToFileURL(modules.providerModule).href)});
if (typeof r.Registry !== 'function' || typeof p.PosixProvider !== 'function') process.exit(1);`;
  for (let attempt = 1; attempt <= 10; attempt++) {
    await rm(join(root, 'dist'), { recursive: true, force: true });
    await cp(join(REPO, 'dist'), join(root, 'dist'), { recursive: true });
    if (spawnSync(process.execPath, ['--input-type=module', '-e', check]).status === 0) return modules;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('dist/ does not load: run `npm run build`');
}

export function spawnChild(script: string, build: BuildModules, job: Record<string, unknown>): Child {
  const path = fileURLToPath(new URL(`./children/${script}`, import.meta.url));
  const child = spawn(process.execPath, [path, JSON.stringify({ ...build, ...job })], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let pending = '';
  let stderr = '';
  let sawLine: () => void = () => undefined;
  const firstLine = new Promise<void>((resolve) => (sawLine = resolve));
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop()!;
    lines.push(...parts);
    if (lines.length > 0) sawLine();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>(
    (resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code, signal) => {
        sawLine();
        resolve({ code, signal, stderr });
      });
    },
  );
  return { process: child, lines, firstLine, ended };
}
