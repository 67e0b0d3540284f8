import type { Env } from '../platform/interpolate.js';
import { colourEnabled, paint } from './colour.js';

/** The part of a stream the CLI writes to; process.stdout and test buffers both fit. */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface Column<R> {
  header: string;
  value: (row: R) => string;
  align?: 'left' | 'right';
}

/** Colour only for a person at a terminal (see colour.ts): FORCE_COLOR, NO_COLOR, TERM=dumb and --json decide too. */
export function colorEnabled(stream: TextStream, env: Env, json = false): boolean {
  return colourEnabled(stream, env, json);
}

/** Writes results for people (aligned tables) or for programs (JSON), to one stream. */
export class Output {
  readonly #stream: TextStream;
  readonly #color: boolean;

  constructor(stream: TextStream, color: boolean) {
    this.#stream = stream;
    this.#color = color;
  }

  line(text = ''): void {
    this.#stream.write(`${text}\n`);
  }

  json(value: unknown): void {
    this.#stream.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** Columns padded to their widest cell, two spaces apart; a header row in capitals. */
  table<R>(columns: readonly Column<R>[], rows: readonly R[]): void {
    const cells = rows.map((row) => columns.map((column) => column.value(row)));
    const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((row) => row[i]!.length)));
    const render = (row: readonly string[]): string =>
      row
        .map((cell, i) => (columns[i]!.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd();
    this.line(this.bold(render(columns.map((c) => c.header.toUpperCase()))));
    for (const row of cells) this.line(render(row));
  }

  /** Label/value pairs, labels padded to one width. */
  fields(pairs: readonly (readonly [string, string])[]): void {
    const width = Math.max(...pairs.map(([label]) => label.length));
    for (const [label, value] of pairs) this.line(`${this.dim(label.padEnd(width))}  ${value}`.trimEnd());
  }

  bold(text: string): string {
    return paint('bold', text, this.#color);
  }

  dim(text: string): string {
    return paint('dim', text, this.#color);
  }

  red(text: string): string {
    return paint('red', text, this.#color);
  }

  yellow(text: string): string {
    return paint('yellow', text, this.#color);
  }
}

/** 0 B, 512 B, 1.5 KiB, 20.0 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** An ISO-8601 UTC time to the second, for tables. */
export function formatTime(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}

/** A digest short enough for a table column: sha256: and 12 hex digits. */
export function shortDigest(digest: string): string {
  return digest.slice(0, 'sha256:'.length + 12);
}

/** Metrics for a line or a cell: "accuracy 0.9533, accuracy_before 0.94"; run time left out. */
export function formatMetrics(metrics: Readonly<Record<string, number>>): string {
  const shown = Object.entries(metrics)
    .filter(([key]) => key !== 'seconds')
    .map(([key, value]) => `${key} ${Number.isInteger(value) ? value : Number(value.toPrecision(4))}`);
  return shown.length === 0 ? '-' : shown.join(', ');
}
