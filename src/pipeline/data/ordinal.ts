import { BadDataError } from '../../registry/errors/index.js';
import type { Ordinal } from '../../registry/manifest.js';
import type { Cell } from './table.js';

/** An ordinal as stored (the value as the data gave it) and as compared (a number or an instant in ms). */
export interface OrdinalPoint {
  readonly value: number | string;
  readonly kind: 'number' | 'timestamp';
  readonly at: number;
}

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2})(:\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * The instant of an ISO-8601 date or date-time, in ms. A time without an offset is taken as
 * UTC, so that the same data orders the same way on every machine.
 */
export function instantOf(text: string): number | null {
  const m = ISO.exec(text.trim());
  if (m === null) return null;
  const [, date, hm = '00:00', seconds = ':00', zone = 'Z'] = m;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const at = Date.parse(`${date}T${hm}${seconds}${offset}`);
  // Date.parse rolls some impossible dates over (Feb 30 → Mar 2); the round trip catches that.
  if (Number.isNaN(at) || new Date(Date.parse(`${date}T00:00:00Z`)).toISOString().slice(0, 10) !== date) return null;
  return at;
}

export interface OrdinalPlace {
  file: string;
  line?: number | undefined;
  column: string;
}

/** Reads one ordinal cell: a finite number, or an ISO-8601 timestamp. */
export function ordinalPoint(value: Cell | Ordinal, place: OrdinalPlace): OrdinalPoint {
  if (typeof value === 'number' && Number.isFinite(value)) return { value, kind: 'number', at: value };
  if (typeof value === 'string') {
    const at = instantOf(value);
    if (at !== null) return { value, kind: 'timestamp', at };
  }
  const problem =
    value === null
      ? `the ordinal column ${JSON.stringify(place.column)} is empty`
      : `${JSON.stringify(value)} in the ordinal column ${JSON.stringify(place.column)} is neither a number nor an ISO-8601 timestamp`;
  throw new BadDataError(
    { ...place, problem },
    'fill the ordinal column of every row with a number or a timestamp such as 2024-05-01T12:00:00Z',
  );
}

/** Every row's ordinal; a column must hold one kind only, or the order would be meaningless. */
export function ordinalColumn(
  cells: readonly Cell[],
  file: string,
  column: string,
  lines?: readonly number[],
): OrdinalPoint[] {
  const points = cells.map((cell, i) => ordinalPoint(cell, { file, line: lines?.[i], column }));
  const first = points[0];
  const other = points.findIndex((p) => p.kind !== first?.kind);
  if (first !== undefined && other >= 0) {
    throw new BadDataError(
      {
        file,
        line: lines?.[other],
        column,
        problem: `the ordinal column ${JSON.stringify(column)} mixes numbers and timestamps`,
      },
      'use numbers or timestamps in the ordinal column, not both',
    );
  }
  return points;
}

/** The smallest and largest ordinal, as the data spelt them. */
export function ordinalBounds(points: readonly OrdinalPoint[]): { lower: Ordinal; upper: Ordinal } {
  if (points.length === 0) return { lower: null, upper: null };
  let low = points[0]!;
  let high = points[0]!;
  for (const p of points) {
    if (p.at < low.at) low = p;
    if (p.at > high.at) high = p;
  }
  return { lower: low.value, upper: high.value };
}
