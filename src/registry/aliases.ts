import { InvalidNameError } from './errors/index.js';
import { isProjectName, NAME_RULE, safeName, type ProjectName } from './names.js';
import { isCount, isRecord, readStoredJson, sealDocument } from './stored-json.js';
import { isReleaseVersion, MAX_GENERATION, type GenerationNumber, type ReleaseVersion } from './versions.js';

export const ALIAS_FORMAT = 1;

/** An alias's name: the project-name rule, and never `latest`. */
export type AliasName = string & { readonly __brand: 'AliasName' };

/** Always the newest generation of the newest release; computed, so it cannot be set. */
export const LATEST_ALIAS = 'latest';

// Any case: `Latest` reads as `latest` to a person, and MLflow reserves it in every case too.
export function isReservedAlias(value: string): boolean {
  return value.toLowerCase() === LATEST_ALIAS;
}

/** Whether a stored name can be an alias's: listings skip the others (a reserved name put there by hand). */
export function isAliasName(value: unknown): value is AliasName {
  return isProjectName(value) && !isReservedAlias(value);
}

export function aliasName(value: unknown): AliasName {
  const name = safeName('alias', value);
  if (isReservedAlias(name))
    throw new InvalidNameError({ kind: 'alias', name, rule: `${NAME_RULE}, other than "latest" (it is reserved)` });
  return name as AliasName;
}

/** One generation of one release: what an alias points at. */
export interface AliasTarget {
  release: ReleaseVersion;
  generation: GenerationNumber;
}

/**
 * One entry of an alias's append-only log: entry n records the n-th move. The alias holds the
 * newest entry's `to` (null after a removal). Entries are numbered 1..N without gaps, each
 * created exclusively, which is what makes a move a compare-and-swap: writing n+1 succeeds for
 * exactly one writer that saw n as the newest.
 *
 * A generation some alias holds must never be pruned (by retention or gc) until the alias moves.
 */
export interface AliasEntry {
  format: typeof ALIAS_FORMAT;
  project: ProjectName;
  alias: AliasName;
  entry: number;
  action: 'set' | 'rm';
  /** UTC ISO-8601. */
  time: string;
  from: AliasTarget | null;
  to: AliasTarget | null;
  reason: string | null;
  /** The statekeep version that wrote the entry. */
  statekeep: string;
}

/** "1.1.0 #3", or "unset". */
export function describeTarget(target: AliasTarget | null): string {
  return target === null ? 'unset' : `${target.release} #${target.generation}`;
}

export function sameTarget(a: AliasTarget | null, b: AliasTarget | null): boolean {
  return a === null || b === null ? a === b : a.release === b.release && a.generation === b.generation;
}

/** An entry's stored bytes, sealed with a checksum that every read checks, like manifests and records. */
export function encodeAliasEntry(entry: AliasEntry): Uint8Array {
  return sealDocument(entry);
}

export function decodeAliasEntry(
  bytes: Uint8Array,
  at: { project: ProjectName; alias: AliasName; entry: number },
): AliasEntry {
  const { raw, damaged } = readStoredJson(bytes, {
    subject: `alias entry ${at.alias}#${at.entry}`,
    format: ALIAS_FORMAT,
    at: { project: at.project },
  });
  const from = readTarget(raw.from);
  const to = readTarget(raw.to);
  if (
    (raw.action !== 'set' && raw.action !== 'rm') ||
    typeof raw.time !== 'string' ||
    typeof raw.statekeep !== 'string' ||
    (raw.reason !== null && typeof raw.reason !== 'string') ||
    from === undefined ||
    to === undefined ||
    (raw.action === 'set') !== (to !== null)
  ) {
    throw damaged('an entry with missing or malformed fields');
  }
  if (!isProjectName(raw.project) || raw.project !== at.project || raw.alias !== at.alias || raw.entry !== at.entry)
    throw damaged(`an entry of ${String(raw.project)} ${String(raw.alias)}#${String(raw.entry)}`);
  return {
    format: ALIAS_FORMAT,
    project: at.project,
    alias: at.alias,
    entry: at.entry,
    action: raw.action,
    time: raw.time,
    from,
    to,
    reason: raw.reason,
    statekeep: raw.statekeep,
  };
}

/** A stored target, null for none, or undefined when it is malformed. */
function readTarget(value: unknown): AliasTarget | null | undefined {
  if (value === null) return null;
  if (!isRecord(value) || !isReleaseVersion(value.release)) return undefined;
  const g = value.generation;
  if (!isCount(g) || g < 1 || g > MAX_GENERATION) return undefined;
  return { release: value.release, generation: g as GenerationNumber };
}
