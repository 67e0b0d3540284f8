import v8 from 'node:v8';
import { Encoder } from 'cbor-x';
import { describe, expect, it } from 'vitest';
import { MAGIC, MAX_HEADER_LENGTH } from '../../src/codec/blob-frame.js';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { CborWriter } from '../../src/codec/cbor-writer.js';
import { COMPRESSIONS, META, forgeBlob, hex, rejection, thrown } from './helpers.js';

const codec = new CborStateCodec();
const INTEGRITY = { code: 'INTEGRITY', data: { actor: 'scaler', subject: 'state blob' } };

/** A blob with a hand-made header map: prefix, the given header bytes, then the body. */
function withHeader(header: Uint8Array, body = Uint8Array.of(0xf6), format = 1): Uint8Array {
  const writer = new CborWriter(256);
  writer.raw(MAGIC);
  writer.byte(format);
  writer.raw(Uint8Array.of(0, 0, 0, 0));
  writer.patchUint32(MAGIC.length + 1, header.byteLength);
  writer.raw(header);
  writer.raw(body);
  return writer.finish().slice();
}

function headerMap(fields: Record<string, string | number>): Uint8Array {
  const writer = new CborWriter(256);
  writer.head(5, Object.keys(fields).length);
  for (const [key, value] of Object.entries(fields)) {
    writer.text(key);
    if (typeof value === 'string') writer.text(value);
    else writer.integer(value);
  }
  return writer.finish().slice();
}

const GOOD_HEADER = {
  statekeep: '0.1.0',
  actor: 'scaler',
  stateVersion: 3,
  encoding: 'cbor',
  compression: 'none',
  size: 1,
};

describe('not a statekeep state: a clear INTEGRITY error from decode and header()', () => {
  const foreign: Array<[string, Uint8Array]> = [
    ['empty bytes', new Uint8Array(0)],
    ['text', new TextEncoder().encode('{"mean": [1, 2]}')],
    ['a v8.serialize blob', v8.serialize({ mean: [1, 2] })],
    ['bare CBOR without the frame', new Encoder({ useRecords: false }).encode({ mean: [1, 2] })],
    ['a PNG signature', hex('89504e470d0a1a0a0000000d49484452')],
    ['the magic alone', MAGIC],
  ];
  for (const [what, bytes] of foreign) {
    it(`${what}`, async () => {
      await expect(codec.decode(bytes, META)).rejects.toMatchObject(INTEGRITY);
      expect(thrown(() => codec.header(bytes))).toMatchObject({ code: 'INTEGRITY', data: { subject: 'state blob' } });
    });
  }
});

describe('damaged frames are INTEGRITY', () => {
  const damaged: Array<[string, Uint8Array]> = [
    ['format version 0', withHeader(headerMap(GOOD_HEADER), undefined, 0)],
    ['a header length running past the end', withHeader(headerMap(GOOD_HEADER)).subarray(0, 20)],
    [
      'a header length over the limit',
      (() => {
        const blob = withHeader(headerMap(GOOD_HEADER));
        new DataView(blob.buffer).setUint32(9, MAX_HEADER_LENGTH + 1);
        return blob;
      })(),
    ],
    ['an empty header', withHeader(new Uint8Array(0))],
    ['a header that is an array', withHeader(hex('80'))],
    ['a header without a size', withHeader(headerMap({ ...GOOD_HEADER, size: 'one' }))],
    ['a header with an invalid actor name', withHeader(headerMap({ ...GOOD_HEADER, actor: '../escape' }))],
    [
      'a header with a fractional stateVersion',
      withHeader(
        hex(
          `${Buffer.from(headerMap({ ...GOOD_HEADER, stateVersion: 0 }))
            .toString('hex')
            .replace('6c737461746556657273696f6e00', '6c737461746556657273696f6efb3ff8000000000000')}`,
        ),
      ),
    ],
    ['a header followed by a body shorter than its size', withHeader(headerMap({ ...GOOD_HEADER, size: 5 }))],
    ['a header followed by a body longer than its size', withHeader(headerMap(GOOD_HEADER), Uint8Array.of(0xf6, 0xf6))],
  ];
  for (const [what, blob] of damaged) {
    it(`${what}`, async () => {
      await expect(codec.decode(blob, META)).rejects.toMatchObject(INTEGRITY);
    });
  }

  for (const compression of COMPRESSIONS) {
    it(`every truncation of a ${compression} blob is INTEGRITY, never a value`, async () => {
      const writer = new CborStateCodec({ compression });
      const blob = await writer.encode({ mean: Float64Array.of(1, 2, 3), names: ['a', 'b'], n: 3 }, META);
      for (let length = 0; length < blob.byteLength; length++) {
        const error = await rejection(writer.decode(blob.slice(0, length), META));
        expect(error, `truncated to ${length} bytes`).toMatchObject(INTEGRITY);
      }
    });
  }
});

describe('hostile or foreign bodies: only plain data ever comes out, anything else is INTEGRITY', () => {
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const bodies: Array<[string, Uint8Array]> = [
    [
      'cbor-x structured clone with shared references (tags 28/29)',
      new Encoder({ structuredClone: true }).encode(cyclic),
    ],
    ['cbor-x record structures (tag 0xdfff)', new Encoder({ useRecords: true }).encode([{ a: 1 }, { a: 2 }])],
    [
      'cbor-x packed values (tag 51)',
      new Encoder({ pack: true, useRecords: false }).encode({ aaaa: 'xxxx', bbbb: 'xxxx' }),
    ],
    [
      'cbor-x bundled strings (tag 0xdff9)',
      new Encoder({ bundleStrings: true }).encode({ aaaa: 'xxxx', b: 'xxxxxxx' }),
    ],
    ['a RegExp as generic object (tag 27)', new Encoder({ useRecords: false }).encode(/a+/g)],
    ['an Error as generic object (tag 27)', new Encoder({ useRecords: false }).encode(new Error('x'))],
    [
      'a constructor call by name (tag 27 ["Function", code])',
      hex('d81b826846756e6374696f6e6e72657475726e2070726f63657373'),
    ],
    ['a self-described CBOR tag (55799)', hex('d9d9f7f6')],
    ['a date as text (tag 0)', hex('c074323032362d31312d32335431333a30303a30305a')],
    ['an unassigned tag', hex('d9ffff01')],
    ['a big-endian typed array tag (82, float64 BE)', hex('d852483ff0000000000000')],
    ['a typed array over a byte count that is not whole elements', hex('d85643010203')],
    ['a typed array tag over an array', hex('d8568101')],
    ['a typed array chunk that is not bytes', hex('d8565f6161ff')],
    ['a Set of objects', hex('d9010281a0')],
    ['a Set with a duplicate member', hex('d90102820101')],
    ['a Map tag over an array', hex('d9010380')],
    ['a Map with an array key', hex('d90103a18001')],
    ['a Map with a duplicate key', hex('d90103a201010102')],
    ['a date tag over text', hex('c16161')],
    ['a date out of range', hex('c1fb7fefffffffffffff')],
    ['a bignum over a number', hex('c201')],
    ['an object with a non-text key', hex('a10102')],
    ['an object with a duplicate key', hex('a2616101616102')],
    ['invalid UTF-8 in a short string', hex('62c328')],
    ['an overlong UTF-8 encoding in a long string', hex(`7818${'61'.repeat(22)}c080`)],
    ['an indefinite-length array', hex('9f01ff')],
    ['an indefinite-length map', hex('bf616101ff')],
    ['an indefinite-length text string', hex('7f6161ff')],
    ['a bare indefinite-length byte string', hex('5f4101ff')],
    ['a break at the top', hex('ff')],
    ['a reserved additional-information value', hex('1c')],
    ['an unassigned simple value', hex('e0')],
    ['a one-byte simple value', hex('f820')],
    ['bytes after the item', hex('f6f6')],
    ['an array claiming 2^32 - 1 items', hex('9affffffff01')],
    ['a byte string claiming 2^53 bytes', hex('5b002000000000000001')],
    ['a map claiming a billion entries', hex('ba3b9aca00616101')],
    ['nesting 100k arrays deep', new Uint8Array(100_001).fill(0x81, 0, 100_000).fill(0xf6, 100_000)],
    ['nesting 100k date tags deep', new Uint8Array(100_001).fill(0xc1, 0, 100_000).fill(0x01, 100_000)],
  ];
  for (const [what, body] of bodies) {
    it(`${what}`, async () => {
      await expect(codec.decode(forgeBlob(body), META)).rejects.toMatchObject(INTEGRITY);
    });
  }

  it('a crafted "__proto__" key becomes an own property and pollutes nothing', async () => {
    const body = hex('a2695f5f70726f746f5f5fa168706f6c6c75746564f5616101');
    const decoded = (await codec.decode(forgeBlob(body), META)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(decoded)).toBe(Object.prototype);
    expect(Object.keys(decoded)).toEqual(['__proto__', 'a']);
    expect((decoded as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('what other writers may legally send is read: short floats, 64-bit integers, bare and chunked byte strings', async () => {
    // [half 1.5, single 0.25, uint64 2^60, nint64 -(2^60)-1, bare bytes, chunked float64 array [1.0]]
    const body = hex('86f93e00fa3e8000001b10000000000000003b1000000000000000420102d8565f4400000000440000f03fff');
    expect(await codec.decode(forgeBlob(body), META)).toStrictEqual([
      1.5,
      0.25,
      2n ** 60n,
      -(2n ** 60n) - 1n,
      Uint8Array.of(1, 2),
      Float64Array.of(1),
    ]);
  });
});
