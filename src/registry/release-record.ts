import { isDigest, type Digest } from './digest.js';
import { isProjectName, type ProjectName } from './names.js';
import { isCount, isRecord, readStoredJson, sealDocument } from './stored-json.js';
import { isReleaseVersion, type ReleaseVersion } from './versions.js';

export const RELEASE_FORMAT = 1;

/**
 * The small manifest a registry keeps for each release. The package bytes themselves are a
 * content-addressed blob of the project, verified against `package.digest` when pulled.
 */
export interface ReleaseRecord {
  format: typeof RELEASE_FORMAT;
  project: ProjectName;
  version: ReleaseVersion;
  /** UTC ISO-8601. */
  created: string;
  package: { digest: Digest; size: number };
  /** Facts about the package shown in listings (entry, statekeep and node versions, git commit). */
  info: Record<string, string | null>;
}

/** A record's stored bytes, sealed with a checksum that every read checks. */
export function encodeReleaseRecord(record: ReleaseRecord): Uint8Array {
  return sealDocument(record);
}

export function decodeReleaseRecord(
  bytes: Uint8Array,
  at: { project: ProjectName; release: ReleaseVersion },
): ReleaseRecord {
  const { raw, damaged } = readStoredJson(bytes, { subject: 'release record', format: RELEASE_FORMAT, at });
  const pkg = raw.package;
  if (
    typeof raw.created !== 'string' ||
    !isRecord(pkg) ||
    !isDigest(pkg.digest) ||
    !isCount(pkg.size) ||
    !isRecord(raw.info)
  ) {
    throw damaged('a record with missing or malformed fields');
  }
  if (!isProjectName(raw.project) || !isReleaseVersion(raw.version))
    throw damaged('a record with a bad project or version');
  if (raw.project !== at.project || raw.version !== at.release)
    throw damaged(`a record of ${raw.project} ${raw.version}`);
  const info: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(raw.info)) info[key] = value === null ? null : String(value);
  return {
    format: RELEASE_FORMAT,
    project: raw.project,
    version: raw.version,
    created: raw.created,
    package: { digest: pkg.digest, size: pkg.size },
    info,
  };
}
