import type { CborWriter } from './cbor-writer.js';
import type { PathStep } from './state-path.js';
import { littleEndianBytes, typedArrayTag, type StateTypedArray } from './typed-arrays.js';

/** Deeper than any real model state; it keeps a runaway structure from overflowing the stack. */
export const MAX_DEPTH = 1000;

// Tags statekeep writes besides the typed arrays (RFC 8949, RFC 8746 and the IANA registry).
export const TAG_EPOCH_TIME = 1;
export const TAG_POSITIVE_BIGNUM = 2;
export const TAG_NEGATIVE_BIGNUM = 3;
export const TAG_SET = 258;
export const TAG_MAP = 259;

/**
 * Why a value cannot be stored. Each container it passes through on the way out adds its own
 * step, so the success path pays nothing for paths it never reports.
 */
export class Refusal extends Error {
  readonly steps: PathStep[] = [];

  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Writes the state as one CBOR item, refusing whatever it could not store faithfully. Typed
 * array bytes are aligned to their element size counted from `origin`: where a reader's buffer
 * starts, so it can view them in place.
 */
export function encodeState(state: unknown, writer: CborWriter, origin: number): void {
  new StateEncoder(writer, origin).value(state, 0);
}

function through(error: unknown, step: PathStep): unknown {
  if (error instanceof Refusal) error.steps.push(step);
  return error;
}

const NOT_UNICODE = 'not valid Unicode (it holds a lone surrogate)';

class StateEncoder {
  // Objects being written right now: meeting one again is a cycle. Objects met again after they
  // are done are shared, not cyclic, and are written again as copies.
  private readonly open = new Set<object>();
  // How many toJSON() results the encoder is inside: there, a class instance without toJSON is
  // the library's own data and is stored as its own enumerable properties, as JSON.stringify does.
  private inJson = 0;

  constructor(
    private readonly writer: CborWriter,
    private readonly origin: number,
  ) {}

  value(value: unknown, depth: number): void {
    switch (typeof value) {
      case 'number':
        return this.number(value);
      case 'string':
        if (!this.writer.text(value)) throw new Refusal(`a string that is ${NOT_UNICODE}`);
        return;
      case 'boolean':
        return this.writer.byte(value ? 0xf5 : 0xf4);
      case 'undefined':
        return this.writer.byte(0xf7);
      case 'bigint':
        return this.writer.bigint(value);
      case 'function':
        throw new Refusal('a function');
      case 'symbol':
        throw new Refusal('a symbol');
      default:
        if (value === null) return this.writer.byte(0xf6);
        return this.object(value as object, depth);
    }
  }

  private number(value: number): void {
    // -0 is an integer to JavaScript but not to CBOR: it goes out as a float to keep its sign.
    if (Number.isSafeInteger(value) && (value !== 0 || 1 / value > 0)) this.writer.integer(value);
    else this.writer.float64(value);
  }

  private object(value: object, depth: number): void {
    if (depth >= MAX_DEPTH) throw new Refusal(`nesting deeper than ${MAX_DEPTH} levels`);
    if (this.open.has(value)) throw new Refusal('a cycle: a reference back to an object that contains it');
    const prototype = Object.getPrototypeOf(value) as object | null;
    const tag = typedArrayTag(prototype);
    if (tag !== undefined) {
      const array = value as StateTypedArray;
      return this.writer.typedArray(tag, littleEndianBytes(array), array.BYTES_PER_ELEMENT, this.origin);
    }
    if (prototype === Date.prototype) return this.date(value as Date);
    this.open.add(value);
    if (prototype === Array.prototype) this.array(value as unknown[], depth + 1);
    else if (prototype === Object.prototype || prototype === null)
      this.record(value as Record<string, unknown>, depth + 1);
    else if (prototype === Map.prototype) this.map(value as Map<unknown, unknown>, depth + 1);
    else if (prototype === Set.prototype) this.set(value as Set<unknown>, depth + 1);
    else this.instance(value, prototype, depth + 1);
    this.open.delete(value);
  }

  /**
   * A class instance: stored as what its toJSON() returns (ml.js models, ml-matrix), or, inside
   * such a result, as its own enumerable properties when it is an ordinary object (ml-cart's
   * TreeNode). Anything else is refused. The instance stays open while its JSON is written, so a
   * toJSON result that leads back to it is a cycle.
   */
  private instance(value: object, prototype: object | null, depth: number): void {
    if (Buffer.isBuffer(value)) throw new Refusal(describe(value, prototype));
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      const json = jsonOf(value, toJSON as (this: object) => unknown, prototype);
      this.inJson++;
      try {
        this.value(json, depth);
      } finally {
        this.inJson--;
      }
      return;
    }
    if (this.inJson > 0 && Object.prototype.toString.call(value) === '[object Object]')
      return this.record(value as Record<string, unknown>, depth, false);
    throw new Refusal(describe(value, prototype));
  }

  private array(array: readonly unknown[], depth: number): void {
    const length = array.length;
    this.writer.head(4, length);
    let i = 0;
    try {
      for (; i < length; i++) {
        const item = array[i];
        if (item === undefined && !(i in array)) throw new Refusal('a hole in a sparse array');
        this.value(item, depth);
      }
    } catch (error) {
      throw through(error, i);
    }
  }

  private record(record: Record<string, unknown>, depth: number, strict = true): void {
    const symbols = strict ? Object.getOwnPropertySymbols(record) : [];
    if (symbols.length > 0) throw new Refusal(`a property keyed by ${String(symbols[0])}`);
    const keys = Object.keys(record);
    this.writer.head(5, keys.length);
    let key = '';
    try {
      for (let i = 0; i < keys.length; i++) {
        key = keys[i]!;
        if (!this.writer.text(key)) throw new Refusal(`a property name that is ${NOT_UNICODE}`);
        this.value(record[key], depth);
      }
    } catch (error) {
      throw through(error, key);
    }
  }

  private map(map: Map<unknown, unknown>, depth: number): void {
    for (const key of map.keys()) checkKey(key, 'Map key');
    this.writer.tag(TAG_MAP);
    this.writer.head(5, map.size);
    let at: PathStep = '';
    try {
      for (const [key, item] of map) {
        at = key as PathStep;
        this.value(key, depth);
        this.value(item, depth);
      }
    } catch (error) {
      throw through(error, at);
    }
  }

  private set(set: Set<unknown>, depth: number): void {
    for (const member of set) checkKey(member, 'Set member');
    this.writer.tag(TAG_SET);
    this.writer.head(4, set.size);
    let i = 0;
    try {
      for (const member of set) {
        this.value(member, depth);
        i++;
      }
    } catch (error) {
      throw through(error, i);
    }
  }

  private date(date: Date): void {
    const ms = date.getTime();
    if (Number.isNaN(ms)) throw new Refusal('an invalid Date');
    this.writer.tag(TAG_EPOCH_TIME);
    if (ms % 1000 === 0) return this.writer.integer(ms / 1000);
    const seconds = ms / 1000;
    if (Math.round(seconds * 1000) !== ms)
      throw new Refusal('a Date too far from 1970 for epoch seconds to keep its milliseconds');
    this.writer.float64(seconds);
  }
}

/** What a class instance's toJSON() returns; it must be data this encoder stores, not another instance. */
function jsonOf(value: object, toJSON: (this: object) => unknown, prototype: object | null): unknown {
  let json: unknown;
  try {
    json = toJSON.call(value);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = message.split('\n', 1)[0]!.slice(0, 200);
    throw new Refusal(`${describe(value, prototype)} whose toJSON() threw: ${line}`);
  }
  if (typeof json === 'object' && json !== null) {
    const returned = Object.getPrototypeOf(json) as object | null;
    if (returned !== null && !STORABLE_PROTOTYPES.has(returned) && typedArrayTag(returned) === undefined) {
      throw new Refusal(
        `${describe(value, prototype)} whose toJSON() returned ${json === value ? 'the instance itself' : describe(json, returned)}, not plain data`,
      );
    }
  }
  return json;
}

const STORABLE_PROTOTYPES = new Set<object>([
  Object.prototype,
  Array.prototype,
  Map.prototype,
  Set.prototype,
  Date.prototype,
]);

// Python (and most languages) need hashable, unambiguous keys: strings and numbers are both.
function checkKey(key: unknown, what: string): void {
  if (typeof key !== 'string' && typeof key !== 'number') {
    const kind =
      key === null || key === undefined ? String(key) : typeof key === 'object' ? 'an object' : `a ${typeof key}`;
    throw new Refusal(`a ${what} that is ${kind}; only strings and numbers can be`);
  }
}

function describe(value: object, prototype: object | null): string {
  if (Buffer.isBuffer(value)) return 'a Node.js Buffer (store new Uint8Array(buffer) instead)';
  const ctor: unknown =
    prototype === null ? undefined : Object.getOwnPropertyDescriptor(prototype, 'constructor')?.value;
  const name = typeof ctor === 'function' ? ctor.name : '';
  if (value instanceof ArrayBuffer || value instanceof DataView) return `a ${name} (store a Uint8Array instead)`;
  return name ? `an instance of ${name}` : 'an object with a custom prototype';
}
