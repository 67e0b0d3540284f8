import { isStatekeepError } from '../registry/errors/statekeep-error.js';
import type { ErrorView, ReadStatus, TombstoneView } from './api-types.js';

/** A read that either gave its value or failed in a way the page shows (damaged, pruned). */
export type Outcome<T> = { status: 'ok'; value: T } | { status: 'damaged' | 'pruned'; error: ErrorView; data: unknown };

export function errorView(error: unknown): ErrorView {
  if (isStatekeepError(error)) return { code: error.code, message: error.message, hint: error.hint };
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error), hint: '' };
}

/**
 * How a failed read shows: damage (the Registry refused what it read: INTEGRITY, or a format it
 * cannot read) renders as damaged; a generation that reads as a tombstone (an error whose data
 * says `pruned: true`, or carries the tombstone) as pruned. Anything else (unreachable, not found, a bad name)
 * is not about what is stored, and is the request's failure: null.
 */
export function failedStatus(error: unknown): Exclude<ReadStatus, 'ok'> | null {
  if (!isStatekeepError(error)) return null;
  const data = error.data as Record<string, unknown>;
  // The lifecycle work (branch wip/gc) reads a tombstone as NOT_FOUND with data.pruned: true.
  if (data.pruned === true || data.kind === 'tombstone' || isObject(data.tombstone)) return 'pruned';
  if (error.code === 'INTEGRITY' || error.code === 'INCOMPATIBLE_FORMAT') return 'damaged';
  return null;
}

/** Runs a read; damage and pruning become an Outcome, every other failure is thrown on. */
export async function outcome<T>(read: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { status: 'ok', value: await read() };
  } catch (error) {
    const status = failedStatus(error);
    if (status === null) throw error;
    return { status, error: errorView(error), data: (error as { data?: unknown }).data };
  }
}

/** The lineage and reason a tombstone keeps, from a pruned read's error data. */
export function tombstoneView(data: unknown): TombstoneView {
  const d = isObject(data) ? data : {};
  const t = isObject(d.tombstone) ? d.tombstone : d;
  // The policy as the tombstone stores it ({rule, description}) or as an error spells it (the rule).
  const rule = isObject(t.policy) ? text(t.policy.rule) : text(t.policy);
  return {
    prunedAt: text(t.prunedAt),
    rule,
    mode: text(t.mode),
    created: text(t.created),
    parent: whole(t.parent),
    rollbackOf: whole(t.rollbackOf),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function whole(value: unknown): number | null {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : null;
}
