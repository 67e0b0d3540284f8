import { describe, expect, it } from 'vitest';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { MAX_DEPTH } from '../../src/codec/state-encoder.js';
import { META, roundTrip } from './helpers.js';

const same = async (value: unknown): Promise<void> => {
  expect(await roundTrip(value)).toStrictEqual(value);
};

describe('round trips: every supported value comes back exactly', () => {
  it('null, booleans and undefined, at the top and inside containers', async () => {
    for (const value of [null, true, false, undefined]) await same(value);
    await same([null, true, false, undefined]);
    const decoded = (await roundTrip({ missing: undefined })) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(['missing']);
    expect(decoded.missing).toBeUndefined();
  });

  it('integers at every CBOR width boundary, and the largest safe ones', async () => {
    const edges = [0, 1, 23, 24, 255, 256, 65_535, 65_536, 2 ** 32 - 1, 2 ** 32, Number.MAX_SAFE_INTEGER];
    await same([...edges, ...edges.map((n) => -n - 1), -Number.MAX_SAFE_INTEGER]);
  });

  it('-0 keeps its sign, NaN and the infinities survive, unsafe integers stay numbers', async () => {
    const [zero, nan, inf, ninf, big, tiny] = (await roundTrip([
      -0,
      NaN,
      Infinity,
      -Infinity,
      2 ** 53,
      5e-324,
    ])) as number[];
    expect(Object.is(zero, -0)).toBe(true);
    expect(nan).toBeNaN();
    expect([inf, ninf]).toEqual([Infinity, -Infinity]);
    expect(big).toBe(2 ** 53);
    expect(tiny).toBe(5e-324);
    await same({ x: 0.1, y: -1.5e300, z: 1 / 3 });
  });

  it('strings: empty, at length boundaries, multi-byte, astral, and with a leading byte-order mark', async () => {
    const lengths = [0, 15, 16, 23, 24, 63, 64, 255, 256, 70_000].map((n) => 'x'.repeat(n));
    await same([
      ...lengths,
      'héllo',
      '日本語のテキスト',
      '😀 emoji 🎉',
      '\uFEFFbom',
      'é'.repeat(23),
      'é'.repeat(64),
      '\u0000nul',
    ]);
  });

  it('short strings of every length up to 16, each character distinct, as values and as keys', async () => {
    // Short ASCII strings are built byte by byte: every position must land where it belongs.
    const ascii = Array.from({ length: 17 }, (_, n) =>
      Array.from({ length: n }, (_, i) => String.fromCharCode(0x21 + ((n * 7 + i * 13) % 94))).join(''),
    );
    const nearlyAscii = ascii.slice(1, 16).map((text) => `${text.slice(0, -1)}é`);
    await same([...ascii, ...nearlyAscii, '\u007f\u0000\u0001', 'a\u0080']);
    await same(Object.fromEntries([...ascii, ...nearlyAscii].map((key, i) => [key, i])));
  });

  it('arrays and plain objects, nested, empty, with odd keys', async () => {
    await same({
      layers: [
        {
          weights: [
            [1, 2],
            [3, 4],
          ],
          bias: [0.5],
        },
        {},
      ],
      '': [],
      'a b': { ü: [[]] },
    });
  });

  it('object keys keep JavaScript property order (integer-like keys first, then insertion order)', async () => {
    const state = { zeta: 1, alpha: 2, 10: 'ten', 2: 'two', middle: 3 };
    expect(Object.keys((await roundTrip(state)) as object)).toEqual(['2', '10', 'zeta', 'alpha', 'middle']);
  });

  it('an own "__proto__" key stays an ordinary property and sets no prototype', async () => {
    const state = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const decoded = (await roundTrip(state)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    // biome-ignore lint/suspicious/noProto: an own __proto__ key is the case under test
    // biome-ignore lint/complexity/useLiteralKeys: the same
    expect(decoded['__proto__']).toEqual({ polluted: true });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a null-prototype object comes back as an ordinary object with the same entries', async () => {
    const state = Object.assign(Object.create(null) as object, { a: 1, b: [2] });
    const decoded = await roundTrip(state);
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(decoded).toEqual({ a: 1, b: [2] });
  });

  it('every typed array kind, with its exact type, length and bits', async () => {
    const arrays = [
      Uint8Array.of(0, 1, 255),
      Uint8ClampedArray.of(0, 128, 255),
      Uint16Array.of(0, 1, 65_535),
      Uint32Array.of(0, 2 ** 32 - 1),
      BigUint64Array.of(0n, 2n ** 64n - 1n),
      Int8Array.of(-128, 127),
      Int16Array.of(-32_768, 32_767),
      Int32Array.of(-(2 ** 31), 2 ** 31 - 1),
      BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n),
      Float32Array.of(0.1, -0, NaN, Infinity),
      Float64Array.of(Math.PI, -0, NaN, -Infinity),
      new Float64Array(0),
      new Uint8Array(0),
    ];
    const decoded = (await roundTrip(arrays)) as ArrayBufferView[];
    expect(decoded.map((a) => a.constructor)).toEqual(arrays.map((a) => a.constructor));
    decoded.forEach((array, i) => {
      const original = arrays[i]!;
      expect(Buffer.from(array.buffer, array.byteOffset, array.byteLength)).toEqual(
        Buffer.from(original.buffer, original.byteOffset, original.byteLength),
      );
    });
  });

  it('a typed array that views part of a larger buffer stores only its own elements', async () => {
    const whole = Float64Array.of(1, 2, 3, 4, 5);
    const part = (await roundTrip(whole.subarray(1, 3))) as Float64Array;
    expect(Array.from(part)).toEqual([2, 3]);
  });

  it('Maps with string and number keys, and Sets of strings and numbers, keep their entries and order', async () => {
    await same({
      vocab: new Map<string | number, unknown>([
        ['b', 1],
        ['a', [2]],
        [3, 'three'],
        [NaN, null],
        [-1.5, { deep: true }],
      ]),
      stop: new Set(['the', 'a', 7, 0.5]),
    });
  });

  it('Dates, with milliseconds, before 1970 and at whole seconds', async () => {
    await same([
      new Date(1_700_000_000_123),
      new Date(-86_400_001),
      new Date(0),
      new Date(1_700_000_000_000),
      new Date(8.64e15),
      new Date(-8.64e15),
    ]);
  });

  it('bigints of every size and sign stay bigints', async () => {
    await same([0n, 1n, -1n, 255n, 2n ** 64n, -(2n ** 64n) - 1n, 3n ** 200n, -(7n ** 99n)]);
  });

  it('a shared, acyclic object is stored as copies: equal values, separate objects', async () => {
    const shared = { k: [1, 2] };
    const decoded = (await roundTrip({ a: shared, b: shared })) as { a: unknown; b: unknown };
    expect(decoded.a).toEqual(shared);
    expect(decoded.b).toEqual(shared);
    expect(decoded.a).not.toBe(decoded.b);
  });

  it(`nesting up to ${MAX_DEPTH} levels round-trips`, async () => {
    let state: unknown = 'leaf';
    for (let i = 0; i < MAX_DEPTH; i++) state = [state];
    await same(state);
  });

  it('a typed array decodes as a view into an aligned blob (no copy) and as a copy from a misaligned one', async () => {
    const codec = new CborStateCodec();
    const weights = Float64Array.from({ length: 1000 }, (_, i) => i / 3);
    const blob = await codec.encode({ bias: 1, weights }, META);
    const viewed = (await codec.decode(blob, META)) as { weights: Float64Array };
    expect(viewed.weights).toEqual(weights);
    expect(viewed.weights.buffer).toBe(blob.buffer);
    const shifted = new Uint8Array(blob.byteLength + 1).subarray(1);
    shifted.set(blob);
    const copied = (await codec.decode(shifted, META)) as { weights: Float64Array };
    expect(copied.weights).toEqual(weights);
    expect(copied.weights.buffer).not.toBe(shifted.buffer);
  });

  it('a realistic fitted state round-trips', async () => {
    const state = {
      kind: 'standard-scaler',
      fitted: true,
      columns: ['sepal_length', 'sepal width', 'petal.length'],
      mean: Float64Array.of(5.84, 3.05, 3.76),
      scale: Float32Array.of(0.82, 0.43, 1.76),
      counts: Int32Array.of(150, 150, 148),
      categories: new Map([
        ['setosa', 0],
        ['versicolor', 1],
      ]),
      trainedAt: new Date('2026-11-23T13:00:00.250Z'),
      rows: 150n,
      notes: undefined,
    };
    await same(state);
  });
});
