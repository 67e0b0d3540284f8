import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PREFIX_LENGTH } from '../../src/codec/blob-frame.js';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { actorName } from '../../src/registry/names.js';
import { COMPRESSIONS, META, hex } from './helpers.js';

/** A toy fit: every call builds new objects and arrays from the same rows. */
function fitted(rows: number[][]): unknown {
  const columns = rows[0]!.length;
  const mean = new Float64Array(columns);
  for (const row of rows) {
    for (const [c, v] of row.entries()) mean[c]! += v / rows.length;
  }
  const vocabulary: Record<string, number> = {};
  for (const row of rows) vocabulary[`v${row[0]}`] = (vocabulary[`v${row[0]}`] ?? 0) + 1;
  return {
    kind: 'scaler',
    mean,
    vocabulary,
    seen: new Set(rows.map((r) => r[1]!)),
    fittedRows: rows.length,
    spread: rows.map((r) => r[2]! / 0),
  };
}
const ROWS = [
  [1, 2, 3],
  [4, 5, -6],
  [7, 8, 0],
  [1, 5, 3],
];

const bodyOf = (blob: Uint8Array): Uint8Array =>
  blob.subarray(PREFIX_LENGTH + new DataView(blob.buffer, blob.byteOffset).getUint32(9));

// Written by statekeep 0.1.0. It must decode to GOLDEN_STATE for as long as format 1 is read.
const GOLDEN_BLOB = hex(`
  89534b530d0a1a0a 01 00000059
  a6 6973746174656b656570 65302e312e30 656163746f72 667363616c6572 6c737461746556657273696f6e 03
     68656e636f64696e67 6463626f72 6b636f6d7072657373696f6e 646e6f6e65 6473697a65 1b000000000000006f
  aa 616e 03
     646d65616e d856 5f 4040404040 50 000000000000f83f 00000000000000c0 ff
     646e616d65 6469726973  626f6b f5  676d697373696e67 f6  6474616773 82 6161 20
     636e6567 fb8000000000000000  636d6170 d90103 a1 616b 01
     626174 c1 fb41d954fc40200000  63626967 c2 41 01`);
const GOLDEN_STATE = {
  n: 3,
  mean: Float64Array.of(1.5, -2),
  name: 'iris',
  ok: true,
  missing: null,
  tags: ['a', -1],
  neg: -0,
  map: new Map([['k', 1]]),
  at: new Date(1_700_000_000_500),
  big: 1n,
};

describe('determinism and stability: same state, same bytes; old bytes, same state', () => {
  for (const compression of COMPRESSIONS) {
    it(`a retrained but identical state encodes to identical bytes (${compression}), so it deduplicates by digest`, async () => {
      const codec = new CborStateCodec({ compression });
      const first = await codec.encode(fitted(ROWS), META);
      const second = await codec.encode(fitted(ROWS.map((r) => [...r])), META);
      expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
      const changed = await codec.encode(fitted([...ROWS, [2, 2, 2]]), META);
      expect(Buffer.from(changed).equals(Buffer.from(first))).toBe(false);
    });
  }

  it('NaN payload bits in a number do not change the bytes (typed arrays keep their bits)', async () => {
    const bits = new DataView(new ArrayBuffer(8));
    bits.setUint32(0, 0x7ff80000);
    bits.setUint32(4, 0x1234);
    const odd = bits.getFloat64(0);
    const codec = new CborStateCodec();
    expect(
      Buffer.from(await codec.encode({ x: odd }, META)).equals(Buffer.from(await codec.encode({ x: NaN }, META))),
    ).toBe(true);
  });

  it('key order is part of the state: other insertion orders give other bytes, and each comes back in its own order', async () => {
    const codec = new CborStateCodec();
    const ab = await codec.encode({ a: 1, b: 2 }, META);
    const ba = await codec.encode({ b: 2, a: 1 }, META);
    expect(Buffer.from(ab).equals(Buffer.from(ba))).toBe(false);
    expect(Object.keys((await codec.decode(ab, META)) as object)).toEqual(['a', 'b']);
    expect(Object.keys((await codec.decode(ba, META)) as object)).toEqual(['b', 'a']);
  });

  it('golden: a blob written by statekeep 0.1.0 still decodes to the same state', async () => {
    expect(await new CborStateCodec().decode(GOLDEN_BLOB, META)).toStrictEqual(GOLDEN_STATE);
  });

  it('golden: a state without typed arrays has exactly the documented body bytes, whatever the header', async () => {
    const { mean: _, ...state } = GOLDEN_STATE;
    const body = bodyOf(
      await new CborStateCodec().encode(state, { actor: actorName('a-much-longer-actor-name'), stateVersion: 12 }),
    );
    expect(Buffer.from(body).toString('hex')).toBe(
      'a9616e03646e616d656469726973626f6bf5676d697373696e67f6647461677382616120636e6567fb8000000000000000636d6170d90103a1616b01626174c1fb41d954fc4020000063626967c24101',
    );
  });

  it('typed array bytes start on an element boundary of the buffer a reader holds, for any header length and compression', async () => {
    for (const compression of COMPRESSIONS) {
      const codec = new CborStateCodec({ compression });
      for (let nameLength = 1; nameLength <= 9; nameLength++) {
        for (const array of [
          Float64Array.of(Math.E, -Math.PI),
          BigInt64Array.of(-3n, 5n),
          Float32Array.of(Math.SQRT2),
          Int16Array.of(-7, 9),
        ]) {
          const meta = { actor: actorName('x'.repeat(nameLength)), stateVersion: 0 };
          const blob = await codec.encode({ [`k${'y'.repeat(nameLength)}`]: array }, meta);
          // The reader's buffer: the whole blob when plain, the decompressed body otherwise.
          const held =
            compression === 'none'
              ? blob
              : compression === 'gzip'
                ? gunzipSync(bodyOf(blob))
                : brotliDecompressSync(bodyOf(blob));
          const at = Buffer.from(held.buffer, held.byteOffset, held.byteLength).indexOf(Buffer.from(array.buffer));
          expect(
            at % array.BYTES_PER_ELEMENT,
            `${compression}, ${array.constructor.name}, name length ${nameLength}`,
          ).toBe(0);
          expect(await codec.decode(blob, meta)).toStrictEqual({ [`k${'y'.repeat(nameLength)}`]: array });
        }
      }
    }
  });
});
