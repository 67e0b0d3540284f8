import { CborReader } from './cbor-reader.js';
import {
  MAX_DEPTH,
  TAG_EPOCH_TIME,
  TAG_MAP,
  TAG_NEGATIVE_BIGNUM,
  TAG_POSITIVE_BIGNUM,
  TAG_SET,
} from './state-encoder.js';
import { isTypedArrayTag, typedArrayOf } from './typed-arrays.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * Decodes the one CBOR item that must fill bytes[start, end) into plain data. Only the types and
 * tags statekeep writes are accepted; anything else throws Malformed. Nothing in the data can
 * choose a class, a prototype or code to run.
 */
export function decodeItem(bytes: Uint8Array, start = 0, end = bytes.byteLength): unknown {
  const decoder = new StateDecoder(bytes, start, end);
  const value = decoder.value(0);
  if (!decoder.atEnd()) decoder.fail('bytes after the end of the item');
  return value;
}

type Key = string | number;

class StateDecoder extends CborReader {
  value(depth: number): unknown {
    const initial = this.initial();
    const info = initial & 0x1f;
    switch (initial >> 5) {
      case 0:
        return info === 27 ? integer(this.uint64()) : this.argument(info);
      case 1:
        return info === 27 ? integer(-1n - this.uint64()) : -1 - this.argument(info);
      case 2:
        return this.take(this.argument(info));
      case 3:
        return this.text(this.argument(info));
      case 4:
        return this.array(this.argument(info), depth);
      case 5:
        return this.record(this.argument(info), depth);
      case 6:
        return this.tagged(this.offset - 1, this.argument(info), depth);
      default:
        return this.simple(info);
    }
  }

  private enter(depth: number): void {
    if (depth >= MAX_DEPTH) this.fail(`nesting deeper than ${MAX_DEPTH} levels`);
  }

  private array(length: number, depth: number): unknown[] {
    this.enter(depth);
    this.need(length);
    // Pushed, not preallocated: a forged length can never make us allocate ahead of the data.
    const array: unknown[] = [];
    for (let i = 0; i < length; i++) array.push(this.value(depth + 1));
    return array;
  }

  private record(count: number, depth: number): Record<string, unknown> {
    this.enter(depth);
    this.need(count * 2);
    const record: Record<string, unknown> = {};
    for (let i = 0; i < count; i++) {
      const at = this.offset;
      const initial = this.initial();
      if (initial >> 5 !== 3) this.fail('an object key that is not a text string', at);
      const key = this.text(this.argument(initial & 0x1f));
      if (Object.hasOwn(record, key)) this.fail(`a duplicate key ${JSON.stringify(key)}`, at);
      const value = this.value(depth + 1);
      // Assigning "__proto__" would set the prototype; defining it keeps it an ordinary own property.
      if (key === '__proto__')
        Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
      else record[key] = value;
    }
    return record;
  }

  private tagged(at: number, tag: number, depth: number): unknown {
    if (isTypedArrayTag(tag)) {
      const array = typedArrayOf(tag, this.byteString(tag));
      return array ?? this.fail(`typed array tag ${tag} over a byte count that is not a whole number of elements`, at);
    }
    switch (tag) {
      case TAG_EPOCH_TIME:
        this.enter(depth);
        return this.date(depth);
      case TAG_POSITIVE_BIGNUM:
      case TAG_NEGATIVE_BIGNUM: {
        const bytes = this.byteString(tag);
        const magnitude = bytes.length === 0 ? 0n : BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
        return tag === TAG_POSITIVE_BIGNUM ? magnitude : -1n - magnitude;
      }
      case TAG_SET:
        this.enter(depth);
        return this.set(depth);
      case TAG_MAP:
        this.enter(depth);
        return this.map(depth);
      default:
        return this.fail(`CBOR tag ${tag}, which statekeep never writes`, at);
    }
  }

  /** A byte string, or the chunked (indefinite-length) form statekeep writes to align a typed array. */
  private byteString(tag: number): Uint8Array {
    const at = this.offset;
    const initial = this.initial();
    if (initial === 0x5f) return this.chunks();
    if (initial >> 5 !== 2) this.fail(`tag ${tag} over something other than a byte string`, at);
    return this.take(this.argument(initial & 0x1f));
  }

  private chunks(): Uint8Array {
    const chunks: Uint8Array[] = [];
    for (let initial = this.initial(); initial !== 0xff; initial = this.initial()) {
      if (initial >> 5 !== 2) this.fail('a chunk of a byte string that is not a byte string', this.offset - 1);
      const chunk = this.take(this.argument(initial & 0x1f));
      if (chunk.byteLength > 0) chunks.push(chunk);
    }
    return chunks.length === 1 ? chunks[0]! : new Uint8Array(Buffer.concat(chunks));
  }

  private date(depth: number): Date {
    const at = this.offset;
    const seconds = this.value(depth + 1);
    const date = new Date(typeof seconds === 'number' ? Math.round(seconds * 1000) : NaN);
    if (Number.isNaN(date.getTime())) this.fail('tag 1 (a date) over something other than epoch seconds in range', at);
    return date;
  }

  private set(depth: number): Set<Key> {
    const count = this.header(4, TAG_SET);
    const set = new Set<Key>();
    for (let i = 0; i < count; i++) {
      const at = this.offset;
      const member = this.key(depth, 'Set member');
      if (set.has(member)) this.fail('a duplicate Set member', at);
      set.add(member);
    }
    return set;
  }

  private map(depth: number): Map<Key, unknown> {
    const count = this.header(5, TAG_MAP);
    const map = new Map<Key, unknown>();
    for (let i = 0; i < count; i++) {
      const at = this.offset;
      const key = this.key(depth, 'Map key');
      if (map.has(key)) this.fail('a duplicate Map key', at);
      map.set(key, this.value(depth + 1));
    }
    return map;
  }

  /** The count of the array or map a Set or Map tag must be followed by. */
  private header(major: number, tag: number): number {
    const at = this.offset;
    const initial = this.initial();
    if (initial >> 5 !== major)
      this.fail(`tag ${tag} over something other than ${major === 4 ? 'an array' : 'a map'}`, at);
    return this.argument(initial & 0x1f);
  }

  private key(depth: number, what: string): Key {
    const at = this.offset;
    const key = this.value(depth + 1);
    if (typeof key !== 'string' && typeof key !== 'number') this.fail(`a ${what} that is not a string or a number`, at);
    return key;
  }

  private simple(info: number): unknown {
    switch (info) {
      case 20:
        return false;
      case 21:
        return true;
      case 22:
        return null;
      case 23:
        return undefined;
      case 25:
      case 26:
      case 27:
        return this.float(info);
      case 31:
        return this.fail('a break outside an indefinite-length item', this.offset - 1);
      default:
        return this.fail(`simple value ${info}, which statekeep never writes`, this.offset - 1);
    }
  }
}

/** A 64-bit CBOR integer: a number while it is a safe integer, a bigint beyond. */
function integer(value: bigint): number | bigint {
  return value >= -MAX_SAFE && value <= MAX_SAFE ? Number(value) : value;
}
