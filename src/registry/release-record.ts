import { IncompatibleFormatError, IntegrityError } from './errors/index.js';
import { isDigest, type Digest } from './digest.js';
import { isRecord } from './manifest.js';
import { projectName, type ProjectName } from './names.js';
import { releaseVersion, type ReleaseVersion } from './versions.js';

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

export function encodeReleaseRecord(record: ReleaseRecord): Uint8Array {
  return Buffer.from(`${JSON.stringify(record, null, 2)}\n`, 'utf8');
}

export function decodeReleaseRecord(bytes: Uint8Array, at: { project: ProjectName; release: ReleaseVersion }): ReleaseRecord {
  const damaged = (actual: string): IntegrityError =>
    new IntegrityError({ ...at, subject: 'release record', expected: `a format ${RELEASE_FORMAT} release record`, actual });
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw damaged('bytes that are not JSON');
  }
  if (!isRecord(raw)) throw damaged('JSON that is not an object');
  if (typeof raw.format === 'number' && raw.format > RELEASE_FORMAT) {
    throw new IncompatibleFormatError(
      { subject: `release record of ${at.project} ${at.release}`, found: String(raw.format), supported: String(RELEASE_FORMAT) },
      'upgrade statekeep to read this registry',
    );
  }
  const pkg = raw.package;
  if (raw.format !== RELEASE_FORMAT || typeof raw.created !== 'string' || !isRecord(pkg) || !isDigest(pkg.digest) || typeof pkg.size !== 'number' || !isRecord(raw.info)) {
    throw damaged('a record with missing or malformed fields');
  }
  let project: ProjectName, version: ReleaseVersion;
  try {
    project = projectName(raw.project);
    version = releaseVersion(raw.version);
  } catch {
    throw damaged('a record with a bad project or version');
  }
  if (project !== at.project || version !== at.release) throw damaged(`a record of ${project} ${version}`);
  const info: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(raw.info)) info[key] = value === null ? null : String(value);
  return { format: RELEASE_FORMAT, project, version, created: raw.created, package: { digest: pkg.digest, size: pkg.size }, info };
}
