import { digestOf, isDigest, type Digest } from './digest.js';
import { GENERATION_MODES, type GenerationManifest, type GenerationMode } from './manifest.js';
import { projectName, type ProjectName } from './names.js';
import { isRecord, readStoredJson, sealDocument } from './stored-json.js';
import { generationNumber, releaseVersion, type GenerationNumber, type ReleaseVersion } from './versions.js';

/**
 * The tombstone format. 2, not 1, on purpose: a statekeep that predates tombstones reads one in
 * place of a manifest (format 1) and refuses it as "written by a newer statekeep; upgrade", rather
 * than reporting the registry as damaged.
 */
export const TOMBSTONE_FORMAT = 2;

/** The field value that tells a stored tombstone from a manifest (manifests have no `kind`). */
export const TOMBSTONE_KIND = 'tombstone';

/** Which retention policy let a generation go, as it was configured when it was pruned. */
export interface PrunedBy {
  /** The policy's rule in one line, as platform.yaml spells it: "keepLast: 10, keepWithin: 30d". */
  rule: string;
  /** Where it came from: "registry default (platform.yaml)", "project iris (platform.yaml)". */
  description: string;
}

/**
 * What stays of a pruned generation: where it was, when and why it went, the digest of the
 * manifest it replaced, and its lineage (parent, rollbackOf, mode, created) so that `list` can
 * still show the chain a kept generation descends from. It names no states: its blobs are free
 * for gc once nothing else references them. Stored in the manifest's place, under the same
 * number, so the number is never handed out again.
 */
export interface GenerationTombstone {
  kind: typeof TOMBSTONE_KIND;
  format: typeof TOMBSTONE_FORMAT;
  project: ProjectName;
  release: ReleaseVersion;
  generation: GenerationNumber;
  /** UTC ISO-8601: when it was pruned. */
  prunedAt: string;
  policy: PrunedBy;
  /** The digest of the pruned manifest's stored bytes. */
  manifestDigest: Digest;
  /** The pruned manifest's lineage fields, unchanged. */
  parent: GenerationNumber | null;
  rollbackOf: GenerationNumber | null;
  mode: GenerationMode;
  /** UTC ISO-8601: when the pruned generation was committed. */
  created: string;
}

/** The tombstone for a manifest, given the manifest's stored bytes (whose digest it records). */
export function tombstoneFor(
  manifest: GenerationManifest,
  manifestBytes: Uint8Array,
  policy: PrunedBy,
  prunedAt: Date,
): GenerationTombstone {
  return {
    kind: TOMBSTONE_KIND,
    format: TOMBSTONE_FORMAT,
    project: manifest.project,
    release: manifest.release,
    generation: manifest.generation,
    prunedAt: prunedAt.toISOString(),
    policy: { rule: policy.rule, description: policy.description },
    manifestDigest: digestOf(manifestBytes),
    parent: manifest.parent,
    rollbackOf: manifest.rollbackOf,
    mode: manifest.mode,
    created: manifest.created,
  };
}

/** A tombstone's stored bytes, sealed with a checksum that every read checks. */
export function encodeTombstone(tombstone: GenerationTombstone): Uint8Array {
  return sealDocument(tombstone);
}

/**
 * Whether bytes stored in a generation's place are a tombstone (rather than a manifest): a JSON
 * object with `kind: "tombstone"`. Cheap and lenient on purpose; decodeTombstone checks the rest,
 * and bytes that are not JSON are left for decodeManifest to report as damage.
 */
export function isTombstoneBytes(bytes: Uint8Array): boolean {
  try {
    const raw: unknown = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    return isRecord(raw) && raw.kind === TOMBSTONE_KIND;
  } catch {
    return false;
  }
}

/**
 * Parses and checks a stored tombstone: its checksum, its fields, and that it is where it claims
 * to be. Anything malformed is damage (IntegrityError), a newer format IncompatibleFormatError.
 */
export function decodeTombstone(
  bytes: Uint8Array,
  at: { project: ProjectName; release: ReleaseVersion; generation: GenerationNumber },
): GenerationTombstone {
  const { raw, damaged } = readStoredJson(bytes, {
    subject: 'generation tombstone',
    format: TOMBSTONE_FORMAT,
    at,
  });
  let tombstone: GenerationTombstone;
  try {
    tombstone = checkTombstone(raw);
  } catch (error) {
    throw damaged(error instanceof Error ? error.message : String(error));
  }
  if (tombstone.project !== at.project || tombstone.release !== at.release || tombstone.generation !== at.generation) {
    throw damaged(`a tombstone of ${tombstone.project} ${tombstone.release} generation ${tombstone.generation}`);
  }
  return tombstone;
}

function checkTombstone(raw: Record<string, unknown>): GenerationTombstone {
  if (raw.kind !== TOMBSTONE_KIND) throw new Error(`kind ${JSON.stringify(raw.kind)}`);
  if (typeof raw.prunedAt !== 'string' || Number.isNaN(Date.parse(raw.prunedAt))) throw new Error('a bad prunedAt');
  if (typeof raw.created !== 'string' || Number.isNaN(Date.parse(raw.created))) throw new Error('a bad created time');
  const policy = raw.policy;
  if (!isRecord(policy) || typeof policy.rule !== 'string' || typeof policy.description !== 'string')
    throw new Error('a bad policy');
  if (!isDigest(raw.manifestDigest)) throw new Error(`manifest digest ${JSON.stringify(raw.manifestDigest)}`);
  if (typeof raw.mode !== 'string' || !GENERATION_MODES.includes(raw.mode as GenerationMode))
    throw new Error(`mode ${JSON.stringify(raw.mode)}`);
  return {
    kind: TOMBSTONE_KIND,
    format: TOMBSTONE_FORMAT,
    project: projectName(raw.project),
    release: releaseVersion(raw.release),
    generation: generationNumber(raw.generation),
    prunedAt: raw.prunedAt,
    policy: { rule: policy.rule, description: policy.description },
    manifestDigest: raw.manifestDigest,
    parent: raw.parent === null ? null : generationNumber(raw.parent),
    rollbackOf: raw.rollbackOf === null ? null : generationNumber(raw.rollbackOf),
    mode: raw.mode as GenerationMode,
    created: raw.created,
  };
}
