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
  /** Candidates that failed, with their parameters and error; absent when none did (and in older manifests). */
  failed?: FailedTrial[];
}

/** A tuning candidate that failed: its parameters, and the error's code and message. */
export interface FailedTrial {
  params: Record<string, unknown>;
  code: string;
  message: string;
}

/**
 * What a warm start did with one stateful actor: `continued` from the parent's state on this
 * run's rows; `retrained` from scratch on every row of the lineage (it cannot continue training,
 * or an actor before it was retrained), `training` saying which; `untrained` from scratch on this
 * run's rows, because the parent holds no state for it.
 */
export interface ActorStart {
  start: 'continued' | 'retrained' | 'untrained';
  /** The rows it trained on, when other than the generation's `training`. */
  training?: TrainingInfo;
}

export const ACTOR_STARTS: readonly ActorStart['start'][] = ['continued', 'retrained', 'untrained'];

export interface StateEntry {
  actor: ActorName;
  digest: Digest;
  size: number;
  codec: string;
}

/**
 * How the states' actors were arranged when they were written, as the code that wrote them
 * describes it: a tree of named nodes of free-form kinds; a node naming an `actor` stands for that
 * actor's state. The registry stores and checks the shape only, never its meaning.
 */
export interface StructureNode {
  kind: string;
  name: string;
  actor?: ActorName;
  attributes?: Record<string, StructureValue>;
  children?: StructureNode[];
}

export type StructureValue = string | number | boolean | string[];

export interface Environment {
  statekeep: string;
  node: string;
}

/** A parent generation in another release than the manifest's own. */
export interface ParentRef {
  release: ReleaseVersion;
  generation: GenerationNumber;
}

/** The parent as release and number, whichever form the manifest holds; null for none. */
export function parentRef(m: { release: string; parent: GenerationManifest['parent'] }): ParentRef | null {
  if (m.parent === null) return null;
  return typeof m.parent === 'number' ? { release: m.release as ReleaseVersion, generation: m.parent } : m.parent;
}

/** The parent for people: `3` in the same release, `1.0.0/3` in another; `-` for none. */
export function formatParent(m: { release: string; parent: GenerationManifest['parent'] }): string {
  const ref = parentRef(m);
  if (ref === null) return '-';
  return ref.release === m.release ? String(ref.generation) : `${ref.release}/${ref.generation}`;
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
  /**
   * The generation this one was warm-started from (or, for a rollback, whose states it
   * reinstates): its number in this release, or `{ release, generation }` when it lies in
   * another release (train --from). Older manifests hold numbers only.
   */
  parent: GenerationNumber | ParentRef | null;
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
  /** Optional (absent in older manifests): how the actors were arranged, e.g. the branches of a pipeline. */
  structure?: StructureNode;
  /** Per stateful actor, what the warm start did; only in generations trained from a parent (absent in older manifests). */
  warmStart?: Record<ActorName, ActorStart>;
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
    parent: checkParent(raw.parent, raw.release),
    mode: raw.mode as GenerationMode,
    created: raw.created,
    training: raw.training === null ? null : checkTraining(raw.training),
    tuning: raw.tuning === null ? null : checkTuning(raw.tuning),
    metrics: raw.metrics as Record<string, number>,
    environment: { statekeep: String(raw.environment.statekeep), node: String(raw.environment.node) },
    rollbackOf: raw.rollbackOf === null ? null : generationNumber(raw.rollbackOf),
    package: raw.package === null ? null : checkDigest(raw.package),
    states: checkStates(raw.states),
    ...(raw.structure === undefined ? {} : { structure: checkStructure(raw.structure) }),
    ...(raw.warmStart === undefined ? {} : { warmStart: checkWarmStart(raw.warmStart) }),
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

const MAX_STRUCTURE_NODES = 10_000;
const MAX_STRUCTURE_DEPTH = 32;

function checkStructure(raw: unknown): StructureNode {
  let count = 0;
  const check = (node: unknown, depth: number): StructureNode => {
    count += 1;
    if (count > MAX_STRUCTURE_NODES || depth > MAX_STRUCTURE_DEPTH) throw new Error('a structure too large');
    if (!isRecord(node) || typeof node.kind !== 'string' || typeof node.name !== 'string')
      throw new Error('a bad structure node');
    const out: StructureNode = { kind: node.kind, name: node.name };
    if (node.actor !== undefined) out.actor = actorName(node.actor);
    if (node.attributes !== undefined) {
      if (!isRecord(node.attributes)) throw new Error('bad structure attributes');
      for (const value of Object.values(node.attributes)) {
        const ok =
          typeof value === 'string' ||
          typeof value === 'boolean' ||
          (typeof value === 'number' && Number.isFinite(value)) ||
          (Array.isArray(value) && value.every((v) => typeof v === 'string'));
        if (!ok) throw new Error('bad structure attributes');
      }
      out.attributes = node.attributes as Record<string, StructureValue>;
    }
    if (node.children !== undefined) {
      if (!Array.isArray(node.children)) throw new Error('bad structure children');
      out.children = node.children.map((child) => check(child, depth + 1));
    }
    return out;
  };
  return check(raw, 0);
}

/** A stored parent field (a manifest's, or a tombstone's copy of it); throws on any other shape. */
export function checkParent(raw: unknown, release: unknown): GenerationNumber | ParentRef | null {
  if (raw === null) return null;
  if (!isRecord(raw)) return generationNumber(raw);
  const ref = { release: releaseVersion(raw.release), generation: generationNumber(raw.generation) };
  // One spelling per parent: a parent in the manifest's own release is a number.
  if (ref.release === release) throw new Error('a parent in its own release written as an object');
  return ref;
}

function checkWarmStart(raw: unknown): Record<ActorName, ActorStart> {
  if (!isRecord(raw)) throw new Error('bad warmStart');
  const starts: Record<ActorName, ActorStart> = {};
  for (const [actor, entry] of Object.entries(raw)) {
    if (!isRecord(entry) || !ACTOR_STARTS.includes(entry.start as ActorStart['start']))
      throw new Error(`bad warmStart of ${JSON.stringify(actor)}`);
    starts[actorName(actor)] = {
      start: entry.start as ActorStart['start'],
      ...(entry.training === undefined ? {} : { training: checkTraining(entry.training) }),
    };
  }
  return starts;
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
  const tuning: TuningInfo = { score: raw.score, params: raw.params, trials: raw.trials };
  if (raw.failed !== undefined) tuning.failed = checkFailedTrials(raw.failed);
  return tuning;
}

function checkFailedTrials(raw: unknown): FailedTrial[] {
  if (!Array.isArray(raw)) throw new Error('bad failed trials');
  return raw.map((t: unknown) => {
    if (!isRecord(t) || !isRecord(t.params) || typeof t.code !== 'string' || typeof t.message !== 'string')
      throw new Error('a bad failed trial');
    return { params: t.params, code: t.code, message: t.message };
  });
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
