import semver from 'semver';
import { InvalidVersionError } from './errors/index.js';

/** A release version: a canonical semver string such as 1.10.0 or 2.0.0-rc.1. */
export type ReleaseVersion = string & { readonly __brand: 'ReleaseVersion' };
/** A generation number within a release: 1, 2, 3 … */
export type GenerationNumber = number & { readonly __brand: 'GenerationNumber' };

/**
 * The longest release version statekeep stores, build metadata included. A version is one path
 * segment on posix (at most 255 bytes) and a tag value or name part on other backends: 128 fits
 * every provider with room to spare, as project and actor names do.
 */
export const MAX_VERSION_LENGTH = 128;

/** The canonical spelling of a semver version, or null if it is not one. */
function canonical(value: unknown): string | null {
  const parsed = typeof value === 'string' ? semver.parse(value) : null;
  return parsed === null ? null : parsed.version + (parsed.build.length > 0 ? `+${parsed.build.join('.')}` : '');
}

export function isReleaseVersion(value: unknown): value is ReleaseVersion {
  return typeof value === 'string' && value.length <= MAX_VERSION_LENGTH && canonical(value) === value;
}

export function releaseVersion(value: unknown): ReleaseVersion {
  if (typeof value === 'string' && value.length > MAX_VERSION_LENGTH) {
    throw new InvalidVersionError(
      { kind: 'release version', value, limit: MAX_VERSION_LENGTH },
      `use at most ${MAX_VERSION_LENGTH} characters, build metadata included`,
    );
  }
  const spelled = canonical(value);
  if (spelled === null) {
    throw new InvalidVersionError(
      { kind: 'release version', value: String(value) },
      'use a semver version such as 1.0.0 or 2.1.0-rc.1',
    );
  }
  // Only the canonical spelling is accepted, so one release never has two names ("v1.0.0", "1.0.0").
  if (spelled !== value) {
    throw new InvalidVersionError({ kind: 'release version', value: String(value) }, `write it as ${spelled}`);
  }
  return value as ReleaseVersion;
}

/** Semver precedence: 1.9.0-rc.1 < 1.9.0 < 1.10.0. Build metadata does not count. */
export function compareReleases(a: ReleaseVersion, b: ReleaseVersion): number {
  return semver.compare(a, b);
}

export const MAX_GENERATION = 2 ** 31 - 1;

export function generationNumber(value: unknown): GenerationNumber {
  const n = typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 1 || n > MAX_GENERATION) {
    throw new InvalidVersionError({ kind: 'generation number', value: String(value) }, 'use a whole number from 1 up');
  }
  return n as GenerationNumber;
}
