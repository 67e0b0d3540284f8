import type { Registry } from '../registry/registry.js';
import { createContainer } from './container.js';
import type { Env } from './interpolate.js';
import { loadPlatform } from './load-platform.js';
import type { RegistryCatalog } from './registry-catalog.js';
import { TOKENS } from './tokens.js';

export interface OpenRegistryOptions {
  /** The platform file; default: $STATEKEEP_PLATFORM, ./platform.yaml, ~/.statekeep/platform.yaml. */
  platform?: string;
  /** Default: process.cwd(). */
  cwd?: string;
  /** Default: process.env. */
  env?: Env;
  /** Default: os.homedir(). */
  home?: string;
}

/**
 * The Registry of a platform.yaml instance (registry.default when `instance` is not given), as
 * the CLI opens it; nothing else is opened. Close it when done: `await registry.close()`.
 */
export async function openRegistry(instance?: string, options: OpenRegistryOptions = {}): Promise<Registry> {
  const platform = await loadPlatform({
    platformFile: options.platform,
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    ...(options.env !== undefined && { env: options.env }),
    ...(options.home !== undefined && { home: options.home }),
  });
  const catalog = createContainer(platform).get<RegistryCatalog>(TOKENS.Registries);
  // An unknown name is a NotFoundError naming the configured instances.
  return instance === undefined ? catalog.default() : catalog.get(instance);
}
