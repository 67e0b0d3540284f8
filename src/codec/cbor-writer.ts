// Writes the CBOR items statekeep emits into one growing buffer, so that the blob prefix, header
// and body end up contiguous without a final concatenation. Heads are in preferred (shortest) form
// except the header's size field and padded typed arrays (docs/state-format.md, sections 2 and 5).

const TWO_32 = 2 ** 32;

// String.prototype.isWellFormed is in Node 20 but not in the ES2023 lib this project compiles against.
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

export class CborWriter {
  private buffer: Buffer;
  private view: DataView;
  private position = 0;

  constructor(capacity = 64 * 1024) {
    this.buffer = Buffer.allocUnsafeSlow(capacity);
    this.view = new DataView(this.buffer.buffer, this.buffer.byteOffset, this.buffer.byteLength);
  }

  get length(): number {
    return this.position;
  }

  /** A major type with its argument, in the shortest encoding. */
  head(major: number, value: number): void {
    this.reserve(9);
    const type = major << 5;
    const b = this.buffer;
    if (value < 24) b[this.position++] = type | value;
    else if (value < 0x100) {
      b[this.position++] = type | 24;
      b[this.position++] = value;
    } else if (value < 0x10000) {
      b[this.position++] = type | 25;
      this.view.setUint16(this.position, value);
      this.position += 2;
    } else if (value < TWO_32) {
      b[this.position++] = type | 26;
      this.view.setUint32(this.position, value);
      this.position += 4;
    } else this.head64(major, value);
  }

  /** A major type with an 8-byte argument whatever its value, so it can be patched later. */
  head64(major: number, value: number): number {
    this.reserve(9);
    this.buffer[this.position++] = (major << 5) | 27;
    const at = this.position;
    this.patchUint64(at, value);
    this.position += 8;
    return at;
  }

  /** Bytes as they are, with no CBOR head (the blob prefix). */
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.byteLength);
    this.buffer.set(bytes, this.position);
    this.position += bytes.byteLength;
  }

  patchUint32(at: number, value: number): void {
    this.view.setUint32(at, value);
  }

  patchUint64(at: number, value: number): void {
    this.view.setUint32(at, Math.floor(value / TWO_32));
    this.view.setUint32(at + 4, value >>> 0);
  }

  /** A safe integer other than -0. */
  integer(value: number): void {
    if (value >= 0) this.head(0, value);
    else this.head(1, -1 - value);
  }

  float64(value: number): void {
    this.reserve(9);
    this.buffer[this.position++] = 0xfb;
    // One NaN bit pattern, so equal states give equal bytes whatever NaN payload they carry.
    if (Number.isNaN(value)) {
      this.view.setUint32(this.position, 0x7ff80000);
      this.view.setUint32(this.position + 4, 0);
    } else this.view.setFloat64(this.position, value);
    this.position += 8;
  }

  /** Always a bignum tag, even for small values, so it decodes as a bigint again and never as a number. */
  bigint(value: bigint): void {
    const negative = value < 0n;
    const magnitude = negative ? -1n - value : value;
    let hex = magnitude === 0n ? '' : magnitude.toString(16);
    if (hex.length % 2 === 1) hex = `0${hex}`;
    this.tag(negative ? 3 : 2);
    this.bytes(Buffer.from(hex, 'hex'));
  }

  /** One initial byte: a simple value (false, true, null, undefined) or a one-byte tag head. */
  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.position++] = value;
  }

  tag(tag: number): void {
    this.head(6, tag);
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(9 + bytes.byteLength);
    this.head(2, bytes.byteLength);
    this.buffer.set(bytes, this.position);
    this.position += bytes.byteLength;
  }

  /**
   * A typed array's tag and bytes, the bytes starting at a multiple of `alignment` from `origin`
   * so a reader can view them in place. Off the boundary, the byte string becomes an
   * indefinite-length one whose leading empty chunks move its single data chunk onto it.
   */
  typedArray(tag: number, bytes: Uint8Array, alignment: number, origin: number): void {
    const length = bytes.byteLength;
    // Room for everything at once, so a large array is copied once, straight into place.
    this.reserve(9 + 1 + alignment + 9 + length + 1);
    this.tag(tag);
    const head = headLength(length);
    if (length === 0 || (this.position - origin + head) % alignment === 0) return this.bytes(bytes);
    const padding = (alignment - ((this.position - origin + 1 + head) % alignment)) % alignment;
    this.byte(0x5f);
    for (let i = 0; i < padding; i++) this.byte(0x40);
    this.bytes(bytes);
    this.byte(0xff);
  }

  /** Writes a text string; returns false, writing nothing, when it holds a lone surrogate UTF-8 cannot carry. */
  text(text: string): boolean {
    const chars = text.length;
    if (chars >= 64) return this.longText(text);
    this.reserve(2 + chars * 3);
    const b = this.buffer;
    // Under 64 characters the UTF-8 is under 256 bytes, so the head is 1 or 2 bytes. Guess from
    // the character count, and move the bytes one to the right in the rare case the guess is short.
    const guess = chars < 24 ? 1 : 2;
    const start = this.position + guess;
    let at = start;
    for (let i = 0; i < chars; i++) {
      let c = text.charCodeAt(i);
      if (c < 0x80) b[at++] = c;
      else if (c < 0x800) {
        b[at++] = 0xc0 | (c >> 6);
        b[at++] = 0x80 | (c & 0x3f);
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const low = c <= 0xdbff && i + 1 < chars ? text.charCodeAt(i + 1) : 0;
        if (low < 0xdc00 || low > 0xdfff) return false;
        i++;
        c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
        b[at++] = 0xf0 | (c >> 18);
        b[at++] = 0x80 | ((c >> 12) & 0x3f);
        b[at++] = 0x80 | ((c >> 6) & 0x3f);
        b[at++] = 0x80 | (c & 0x3f);
      } else {
        b[at++] = 0xe0 | (c >> 12);
        b[at++] = 0x80 | ((c >> 6) & 0x3f);
        b[at++] = 0x80 | (c & 0x3f);
      }
    }
    const length = at - start;
    if (length < 24) b[this.position] = 0x60 | length;
    else {
      if (guess === 1) b.copyWithin(start + 1, start, at);
      b[this.position] = 0x78;
      b[this.position + 1] = length;
    }
    this.position += (length < 24 ? 1 : 2) + length;
    return true;
  }

  private longText(text: string): boolean {
    if (!isWellFormed(text)) return false;
    const length = Buffer.byteLength(text, 'utf8');
    this.head(3, length);
    this.reserve(length);
    this.buffer.write(text, this.position, length, 'utf8');
    this.position += length;
    return true;
  }

  /** Bytes without a final copy when the buffer is close to full, trimmed otherwise. */
  finish(): Uint8Array {
    const spare = this.buffer.length - this.position;
    const used = new Uint8Array(this.buffer.buffer, this.buffer.byteOffset, this.position);
    return spare > 4096 && spare > this.position / 8 ? used.slice() : used;
  }

  private reserve(count: number): void {
    if (this.position + count <= this.buffer.length) return;
    // Grows to fit exactly when one item needs more than doubling gives (a large typed array).
    const size = Math.max(this.buffer.length * 2, this.position + count);
    const next = Buffer.allocUnsafeSlow(size);
    this.buffer.copy(next, 0, 0, this.position);
    this.buffer = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }
}

function headLength(value: number): number {
  return value < 24 ? 1 : value < 0x100 ? 2 : value < 0x10000 ? 3 : value < TWO_32 ? 5 : 9;
}
