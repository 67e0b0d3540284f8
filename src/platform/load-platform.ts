import { readFile } from 'node:fs/promises';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../registry/errors/index.js';
import type { Env } from './interpolate.js';
import { layerOf, mergeLayers, type Layer } from './layers.js';
import { locatePlatformFile } from './locate-platform-file.js';
import type { PlatformConfig } from './platform-config.js';
import { resolvePlatform } from './resolve-platform.js';
import { parseYamlSource } from './yaml-source.js';

// Two levels above both src/platform and dist/platform: the package's config/ folder.
export const DEFAULTS_FILE = fileURLToPath(new URL('../../config/defaults.yaml', import.meta.url));

export interface LoadPlatformOptions {
  /** --platform FILE; relative to cwd. */
  platformFile?: string | undefined;
  /** --registry NAME: use this instance instead of registry.default. */
  registry?: string | undefined;
  /** Default: process.cwd(). */
  cwd?: string;
  /** Default: process.env. Read here and nowhere else, so nothing is captured at import time. */
  env?: Env;
  /** Default: os.homedir(). */
  home?: string;
}

/**
 * Finds the platform file, merges it over config/defaults.yaml, fills in ${VAR}, validates it
 * against config/platform.schema.json and resolves it. Every problem is a ConfigError naming
 * file:line:col and the key, except an unknown --registry, which is a UsageError.
 */
export async function loadPlatform(options: LoadPlatformOptions = {}): Promise<PlatformConfig> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const home = options.home ?? os.homedir();
  const found = locatePlatformFile({ platformFile: options.platformFile, cwd, env, home });
  const layers: Layer[] = [
    layerOf(parseYamlSource(DEFAULTS_FILE, await readText(DEFAULTS_FILE, 'defaults')), 'defaults', env),
  ];
  if (found.file !== null)
    layers.push(layerOf(parseYamlSource(found.file, await readText(found.file, found.via)), 'file', env));
  return resolvePlatform(
    mergeLayers(layers),
    { file: found.file, via: found.via, defaults: DEFAULTS_FILE },
    { cwd, home, registry: options.registry },
  );
}

async function readText(file: string, via: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem =
      code === 'ENOENT'
        ? 'platform file not found'
        : code === 'EISDIR'
          ? 'platform file is a directory'
          : `platform file cannot be read (${code ?? String(error)})`;
    const hint =
      via === 'flag'
        ? 'check the platform file path given'
        : via === 'env'
          ? 'check $STATEKEEP_PLATFORM, or unset it'
          : via === 'defaults'
            ? 'statekeep is installed incompletely; reinstall it'
            : "check the file's permissions";
    throw new ConfigError({ file, problem, ...(via === 'flag' ? { argument: 'platformFile' } : {}) }, hint, {
      cause: error,
    });
  }
}
