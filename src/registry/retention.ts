import { ConfigError } from './errors/index.js';
import { isRecord } from './stored-json.js';
import type { GenerationNumber } from './versions.js';

/**
 * How long gc leaves a blob alone after its last write, by default. Generous on purpose: it is
 * the bound within which a commit must publish the manifest that names a blob it wrote (see
 * gc.ts), so it must outlast any commit's storing-to-publishing time with room to spare.
 */
export const DEFAULT_GC_GRACE_MS = 60 * 60 * 1000;

/** A retention policy: what gc keeps of each release of a project. */
export interface RetentionPolicy {
  /** Keep the newest N generations of each release (null: this rule keeps nothing). */
  keepLast: number | null;
  /** Keep generations committed within this many ms (null: this rule keeps nothing). */
  keepWithinMs: number | null;
  /** gc leaves blobs written within this many ms alone (see DEFAULT_GC_GRACE_MS). */
  graceMs: number;
  /** The rule as platform.yaml spells it, recorded in tombstones: "keepLast: 10, keepWithin: 30d". */
  rule: string;
  /** Where the policy comes from, for tombstones and messages: "registry default", "project iris". */
  source: string;
}

/** The facts about one generation that retention decides on. */
export interface GenerationFacts {
  generation: GenerationNumber;
  /** UTC ISO-8601 commit time. */
  created: string;
  parent: GenerationNumber | null;
  rollbackOf: GenerationNumber | null;
  /** Already a tombstone. */
  pruned: boolean;
}

export interface RetentionDecision {
  /** Generations kept (never tombstones), ascending. */
  keep: GenerationNumber[];
  /** Generations to prune now, ascending (never ones pruned before). */
  prune: GenerationNumber[];
}

/**
 * What a policy keeps of one release, and what it lets go. Kept: the newest `keepLast`
 * generations that are not pruned yet; those committed within `keepWithinMs` of `now`; every
 * generation an alias points at; the newest generation (so "latest" is always usable); then,
 * for each of those, the generation it warm-started from (its parent) and its rollback source,
 * with rollback sources followed transitively (a rollback of a rollback keeps both sources).
 *
 * Parents are followed one step, not transitively: with warm starts every generation's parent is
 * its predecessor, so a transitive rule would keep every generation of such a release for ever
 * and no policy would prune anything. A tombstone keeps the pruned generation's parent and
 * rollback fields, so the chain stays readable in `list` past the last kept parent.
 *
 * A policy with neither keepLast nor keepWithin keeps everything (no policy, nothing pruned).
 */
export function decideRetention(
  facts: readonly GenerationFacts[],
  aliased: ReadonlySet<number>,
  policy: Pick<RetentionPolicy, 'keepLast' | 'keepWithinMs'> | null,
  now: Date,
): RetentionDecision {
  const live = facts.filter((f) => !f.pruned).sort((a, b) => a.generation - b.generation);
  const byNumber = new Map(live.map((f) => [f.generation as number, f]));
  if (policy === null || (policy.keepLast === null && policy.keepWithinMs === null)) {
    return { keep: live.map((f) => f.generation), prune: [] };
  }
  const kept = new Set<number>();
  const newest = facts.reduce((max, f) => Math.max(max, f.generation), 0);
  const ruled = new Set<number>();
  if (policy.keepLast !== null) for (const f of live.slice(-policy.keepLast)) ruled.add(f.generation);
  if (policy.keepWithinMs !== null) {
    const since = now.getTime() - policy.keepWithinMs;
    for (const f of live) if (Date.parse(f.created) > since) ruled.add(f.generation);
  }
  for (const n of aliased) if (byNumber.has(n)) ruled.add(n);
  if (byNumber.has(newest)) ruled.add(newest);
  const sources: number[] = [];
  for (const n of ruled) {
    kept.add(n);
    const f = byNumber.get(n)!;
    if (f.parent !== null && byNumber.has(f.parent)) kept.add(f.parent);
    if (f.rollbackOf !== null) sources.push(f.rollbackOf);
    // A kept parent that is a rollback reinstates its source's states: the source stays too.
    const parent = f.parent === null ? undefined : byNumber.get(f.parent);
    if (parent?.rollbackOf != null) sources.push(parent.rollbackOf);
  }
  while (sources.length > 0) {
    const n = sources.pop()!;
    const f = byNumber.get(n);
    if (f === undefined || kept.has(n)) continue;
    kept.add(n);
    if (f.rollbackOf !== null) sources.push(f.rollbackOf);
  }
  return {
    keep: live.filter((f) => kept.has(f.generation)).map((f) => f.generation),
    prune: live.filter((f) => !kept.has(f.generation)).map((f) => f.generation),
  };
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^([0-9]+)(ms|s|m|h|d|w)$/;

/** Milliseconds of a duration such as 30d, 12h, 90m, 10s, 500ms; null when it is not one. */
export function parseDuration(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  const match = DURATION.exec(text.trim());
  if (match === null) return null;
  const ms = Number(match[1]) * UNITS[match[2]!]!;
  return Number.isSafeInteger(ms) ? ms : null;
}

/** A duration the way a person writes it: 30d, 12h, 90m, 10s, 500ms. */
export function formatDuration(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    const size = UNITS[unit]!;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}

const RETENTION_KEYS = ['keepLast', 'keepWithin', 'grace', 'gcGraceMs'];

/**
 * A `retention:` block of platform.yaml, checked: `{ keepLast: N, keepWithin: 30d, grace: 10m }`
 * (or `gcGraceMs: 600000`). A bad value is a ConfigError naming the key and the fix. `key` is the
 * block's place, for messages ("registries.main.retention", "projects.iris.retention").
 */
export function retentionPolicy(raw: unknown, key: string, source: string, file?: string): RetentionPolicy {
  const refuse = (sub: string, problem: string, hint: string): ConfigError =>
    new ConfigError({ ...(file === undefined ? {} : { file }), key: `${key}${sub}`, problem }, hint);
  if (!isRecord(raw))
    throw refuse('', 'is not a mapping', 'write it as { keepLast: 10, keepWithin: 30d }, or leave it out');
  for (const name of Object.keys(raw)) {
    if (!RETENTION_KEYS.includes(name))
      throw refuse(`.${name}`, 'is not a retention setting', `use ${RETENTION_KEYS.join(', ')}`);
  }
  let keepLast: number | null = null;
  if (raw.keepLast !== undefined && raw.keepLast !== null) {
    if (typeof raw.keepLast !== 'number' || !Number.isSafeInteger(raw.keepLast) || raw.keepLast < 1)
      throw refuse(
        '.keepLast',
        `is ${JSON.stringify(raw.keepLast)}, not a whole number of at least 1`,
        'write e.g. keepLast: 10',
      );
    keepLast = raw.keepLast;
  }
  const duration = (name: string, value: unknown): number => {
    const ms = parseDuration(value);
    if (ms === null)
      throw refuse(
        `.${name}`,
        `is ${JSON.stringify(value)}, not a duration`,
        `write a whole number and a unit (ms, s, m, h, d, w), e.g. ${name}: 30d`,
      );
    return ms;
  };
  const keepWithinMs =
    raw.keepWithin === undefined || raw.keepWithin === null ? null : duration('keepWithin', raw.keepWithin);
  if (raw.grace !== undefined && raw.gcGraceMs !== undefined)
    throw refuse(
      '.gcGraceMs',
      'is given together with grace',
      'give the grace period once, as grace: 1h or gcGraceMs: 3600000',
    );
  let graceMs = DEFAULT_GC_GRACE_MS;
  if (raw.grace !== undefined) graceMs = duration('grace', raw.grace);
  if (raw.gcGraceMs !== undefined) {
    if (typeof raw.gcGraceMs !== 'number' || !Number.isSafeInteger(raw.gcGraceMs) || raw.gcGraceMs < 0)
      throw refuse(
        '.gcGraceMs',
        `is ${JSON.stringify(raw.gcGraceMs)}, not a whole number of milliseconds`,
        'write e.g. gcGraceMs: 3600000, or grace: 1h',
      );
    graceMs = raw.gcGraceMs;
  }
  const rule = [
    keepLast === null ? null : `keepLast: ${keepLast}`,
    keepWithinMs === null ? null : `keepWithin: ${formatDuration(keepWithinMs)}`,
  ]
    .filter((part) => part !== null)
    .join(', ');
  return { keepLast, keepWithinMs, graceMs, rule: rule || 'keep everything', source };
}
