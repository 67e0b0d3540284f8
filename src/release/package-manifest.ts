import { isDigest, type Digest } from '../registry/digest.js';
import { isProjectName, type ProjectName } from '../registry/names.js';
import { isCount, isRecord, readStoredJson } from '../registry/stored-json.js';
import { isReleaseVersion, type ReleaseVersion } from '../registry/versions.js';

/** The release package format this statekeep writes and reads. */
export const PACKAGE_FORMAT = 1;
/** The manifest's name inside the archive; payload files live under PAYLOAD_DIR. */
export const PACKAGE_MANIFEST_FILE = 'statekeep-package.json';
export const PAYLOAD_DIR = 'payload';

export interface PayloadFile {
  /** Relative to the payload directory, with forward slashes. */
  path: string;
  size: number;
  sha256: Digest;
}

/** What a release package says about itself; the first thing checked when it is opened. */
export interface PackageManifest {
  format: typeof PACKAGE_FORMAT;
  project: ProjectName;
  version: ReleaseVersion;
  /** The payload file to import: the bundled pipeline module. */
  entry: string;
  /** sha256 = digest of the canonical file list below, so one digest pins every payload byte. */
  payload: { sha256: Digest; files: PayloadFile[] };
  statekeep: string;
  /** The project's engines.node range, if it declares one. */
  node: string | null;
  created: string;
  source: { commit: string | null; dirty: boolean | null };
}

export function encodePackageManifest(manifest: PackageManifest): Uint8Array {
  return Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
}

export function decodePackageManifest(bytes: Uint8Array, subject: string): PackageManifest {
  const { raw, damaged } = readStoredJson(bytes, {
    subject,
    format: PACKAGE_FORMAT,
    at: {},
    hint: 'the package is damaged; publish it again from its source',
  });
  const payload = raw.payload;
  const source = raw.source;
  if (
    typeof raw.entry !== 'string' ||
    typeof raw.statekeep !== 'string' ||
    typeof raw.created !== 'string' ||
    !(raw.node === null || typeof raw.node === 'string') ||
    !isRecord(payload) ||
    !isDigest(payload.sha256) ||
    !Array.isArray(payload.files) ||
    !isRecord(source)
  ) {
    throw damaged('a manifest with missing or malformed fields');
  }
  const files = payload.files.map((f: unknown): PayloadFile => {
    if (!isRecord(f) || typeof f.path !== 'string' || !isCount(f.size) || !isDigest(f.sha256))
      throw damaged('a malformed payload file entry');
    return { path: f.path, size: f.size, sha256: f.sha256 };
  });
  if (!isProjectName(raw.project) || !isReleaseVersion(raw.version))
    throw damaged('a manifest with a bad project name or version');
  return {
    format: PACKAGE_FORMAT,
    project: raw.project,
    version: raw.version,
    entry: raw.entry,
    payload: { sha256: payload.sha256, files },
    statekeep: raw.statekeep,
    node: raw.node,
    created: raw.created,
    source: {
      commit: typeof source.commit === 'string' ? source.commit : null,
      dirty: typeof source.dirty === 'boolean' ? source.dirty : null,
    },
  };
}
