import { Decoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { PREFIX_LENGTH } from '../../src/codec/blob-frame.js';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { formatPath } from '../../src/codec/state-path.js';
import { littleEndianBytes, swapBytes, typedArrayOf } from '../../src/codec/typed-arrays.js';
import { META } from './helpers.js';

describe('parts of the codec', () => {
  it('paths read like JSONPath: identifiers dotted, indexes bracketed, anything else quoted', () => {
    expect(formatPath([])).toBe('$');
    expect(formatPath(['layers', 2, 'weights'])).toBe('$.layers[2].weights');
    expect(formatPath(['a b', '0', '', 'x-y', '$ok', '_1'])).toBe('$["a b"]["0"][""]["x-y"].$ok._1');
    expect(formatPath(['quote"d', 'new\nline'])).toBe('$["quote\\"d"]["new\\nline"]');
  });

  it('byte swapping, used on big-endian machines, reverses each element and nothing else', () => {
    expect(Array.from(swapBytes(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 4))).toEqual([4, 3, 2, 1, 8, 7, 6, 5]);
    expect(Array.from(swapBytes(Uint8Array.of(1, 2, 3, 4), 2))).toEqual([2, 1, 4, 3]);
    expect(Array.from(swapBytes(Uint8Array.of(1, 2, 3), 1))).toEqual([1, 2, 3]);
    expect(Array.from(swapBytes(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), 8))).toEqual([8, 7, 6, 5, 4, 3, 2, 1]);
  });

  it('little-endian bytes of a typed array are exactly its elements, least significant byte first', () => {
    expect(Array.from(littleEndianBytes(Uint32Array.of(0x01020304)))).toEqual([4, 3, 2, 1]);
    expect(Array.from(littleEndianBytes(Float64Array.of(1)))).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]);
  });

  it('a typed array over bytes is a view when aligned, a copy when not, and refused when not whole elements', () => {
    const buffer = new Uint8Array(17);
    buffer.set([0, 0, 0, 0, 0, 0, 0xf0, 0x3f], 8);
    const view = typedArrayOf(86, buffer.subarray(8, 16))!;
    expect(view.buffer).toBe(buffer.buffer);
    expect(Array.from(view as Float64Array)).toEqual([1]);
    buffer.copyWithin(9, 8, 16);
    const copy = typedArrayOf(86, buffer.subarray(9, 17))!;
    expect(copy.buffer).not.toBe(buffer.buffer);
    expect(Array.from(copy as Float64Array)).toEqual([1]);
    expect(typedArrayOf(86, buffer.subarray(0, 7))).toBeUndefined();
    expect(typedArrayOf(999, buffer)).toBeUndefined();
  });

  it('the body is standard CBOR: cbor-x, an independent decoder, reads it to the same values', async () => {
    const state = {
      n: [0, 23, -24, 65_536, 2 ** 40, -(2 ** 40), 0.1, -0, NaN, -Infinity],
      text: ['', 'é', 'x'.repeat(300)],
      missing: undefined,
      nil: null,
      yes: true,
      map: new Map<string | number, unknown>([
        ['a', [1]],
        [2, 'b'],
      ]),
      set: new Set(['s', 1]),
      at: new Date(1_700_000_000_250),
      big: [5n, -(2n ** 70n)],
      raw: Uint8Array.of(1, 2),
    };
    const blob = await new CborStateCodec().encode(state, META);
    const body = blob.subarray(PREFIX_LENGTH + new DataView(blob.buffer, blob.byteOffset).getUint32(9));
    // int64AsNumber is a runtime option cbor-x's types leave out.
    const decoder = new Decoder({
      useRecords: false,
      mapsAsObjects: true,
      int64AsNumber: true,
    } as ConstructorParameters<typeof Decoder>[0]);
    expect(decoder.decode(body)).toStrictEqual(state);
  });
});
