import type { Dirent } from 'node:fs';
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, NotFoundError } from '../registry/errors/index.js';
import { isRecord } from '../registry/stored-json.js';
import { projectName, type ProjectName } from '../registry/names.js';
import { releaseVersion, type ReleaseVersion } from '../registry/versions.js';

/** A project on disk: its package.json names the project and the release, and points at the pipeline. */
export interface ProjectDirectory {
  dir: string;
  name: ProjectName;
  version: ReleaseVersion;
  /** The pipeline module, relative to dir: `statekeep.entry`, else `exports`, else `main`. */
  entry: string;
  /** engines.node, if declared. */
  node: string | null;
}

export async function readProjectDirectory(dir: string): Promise<ProjectDirectory> {
  const root = path.resolve(dir);
  const file = path.join(root, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new NotFoundError(
      { what: 'file', name: file },
      'a project directory holds a package.json whose name is the project and whose version is the release',
    );
  }
  let pkg: unknown;
  try {
    pkg = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(
      { file, problem: `not valid JSON (${(error as Error).message})` },
      'fix the JSON syntax of package.json',
    );
  }
  if (!isRecord(pkg))
    throw new ConfigError(
      { file, problem: 'not a JSON object' },
      'package.json must hold an object with name and version',
    );
  const name = projectName(pkg.name);
  const version = releaseVersion(pkg.version);
  const entry = entryOf(pkg);
  if (entry === undefined) {
    throw new ConfigError(
      { file, key: 'main', problem: 'no pipeline module declared' },
      'set "statekeep": { "entry": "src/index.ts" } (or "main") in package.json',
    );
  }
  const entryPath = path.resolve(root, entry);
  if (path.relative(root, entryPath).startsWith('..')) {
    throw new ConfigError(
      { file, key: 'entry', problem: `entry ${JSON.stringify(entry)} lies outside the project` },
      'point the entry at a module inside the project directory',
    );
  }
  if (
    !(await stat(entryPath).then(
      (s) => s.isFile(),
      () => false,
    ))
  ) {
    throw new NotFoundError(
      { what: 'file', name: entryPath },
      `package.json names ${JSON.stringify(entry)} as the pipeline module; create it or fix the entry`,
    );
  }
  const engines = isRecord(pkg.engines) && typeof pkg.engines.node === 'string' ? pkg.engines.node : null;
  return { dir: root, name, version, entry: path.relative(root, entryPath).split(path.sep).join('/'), node: engines };
}

function entryOf(pkg: Record<string, unknown>): string | undefined {
  if (isRecord(pkg.statekeep) && typeof pkg.statekeep.entry === 'string') return pkg.statekeep.entry;
  const exp = pkg.exports;
  if (typeof exp === 'string') return exp;
  if (isRecord(exp)) {
    const dot = isRecord(exp['.']) ? exp['.'] : typeof exp['.'] === 'string' ? { default: exp['.'] } : exp;
    for (const key of ['import', 'default', 'node']) if (typeof dot[key] === 'string') return dot[key];
  }
  return typeof pkg.main === 'string' ? pkg.main : undefined;
}

/** A symbolic link inside a project whose target lies outside it. */
export interface OutsideLink {
  /** The link, relative to the project directory. */
  link: string;
  /** Where it resolves to, absolute. */
  target: string;
}

// Dependencies are installed, not written: workspace links in node_modules point outside by design.
const NOT_SOURCES = new Set(['node_modules', '.git']);

/**
 * The links in a project's own files (not node_modules) that lead outside the project directory:
 * a release bundles what they point at only if nothing it bundles lies behind one.
 */
export async function outsideLinks(dir: string): Promise<OutsideLink[]> {
  const root = await realpath(dir);
  const found: OutsideLink[] = [];
  const walk = async (at: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(at, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (NOT_SOURCES.has(entry.name)) continue;
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isSymbolicLink()) {
        const target = await realpath(full).catch(() => null);
        if (target !== null && !isInside(root, target)) found.push({ link: path.relative(root, full), target });
      }
    }
  };
  await walk(root);
  return found;
}

export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}
