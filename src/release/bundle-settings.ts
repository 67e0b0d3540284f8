import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../registry/errors/index.js';
import { isRecord } from '../registry/stored-json.js';

/**
 * What a project's package.json says about bundling, in its `"statekeep"` block:
 *
 * - `external`: modules left out of the bundle and loaded at run time from the directory
 *   statekeep runs in (its node_modules, or NODE_PATH), e.g. a native addon such as
 *   `@tensorflow/tfjs-node`. Loading the release fails plainly when one is not installed there.
 * - `optional`: modules left out of the bundle that the code works without (a library's
 *   `try { require('encoding') } catch {}`): loaded from the same place when installed there,
 *   otherwise their import fails as if they were not installed, which the library handles.
 */
export interface BundleSettings {
  external: string[];
  optional: string[];
}

// An npm package name (scoped or not), optionally with a subpath: what an import specifier names.
const MODULE = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(\/[A-Za-z0-9._~-]+)*$/;

export async function readBundleSettings(dir: string): Promise<BundleSettings> {
  const file = path.join(dir, 'package.json');
  const pkg: unknown = JSON.parse(await readFile(file, 'utf8'));
  const block = isRecord(pkg) && isRecord(pkg.statekeep) ? pkg.statekeep : {};
  const settings = { external: modulesOf(block, 'external', file), optional: modulesOf(block, 'optional', file) };
  const both = settings.external.find((m) => settings.optional.includes(m));
  if (both !== undefined)
    throw new ConfigError(
      { file, key: 'statekeep.optional', problem: `${JSON.stringify(both)} is declared both external and optional` },
      'keep it in one list: external when the release needs it at run time, optional when it runs without it',
    );
  return settings;
}

function modulesOf(block: Record<string, unknown>, key: 'external' | 'optional', file: string): string[] {
  const list = block[key];
  if (list === undefined) return [];
  const bad = Array.isArray(list)
    ? list.find((m) => typeof m !== 'string' || !MODULE.test(m) || m === 'statekeep' || m.startsWith('statekeep/'))
    : list;
  if (Array.isArray(list) && bad === undefined) return [...new Set(list as string[])].sort();
  throw new ConfigError(
    {
      file,
      key: `statekeep.${key}`,
      problem: Array.isArray(list)
        ? `${JSON.stringify(bad)} is not a module name a package can leave out`
        : 'not a list of module names',
    },
    `give a list of package names, e.g. "statekeep": { "${key}": ["${key === 'external' ? '@tensorflow/tfjs-node' : 'encoding'}"] } (statekeep itself is always left out)`,
  );
}

/** The specifier's package name: `@scope/name` or `name`, without a subpath. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}
