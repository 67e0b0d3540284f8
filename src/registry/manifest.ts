import type { Location } from './errors/index.js';
import { isDigest, type Digest } from './digest.js';
import { isCount, isRecord, readStoredJson, sealDocument } from './stored-json.js';
import { actorName, projectName, type ActorName, type ProjectName } from './names.js';
import { generationNumber, releaseVersion, type GenerationNumber, type ReleaseVersion } from './versions.js';

/** The generation manifest format this statekeep writes and reads. */
export const MANIFEST_FORMAT = 1;

export type GenerationMode = 'train' | 'tune' | 'rollback';
export const GENERATION_MODES: readonly GenerationMode[] = ['train', 'tune', 'rollback'];

/** A data ordinal (a timestamp or a counter) bounding the rows a generation was trained on. */
export type Ordinal = number | string | null;

export interface TrainingInfo {
  lower: Ordinal;
  upper: Ordinal;
  rows: number;
}

export interface TuningInfo {
  score: number;
  params: Record<string, unknown>;
  trials: number;
}

export interface StateEntry {
  actor: ActorName;
  digest: Digest;
  size: number;
  codec: string;
}

export interface Environment {
  statekeep: string;
  node: string;
}

/**
 * Where a copied generation came from (`statekeep copy`): the source registry, and the source
 * generation's number and manifest digest. A copy run recognises what an earlier one finished by it.
 */
export interface Provenance {
  /** The source registry instance's name in the platform file of the copy, for people. */
  registry: string;
  /** The source registry's stable identity: its provider's descriptor target (a path, a server and namespace). */
  source: string;
  release: ReleaseVersion;
  generation: GenerationNumber;
  /** Digest of the source generation's stored manifest bytes. */
  manifest: Digest;
  /** UTC ISO-8601: when it was copied. */
  copied: string;
}

/** Everything known about one committed generation. States are content addresses, in actor order. */
export interface GenerationManifest {
  format: typeof MANIFEST_FORMAT;
  project: ProjectName;
  release: ReleaseVersion;
  generation: GenerationNumber;
  /** The generation this one was warm-started from (or, for a rollback, whose states it reinstates). */
  parent: GenerationNumber | null;
  mode: GenerationMode;
  /** UTC ISO-8601. */
  created: string;
  training: TrainingInfo | null;
  tuning: TuningInfo | null;
  metrics: Record<string, number>;
  environment: Environment;
  rollbackOf: GenerationNumber | null;
  /** Digest of the release package whose code produced the states, when there is one. */
  package: Digest | null;
  states: StateEntry[];
  /** Only on a copied generation: where it was copied from. Absent on every other manifest. */
  copiedFrom?: Provenance;
}

/** A manifest's stored bytes, sealed with a checksum that every read checks. */
export function encodeManifest(manifest: GenerationManifest): Uint8Array {
  return sealDocument(manifest);
}

/**
 * Parses and checks a stored manifest. Anything malformed is damage (IntegrityError); a newer
 * format is refused (IncompatibleFormatError). The manifest must also be where it claims to be.
 */
export function decodeManifest(
  bytes: Uint8Array,
  at: { project: ProjectName; release: ReleaseVersion; generation: GenerationNumber },
): GenerationManifest {
  const { raw, damaged } = readStoredJson(bytes, { subject: 'generation manifest', format: MANIFEST_FORMAT, at });
  let manifest: GenerationManifest;
  try {
    manifest = checkManifest(raw);
  } catch (error) {
    throw damaged(error instanceof Error ? error.message : String(error));
  }
  if (manifest.project !== at.project || manifest.release !== at.release || manifest.generation !== at.generation) {
    throw damaged(`a manifest of ${manifest.project} ${manifest.release} generation ${manifest.generation}`);
  }
  return manifest;
}

/**
 * Why a manifest about to be stored would not read back, or null if it would: the checks of
 * decodeManifest, run by a writer first, so that no generation is ever published that every
 * later read refuses as damaged.
 */
export function manifestProblem(manifest: GenerationManifest): string | null {
  try {
    checkManifest(manifest as unknown as Record<string, unknown>);
    // Caller-supplied values (tuning params) may hold what JSON cannot store: a BigInt, a cycle.
    encodeManifest(manifest);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

function checkManifest(raw: Record<string, unknown>): GenerationManifest {
  if (typeof raw.mode !== 'string' || !GENERATION_MODES.includes(raw.mode as GenerationMode))
    throw new Error(`mode ${JSON.stringify(raw.mode)}`);
  if (typeof raw.created !== 'string' || Number.isNaN(Date.parse(raw.created))) throw new Error('a bad created time');
  if (!Array.isArray(raw.states)) throw new Error('no states list');
  if (!isRecord(raw.environment)) throw new Error('no environment');
  if (!isRecord(raw.metrics) || Object.values(raw.metrics).some((v) => typeof v !== 'number'))
    throw new Error('bad metrics');
  const manifest: GenerationManifest = {
    format: MANIFEST_FORMAT,
    project: projectName(raw.project),
    release: releaseVersion(raw.release),
    generation: generationNumber(raw.generation),
    parent: raw.parent === null ? null : generationNumber(raw.parent),
    mode: raw.mode as GenerationMode,
    created: raw.created,
    training: raw.training === null ? null : checkTraining(raw.training),
    tuning: raw.tuning === null ? null : checkTuning(raw.tuning),
    metrics: raw.metrics as Record<string, number>,
    environment: { statekeep: String(raw.environment.statekeep), node: String(raw.environment.node) },
    rollbackOf: raw.rollbackOf === null ? null : generationNumber(raw.rollbackOf),
    package: raw.package === null ? null : checkDigest(raw.package),
    states: checkStates(raw.states),
  };
  // Optional, and left out when absent, so a manifest without it reads back exactly as it was.
  if (raw.copiedFrom !== undefined) manifest.copiedFrom = checkProvenance(raw.copiedFrom);
  return manifest;
}

function checkProvenance(raw: unknown): Provenance {
  if (
    !isRecord(raw) ||
    typeof raw.registry !== 'string' ||
    typeof raw.source !== 'string' ||
    typeof raw.copied !== 'string' ||
    Number.isNaN(Date.parse(raw.copied))
  )
    throw new Error('bad copiedFrom');
  return {
    registry: raw.registry,
    source: raw.source,
    release: releaseVersion(raw.release),
    generation: generationNumber(raw.generation),
    manifest: checkDigest(raw.manifest),
    copied: raw.copied,
  };
}

// States are keyed by actor: a second entry for one actor would make which state loads a guess.
function checkStates(raw: unknown[]): StateEntry[] {
  const states = raw.map(checkState);
  const seen = new Set<string>();
  for (const { actor } of states) {
    if (seen.has(actor)) throw new Error(`actor ${JSON.stringify(actor)} listed twice`);
    seen.add(actor);
  }
  return states;
}

function checkTraining(raw: unknown): TrainingInfo {
  if (!isRecord(raw) || !isOrdinal(raw.lower) || !isOrdinal(raw.upper) || !isCount(raw.rows))
    throw new Error('bad training');
  return { lower: raw.lower, upper: raw.upper, rows: raw.rows };
}

function checkTuning(raw: unknown): TuningInfo {
  if (
    !isRecord(raw) ||
    typeof raw.score !== 'number' ||
    !Number.isFinite(raw.score) ||
    !isRecord(raw.params) ||
    !isCount(raw.trials)
  )
    throw new Error('bad tuning');
  return { score: raw.score, params: raw.params, trials: raw.trials };
}

function checkState(raw: unknown): StateEntry {
  if (!isRecord(raw) || !isCount(raw.size) || typeof raw.codec !== 'string') throw new Error('a bad state entry');
  return { actor: actorName(raw.actor), digest: checkDigest(raw.digest), size: raw.size, codec: raw.codec };
}

function checkDigest(raw: unknown): Digest {
  if (!isDigest(raw)) throw new Error(`digest ${JSON.stringify(raw)}`);
  return raw;
}

function isOrdinal(value: unknown): value is Ordinal {
  return value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

/** Where a manifest lives, for messages. */
export function manifestLocation(m: Pick<GenerationManifest, 'project' | 'release' | 'generation'>): Location {
  return { project: m.project, release: m.release, generation: m.generation };
}
