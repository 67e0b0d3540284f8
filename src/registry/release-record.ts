import { isDigest, type Digest } from './digest.js';
import { UsageError } from './errors/index.js';
import { isProjectName, type ProjectName } from './names.js';
import { isCount, isRecord, readStoredJson, sealDocument } from './stored-json.js';
import { isReleaseVersion, type ReleaseVersion } from './versions.js';

/** Records with a package keep format 1, which every statekeep reads; a record without one is format 2. */
export const RELEASE_FORMAT = 1;
export const UNPACKAGED_RELEASE_FORMAT = 2;

/**
 * The small manifest a registry keeps for each release. The package bytes themselves are a
 * content-addressed blob of the project, verified against `package.digest` when pulled.
 */
export interface ReleaseRecord {
  format: typeof RELEASE_FORMAT | typeof UNPACKAGED_RELEASE_FORMAT;
  project: ProjectName;
  version: ReleaseVersion;
  /** UTC ISO-8601. */
  created: string;
  /** null: the release's code is managed by a program (PersistentModel), not stored here. */
  package: { digest: Digest; size: number } | null;
  /** Facts about the package shown in listings (entry, statekeep and node versions, git commit). */
  info: Record<string, string | null>;
}

/** A release published with its package (publishRelease). */
export type PackagedReleaseRecord = ReleaseRecord & { package: { digest: Digest; size: number } };

/** A record's stored bytes, sealed with a checksum that every read checks. */
export function encodeReleaseRecord(record: ReleaseRecord): Uint8Array {
  return sealDocument(record);
}

export function decodeReleaseRecord(
  bytes: Uint8Array,
  at: { project: ProjectName; release: ReleaseVersion },
): ReleaseRecord {
  const { raw, damaged } = readStoredJson(bytes, {
    subject: 'release record',
    format: UNPACKAGED_RELEASE_FORMAT,
    oldest: RELEASE_FORMAT,
    at,
  });
  const pkg = raw.package;
  // Each format has one shape: format 1 always has a package, format 2 never has one.
  const packaged = raw.format === RELEASE_FORMAT;
  const pkgOk = packaged ? isRecord(pkg) && isDigest(pkg.digest) && isCount(pkg.size) : pkg === null;
  if (typeof raw.created !== 'string' || !pkgOk || !isRecord(raw.info)) {
    throw damaged('a record with missing or malformed fields');
  }
  if (!isProjectName(raw.project) || !isReleaseVersion(raw.version))
    throw damaged('a record with a bad project or version');
  if (raw.project !== at.project || raw.version !== at.release)
    throw damaged(`a record of ${raw.project} ${raw.version}`);
  const info: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(raw.info)) info[key] = value === null ? null : String(value);
  return {
    format: packaged ? RELEASE_FORMAT : UNPACKAGED_RELEASE_FORMAT,
    project: raw.project,
    version: raw.version,
    created: raw.created,
    package: isRecord(pkg) ? { digest: pkg.digest as Digest, size: pkg.size as number } : null,
    info,
  };
}

/** The one error for using a release's package where it has none (apply, train, tune, pull). */
export function noPackageError(record: Pick<ReleaseRecord, 'project' | 'version'>): UsageError {
  return new UsageError(
    `release ${record.project} ${record.version} has no package`,
    'this release has no package; its code is managed by a program — use PersistentModel or loadPredictor from code',
    { project: record.project, release: record.version },
  );
}
