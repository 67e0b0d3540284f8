// Reads the low-level pieces of CBOR (heads, lengths, floats, strings) and fails on anything
// outside the subset statekeep writes, instead of guessing.

// Keeps a leading U+FEFF (a string may start with one) and fails on invalid UTF-8.
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The bytes are not what statekeep writes; the message says what is wrong and where. */
export class Malformed extends Error {}

export class CborReader {
  protected readonly bytes: Uint8Array;
  private readonly view: DataView;
  protected position: number;
  private readonly end: number;

  constructor(bytes: Uint8Array, start = 0, end = bytes.byteLength) {
    // A plain view, even of a Buffer, so subarray() and copies behave the same for every caller.
    this.bytes = new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.position = start;
    this.end = end;
  }

  get offset(): number {
    return this.position;
  }

  fail(problem: string, at = this.position): never {
    throw new Malformed(`${problem} at byte ${at}`);
  }

  atEnd(): boolean {
    return this.position >= this.end;
  }

  initial(): number {
    if (this.position >= this.end) this.fail('the data ends in the middle of an item');
    return this.bytes[this.position++]!;
  }

  peekMajor(): number {
    if (this.position >= this.end) this.fail('the data ends in the middle of an item');
    return this.bytes[this.position]! >> 5;
  }

  /** The argument of a head: a length, count, tag number or integer, up to 2^53 - 1. */
  argument(info: number): number {
    if (info < 24) return info;
    let value: number;
    switch (info) {
      case 24:
        this.need(1);
        return this.bytes[this.position++]!;
      case 25:
        this.need(2);
        value = this.view.getUint16(this.position);
        this.position += 2;
        return value;
      case 26:
        this.need(4);
        value = this.view.getUint32(this.position);
        this.position += 4;
        return value;
      case 27: {
        const big = this.uint64();
        if (big > BigInt(Number.MAX_SAFE_INTEGER))
          this.fail('a length or number larger than 2^53 - 1', this.position - 9);
        return Number(big);
      }
      case 31:
        return this.fail('an indefinite length outside a typed array, which statekeep never writes', this.position - 1);
      default:
        return this.fail(`reserved additional information ${info}`, this.position - 1);
    }
  }

  uint64(): bigint {
    this.need(8);
    const value = (BigInt(this.view.getUint32(this.position)) << 32n) | BigInt(this.view.getUint32(this.position + 4));
    this.position += 8;
    return value;
  }

  /** Fails unless `count` more bytes exist; also bounds every allocation a length could ask for. */
  need(count: number): void {
    if (count > this.end - this.position) this.fail('the data ends in the middle of an item');
  }

  /** A view of the next `length` bytes, not a copy. */
  take(length: number): Uint8Array {
    this.need(length);
    const view = this.bytes.subarray(this.position, this.position + length);
    this.position += length;
    return view;
  }

  text(length: number): string {
    this.need(length);
    const start = this.position;
    const stop = start + length;
    this.position = stop;
    // Short ASCII strings (most keys) are cheaper to build in JS than to hand to a decoder.
    if (length < 16) {
      const bytes = this.bytes;
      let any = 0;
      for (let i = start; i < stop; i++) any |= bytes[i]!;
      return any < 0x80 ? shortAscii(bytes, start, length) : this.utf8(start, stop);
    }
    return this.utf8(start, stop);
  }

  private utf8(start: number, stop: number): string {
    try {
      return utf8.decode(this.bytes.subarray(start, stop));
    } catch {
      return this.fail('a text string that is not valid UTF-8', start);
    }
  }

  float(info: number): number {
    let value: number;
    if (info === 25) {
      this.need(2);
      value = halfToNumber(this.view.getUint16(this.position));
      this.position += 2;
    } else if (info === 26) {
      this.need(4);
      value = this.view.getFloat32(this.position);
      this.position += 4;
    } else {
      this.need(8);
      value = this.view.getFloat64(this.position);
      this.position += 8;
    }
    return value;
  }
}

// Statekeep writes float64 only; other writers (cbor2 with canonical=True) may shorten floats.
function halfToNumber(half: number): number {
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  const sign = half & 0x8000 ? -1 : 1;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

const char = String.fromCharCode;

/**
 * Up to 15 ASCII bytes as a string, built by one call: a fixed argument count per length makes
 * one flat string, where appending character by character allocates one per character.
 */
function shortAscii(b: Uint8Array, s: number, length: number): string {
  switch (length) {
    case 0:
      return '';
    case 1:
      return char(b[s]!);
    case 2:
      return char(b[s]!, b[s + 1]!);
    case 3:
      return char(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return char(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return char(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return char(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return char(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8:
      return char(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    case 9:
      return char(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!, b[s + 8]!);
    case 10:
      return char(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
      );
    case 11:
      return char(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
      );
    case 12:
      return char(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
        b[s + 11]!,
      );
    case 13:
      return char(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
        b[s + 11]!,
        b[s + 12]!,
      );
    case 14:
      return char(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
        b[s + 11]!,
        b[s + 12]!,
        b[s + 13]!,
      );
    case 15:
      return char(
        b[s]!,
        b[s + 1]!,
        b[s + 2]!,
        b[s + 3]!,
        b[s + 4]!,
        b[s + 5]!,
        b[s + 6]!,
        b[s + 7]!,
        b[s + 8]!,
        b[s + 9]!,
        b[s + 10]!,
        b[s + 11]!,
        b[s + 12]!,
        b[s + 13]!,
        b[s + 14]!,
      );
    default:
      throw new RangeError(`shortAscii takes at most 15 bytes, not ${length}`);
  }
}
