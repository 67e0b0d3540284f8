import { existsSync } from 'node:fs';
import path from 'node:path';
import type { PlatformFileVia } from './platform-config.js';
import type { Env } from './interpolate.js';

export interface PlatformFileLookup {
  /** --platform FILE */
  platformFile?: string | undefined;
  cwd: string;
  env: Env;
  home: string;
}

export interface FoundPlatformFile {
  file: string | null;
  via: PlatformFileVia;
}

/**
 * Lookup order: --platform FILE, then $STATEKEEP_PLATFORM, then ./platform.yaml, then
 * ~/.statekeep/platform.yaml. A file named explicitly (flag or variable) is returned even if it
 * does not exist, so that reading it reports the mistake; the implicit places are skipped when empty.
 */
export function locatePlatformFile(lookup: PlatformFileLookup): FoundPlatformFile {
  if (lookup.platformFile !== undefined && lookup.platformFile !== '')
    return { file: path.resolve(lookup.cwd, lookup.platformFile), via: 'flag' };
  const fromEnv = lookup.env.STATEKEEP_PLATFORM;
  if (fromEnv !== undefined && fromEnv !== '') return { file: path.resolve(lookup.cwd, fromEnv), via: 'env' };
  const local = path.join(lookup.cwd, 'platform.yaml');
  if (existsSync(local)) return { file: local, via: 'cwd' };
  const user = path.join(lookup.home, '.statekeep', 'platform.yaml');
  if (existsSync(user)) return { file: user, via: 'home' };
  return { file: null, via: 'none' };
}
