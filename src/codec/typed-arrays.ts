/** Every typed array kind a state may hold (Node 20 has no Float16Array). */
export type StateTypedArray =
  | Uint8Array
  | Uint8ClampedArray
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

type TypedArrayClass = {
  readonly prototype: object;
  readonly BYTES_PER_ELEMENT: number;
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): StateTypedArray;
};

// RFC 8746 tags of the little-endian variants: statekeep writes one byte order everywhere,
// so a reader never has to know which machine wrote the state.
const KINDS: ReadonlyArray<readonly [TypedArrayClass, number]> = [
  [Uint8Array, 64],
  [Uint8ClampedArray, 68],
  [Uint16Array, 69],
  [Uint32Array, 70],
  [BigUint64Array, 71],
  [Int8Array, 72],
  [Int16Array, 77],
  [Int32Array, 78],
  [BigInt64Array, 79],
  [Float32Array, 85],
  [Float64Array, 86],
];

const TAG_BY_PROTOTYPE = new Map<object, number>(KINDS.map(([kind, tag]) => [kind.prototype, tag]));
const KIND_BY_TAG = new Map<number, TypedArrayClass>(KINDS.map(([kind, tag]) => [tag, kind]));

const LITTLE_ENDIAN_MACHINE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The tag for an exact typed array prototype; subclasses (Buffer among them) get none. */
export function typedArrayTag(prototype: object | null): number | undefined {
  return prototype === null ? undefined : TAG_BY_PROTOTYPE.get(prototype);
}

export function isTypedArrayTag(tag: number): boolean {
  return KIND_BY_TAG.has(tag);
}

/** The array's elements as little-endian bytes: a view on little-endian machines, a swapped copy elsewhere. */
export function littleEndianBytes(array: StateTypedArray): Uint8Array {
  const view = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  return LITTLE_ENDIAN_MACHINE ? view : swapBytes(view.slice(), array.BYTES_PER_ELEMENT);
}

/**
 * A typed array over little-endian bytes: a view on them when they sit on an element boundary
 * (as v8.deserialize does), one copy otherwise. Undefined when the byte count is not a whole
 * number of elements.
 */
export function typedArrayOf(tag: number, bytes: Uint8Array): StateTypedArray | undefined {
  const kind = KIND_BY_TAG.get(tag);
  const width = kind?.BYTES_PER_ELEMENT ?? 1;
  if (kind === undefined || bytes.byteLength % width !== 0) return undefined;
  if (LITTLE_ENDIAN_MACHINE && bytes.byteOffset % width === 0)
    return new kind(bytes.buffer, bytes.byteOffset, bytes.byteLength / width);
  const copy = new Uint8Array(bytes);
  if (!LITTLE_ENDIAN_MACHINE) swapBytes(copy, width);
  return new kind(copy.buffer);
}

/** Reverses the bytes of every element in place. Exported for the test of big-endian machines. */
export function swapBytes(bytes: Uint8Array, width: number): Uint8Array {
  if (width === 1) return bytes;
  for (let at = 0; at < bytes.length; at += width) bytes.subarray(at, at + width).reverse();
  return bytes;
}
