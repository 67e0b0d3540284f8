import { instantOf } from './ordinal.js';

/** What a column holds. Every type also has missing cells. */
export type ColumnType = 'number' | 'text' | 'boolean' | 'timestamp';
export const COLUMN_TYPES: readonly ColumnType[] = ['number', 'text', 'boolean', 'timestamp'];

/** A cell as actors and tables show it: a timestamp keeps the text the data spelt it with. */
export type Cell = number | string | boolean | null;

const MISSING_CODE = -1;
const MISSING_FLAG = 2;

/**
 * One typed column, stored compactly: numbers in a Float64Array (NaN where missing, which no data
 * cell can be: NaN is not a number a file may hold), text and timestamps dictionary-encoded (an
 * Int32Array of codes, -1 where missing; timestamps also keep each distinct value's instant),
 * booleans one byte each.
 */
export class Column {
  readonly name: string;
  readonly type: ColumnType;
  readonly length: number;
  /** number: the values, NaN where missing. */
  readonly numbers: Float64Array | null;
  /** text and timestamp: a code per row into `dictionary`, -1 where missing. */
  readonly codes: Int32Array | null;
  readonly dictionary: readonly string[];
  /** timestamp: the instant (ms since the epoch, UTC) of each dictionary entry. */
  readonly instants: Float64Array | null;
  /** boolean: 0 false, 1 true, 2 missing. */
  readonly flags: Uint8Array | null;

  constructor(parts: {
    name: string;
    type: ColumnType;
    length: number;
    numbers?: Float64Array | null;
    codes?: Int32Array | null;
    dictionary?: readonly string[];
    instants?: Float64Array | null;
    flags?: Uint8Array | null;
  }) {
    this.name = parts.name;
    this.type = parts.type;
    this.length = parts.length;
    this.numbers = parts.numbers ?? null;
    this.codes = parts.codes ?? null;
    this.dictionary = parts.dictionary ?? [];
    this.instants = parts.instants ?? null;
    this.flags = parts.flags ?? null;
  }

  cell(row: number): Cell {
    switch (this.type) {
      case 'number': {
        const value = this.numbers![row]!;
        return Number.isNaN(value) ? null : value;
      }
      case 'boolean': {
        const flag = this.flags![row]!;
        return flag === MISSING_FLAG ? null : flag === 1;
      }
      default: {
        const code = this.codes![row]!;
        return code === MISSING_CODE ? null : this.dictionary[code]!;
      }
    }
  }

  isMissing(row: number): boolean {
    return this.cell(row) === null;
  }

  /** The instant of a timestamp cell in ms, or null where missing. */
  instant(row: number): number | null {
    const code = this.codes?.[row] ?? MISSING_CODE;
    return this.instants === null || code === MISSING_CODE ? null : this.instants[code]!;
  }

  /** The bytes the parsed values take: what a data set costs in memory, whatever its file. */
  get parsedBytes(): number {
    const dictionary = this.dictionary.reduce((sum, text) => sum + text.length, 0);
    if (this.numbers !== null) return this.length * 8;
    if (this.flags !== null) return this.length;
    return this.length * 4 + dictionary + (this.instants === null ? 0 : this.instants.length * 8);
  }

  /** The rows at the given indices, in that order. */
  gather(indices: readonly number[]): Column {
    const n = indices.length;
    const pick = <T extends Float64Array | Int32Array | Uint8Array>(
      from: T | null,
      make: (n: number) => T,
    ): T | null => {
      if (from === null) return null;
      const to = make(n);
      for (let i = 0; i < n; i += 1) to[i] = from[indices[i]!]!;
      return to;
    };
    return new Column({
      name: this.name,
      type: this.type,
      length: n,
      numbers: pick(this.numbers, (k) => new Float64Array(k)),
      codes: pick(this.codes, (k) => new Int32Array(k)),
      dictionary: this.dictionary,
      instants: this.instants,
      flags: pick(this.flags, (k) => new Uint8Array(k)),
    });
  }
}

/** Thrown when a column guessed as numbers or booleans turns out to be text, and the spelling of its earlier cells is gone. */
export class RetypeAsText extends Error {
  constructor(readonly column: string) {
    super(`column ${column} must be read again as text`);
  }
}

/** Why a cell cannot be stored in its column; the reader adds the place. */
export class CellProblem extends Error {}

const BOOLEAN = /^(?:true|false)$/i;
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** A decimal number as a data file spells it; "NaN", "Infinity", hex and empty text are not. */
export function parseNumber(text: string): number | null {
  return parseTrimmed(text.trim());
}

function parseTrimmed(trimmed: string): number | null {
  if (!NUMBER.test(trimmed)) return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

const NO_NUMBERS = new Float64Array(0);
const NO_CODES = new Int32Array(0);
const NO_FLAGS = new Uint8Array(0);

/** Grows typed storage by half again, so a column of n rows holds at most ~1.5 n slots while it is read. */
function grown<T extends Float64Array | Int32Array | Uint8Array>(array: T, need: number, make: (n: number) => T): T {
  if (need <= array.length) return array;
  const next = make(Math.max(need, Math.ceil(array.length * 1.5), 16));
  next.set(array);
  return next;
}

/**
 * Builds one column row by row. Without a declared type the column starts as whatever its
 * first filled cell is (number, boolean, timestamp or text) and becomes text when a later cell
 * does not fit; a declared type is enforced instead (a cell that does not fit is a CellProblem).
 * Text cells from a file (`pushText`) keep their spelling: a column guessed as numbers whose
 * cells were not all spelt as JavaScript prints them throws RetypeAsText, and the reader reads
 * the file again with that column as text.
 */
export class ColumnBuilder {
  readonly name: string;
  readonly declared: ColumnType | undefined;
  #type: ColumnType | null;
  #length = 0;
  // Empty until the column's type is known (shared, never written: grown() replaces them).
  #numbers = NO_NUMBERS;
  #codes = NO_CODES;
  #flags = NO_FLAGS;
  #dictionary: string[] = [];
  #index: Map<string, number> | null = null;
  #instants: number[] = [];
  /** Every number and boolean so far was spelt as String() prints it, so it can turn into text exactly. */
  #canonical = true;

  constructor(name: string, declared?: ColumnType) {
    this.name = name;
    this.declared = declared;
    this.#type = declared ?? null;
  }

  get length(): number {
    return this.#length;
  }

  /** A missing cell. */
  pushMissing(): void {
    const row = this.#length;
    this.#length += 1;
    switch (this.#type) {
      case null:
        return;
      case 'number':
        this.#numbers = grown(this.#numbers, row + 1, (n) => new Float64Array(n));
        this.#numbers[row] = Number.NaN;
        return;
      case 'boolean':
        this.#flags = grown(this.#flags, row + 1, (n) => new Uint8Array(n));
        this.#flags[row] = MISSING_FLAG;
        return;
      default:
        this.#codes = grown(this.#codes, row + 1, (n) => new Int32Array(n));
        this.#codes[row] = MISSING_CODE;
    }
  }

  /** A cell of a text file (CSV): empty or blank is missing. */
  pushText(text: string): void {
    const trimmed = text.trim();
    if (trimmed === '') return this.pushMissing();
    const type = this.#type ?? this.#guess(text);
    switch (type) {
      case 'number': {
        const value = parseTrimmed(trimmed);
        if (value !== null) {
          if (this.#canonical && String(value) !== text) this.#canonical = false;
          return this.#pushNumber(value);
        }
        if (this.declared === 'number') throw new CellProblem(`${JSON.stringify(text)} is not a number`);
        if (!this.#canonical) throw new RetypeAsText(this.name);
        break;
      }
      case 'boolean': {
        if (BOOLEAN.test(trimmed)) {
          if (this.#canonical && text !== 'true' && text !== 'false') this.#canonical = false;
          return this.#pushFlag(trimmed.length === 4);
        }
        if (this.declared === 'boolean') throw new CellProblem(`${JSON.stringify(text)} is neither true nor false`);
        if (!this.#canonical) throw new RetypeAsText(this.name);
        break;
      }
      case 'timestamp': {
        const code = this.#code(text);
        if (this.#instants.length > code || this.#addInstant(text)) return this.#pushCode(code);
        if (this.declared === 'timestamp')
          throw new CellProblem(`${JSON.stringify(text)} is not an ISO-8601 date or time`);
        break;
      }
      case 'text':
        return this.#pushCode(this.#code(text));
    }
    this.#toText();
    this.#pushCode(this.#code(text));
  }

  /** A value from JSON or from memory: a finite number, a string, a boolean, or null. */
  pushValue(value: number | string | boolean | null): void {
    if (value === null) return this.pushMissing();
    const kind: ColumnType = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'text';
    const type = this.#type ?? (kind === 'text' && instantOf(value as string) !== null ? 'timestamp' : kind);
    if (this.#type === null) this.#start(type);
    if (type === 'number' && kind === 'number') return this.#pushNumber(value as number);
    if (type === 'boolean' && kind === 'boolean') return this.#pushFlag(value as boolean);
    if (type === 'timestamp' && kind === 'text') {
      const code = this.#code(value as string);
      if (this.#instants.length > code || this.#addInstant(value as string)) return this.#pushCode(code);
    }
    if (type === 'text') return this.#pushCode(this.#code(String(value)));
    if (this.declared !== undefined && this.declared !== 'text') {
      throw new CellProblem(
        `${JSON.stringify(value)} is not ${this.declared === 'number' ? 'a number' : this.declared === 'boolean' ? 'true or false' : 'an ISO-8601 date or time'}`,
      );
    }
    // JSON values have no spelling to lose: a number or a boolean becomes its text exactly.
    this.#canonical = true;
    this.#toText();
    this.#pushCode(this.#code(String(value)));
  }

  finish(): Column {
    const n = this.#length;
    // A column with no filled cell at all is text: nothing in it says otherwise.
    if (this.#type === null) this.#start('text');
    const trim = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T =>
      (a.length > n + (n >> 2) ? a.slice(0, n) : a.subarray(0, n)) as T;
    const type = this.#type!;
    return new Column({
      name: this.name,
      type,
      length: n,
      numbers: type === 'number' ? trim(this.#numbers) : null,
      codes: type === 'text' || type === 'timestamp' ? trim(this.#codes) : null,
      dictionary: this.#dictionary,
      instants: type === 'timestamp' ? Float64Array.from(this.#instants) : null,
      flags: type === 'boolean' ? trim(this.#flags) : null,
    });
  }

  #guess(text: string): ColumnType {
    const type: ColumnType =
      parseNumber(text) !== null
        ? 'number'
        : BOOLEAN.test(text.trim())
          ? 'boolean'
          : instantOf(text) !== null
            ? 'timestamp'
            : 'text';
    this.#start(type);
    return type;
  }

  // The rows before the first filled cell were all missing.
  #start(type: ColumnType): void {
    const missing = this.#length;
    this.#type = type;
    this.#length = 0;
    for (let i = 0; i < missing; i += 1) this.pushMissing();
  }

  #pushNumber(value: number): void {
    const row = this.#length;
    this.#numbers = grown(this.#numbers, row + 1, (n) => new Float64Array(n));
    this.#numbers[row] = value;
    this.#length += 1;
  }

  #pushFlag(value: boolean): void {
    const row = this.#length;
    this.#flags = grown(this.#flags, row + 1, (n) => new Uint8Array(n));
    this.#flags[row] = value ? 1 : 0;
    this.#length += 1;
  }

  #pushCode(code: number): void {
    const row = this.#length;
    this.#codes = grown(this.#codes, row + 1, (n) => new Int32Array(n));
    this.#codes[row] = code;
    this.#length += 1;
  }

  #code(text: string): number {
    this.#index ??= new Map();
    let code = this.#index.get(text);
    if (code === undefined) {
      code = this.#dictionary.length;
      // A longer field is a slice of the whole piece of the file it was read from, and keeping
      // the slice would keep that piece: the dictionary holds a copy of its own.
      const own = text.length > 12 ? Buffer.from(text, 'utf8').toString('utf8') : text;
      this.#dictionary.push(own);
      this.#index.set(own, code);
    }
    return code;
  }

  // Only called for the newest dictionary entry, so instants stay aligned with the dictionary.
  #addInstant(text: string): boolean {
    const at = instantOf(text);
    if (at === null) {
      this.#dictionary.pop();
      this.#index?.delete(text);
      return false;
    }
    this.#instants.push(at);
    return true;
  }

  // The column so far becomes text: numbers and booleans as String() prints them, timestamps as spelt.
  #toText(): void {
    if (!this.#canonical) throw new RetypeAsText(this.name);
    const n = this.#length;
    const from = this.#type;
    this.#instants = [];
    if (from === 'timestamp' || from === 'text') {
      this.#type = 'text';
      return;
    }
    const codes = new Int32Array(Math.max(n, 16));
    for (let i = 0; i < n; i += 1) {
      if (from === 'number') {
        const v = this.#numbers[i]!;
        codes[i] = Number.isNaN(v) ? MISSING_CODE : this.#code(String(v));
      } else {
        const f = this.#flags[i]!;
        codes[i] = f === MISSING_FLAG ? MISSING_CODE : this.#code(f === 1 ? 'true' : 'false');
      }
    }
    this.#codes = codes;
    this.#numbers = NO_NUMBERS;
    this.#flags = NO_FLAGS;
    this.#type = 'text';
  }
}
