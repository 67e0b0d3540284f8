import { UsageError } from '../registry/errors/index.js';
import { safeName } from '../registry/names.js';
import { COLUMN_TYPES, type ColumnType } from './data/column.js';
import type { ProjectDefinition, TuningDefinition } from './project.js';

const HINT = 'default-export an object with pipeline(), label and metric: see "Projects" in the README';

/**
 * Checks a project module's default export before anything runs, since it comes from a
 * bundle the type checker never saw together with statekeep.
 */
export function checkDefinition(value: unknown): ProjectDefinition<unknown> {
  if (typeof value !== 'object' || value === null)
    throw bad(`the project module's default export is ${value === null ? 'null' : typeof value}, not an object`);
  const d = value as Record<string, unknown>;
  if (typeof d.pipeline !== 'function') throw bad('the project definition has no pipeline() function');
  if (typeof d.label !== 'string' || d.label === '') throw bad('the project definition has no label column');
  if (
    d.features !== undefined &&
    !(Array.isArray(d.features) && d.features.length > 0 && d.features.every((f) => typeof f === 'string' && f !== ''))
  ) {
    throw bad('features must be a non-empty list of column names');
  }
  if (d.ordinal !== undefined && (typeof d.ordinal !== 'string' || d.ordinal === ''))
    throw bad('ordinal must be a column name');
  const columns = [
    d.label,
    ...((d.features as string[] | undefined) ?? []),
    ...(d.ordinal === undefined ? [] : [d.ordinal]),
  ];
  const repeated = columns.find((c, i) => columns.indexOf(c) !== i);
  if (repeated !== undefined) throw bad(`column ${JSON.stringify(repeated)} plays two roles (label, feature, ordinal)`);
  if (d.types !== undefined) checkTypes(d.types);
  if (d.output !== undefined && (typeof d.output !== 'string' || d.output === ''))
    throw bad('output must be a column name');
  checkMetric(d.metric);
  if (d.tuning !== undefined) checkTuning(d.tuning);
  return value as ProjectDefinition<unknown>;
}

function checkTypes(types: unknown): void {
  if (typeof types !== 'object' || types === null || Array.isArray(types))
    throw bad('types must map column names to number, text, boolean or timestamp');
  for (const [column, type] of Object.entries(types)) {
    if (!COLUMN_TYPES.includes(type as ColumnType))
      throw new UsageError(
        `column ${JSON.stringify(column)} is declared as ${JSON.stringify(type)}, which is no column type`,
        `declare it as one of ${COLUMN_TYPES.join(', ')}`,
      );
  }
}

function checkMetric(metric: unknown): void {
  const m = metric as Record<string, unknown> | undefined;
  if (typeof m !== 'object' || m === null || typeof m.score !== 'function')
    throw bad('the project definition has no metric with a score() function');
  safeName('metric', m.name);
  if (m.direction !== 'max' && m.direction !== 'min')
    throw bad(`metric direction is ${JSON.stringify(m.direction)}; use "max" or "min"`);
}

/** Checks the shape of the tuning definition; the values of the space are checked when a search is planned. */
export function checkTuning(tuning: unknown): TuningDefinition {
  const t = tuning as Record<string, unknown>;
  if (typeof t !== 'object' || t === null || typeof t.space !== 'object' || t.space === null || Array.isArray(t.space))
    throw bad('tuning needs a space: { "actor.param": [values] | { min, max } }');
  if (Object.keys(t.space).length === 0) throw bad('the tuning space is empty');
  if (t.strategy !== undefined && t.strategy !== 'grid' && t.strategy !== 'random')
    throw bad(`tuning strategy ${JSON.stringify(t.strategy)} is neither "grid" nor "random"`);
  // The definition's own settings: no argument of the caller's is at fault.
  if (t.trials !== undefined) trialsOf(t.trials, null);
  if (t.holdout !== undefined) holdoutOf(t.holdout, null);
  if (t.seed !== undefined) seedOf(t.seed, null);
  return tuning as TuningDefinition;
}

/** `argument`: the caller's argument the value came from, or null for the project definition's own. */
export function trialsOf(value: unknown, argument: string | null = 'trials'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)
    throw new UsageError(`trials is ${String(value)}, not a whole number from 1 up`, 'use a whole number from 1 up', {
      ...(argument !== null && { argument }),
    });
  return value;
}

export function holdoutOf(value: unknown, argument: string | null = 'holdout'): number {
  if (typeof value !== 'number' || !(value > 0 && value < 1))
    throw new UsageError(`holdout is ${String(value)}, not a fraction between 0 and 1`, 'use e.g. holdout: 0.25', {
      ...(argument !== null && { argument }),
    });
  return value;
}

export function seedOf(value: unknown, argument: string | null = 'seed'): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new UsageError(`seed is ${String(value)}, not a whole number`, 'use a whole number, e.g. 1', {
      ...(argument !== null && { argument }),
    });
  return value;
}

function bad(problem: string): UsageError {
  return new UsageError(problem, HINT);
}
