import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { PREFIX_LENGTH } from '../../src/codec/blob-frame.js';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { COMPRESSIONS, META, forgeBlob, rejection } from './helpers.js';

const state = () => ({
  vocabulary: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`term_${i}`, i % 7])),
  weights: Float64Array.from({ length: 4096 }, (_, i) => Math.sin(i / 100)),
  small: Int16Array.of(1, -1, 3),
  labels: new Set(['a', 'b']),
  at: new Date(1_700_000_000_500),
});

const bodyOf = (blob: Uint8Array): Uint8Array =>
  blob.subarray(PREFIX_LENGTH + new DataView(blob.buffer, blob.byteOffset).getUint32(9));

describe('compression: optional, whole-body, deterministic', () => {
  for (const compression of COMPRESSIONS) {
    it(`${compression}: round-trips and encodes the same state to the same bytes every time`, async () => {
      const codec = new CborStateCodec({ compression });
      const first = await codec.encode(state(), META);
      const second = await codec.encode(state(), META);
      expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
      expect(await codec.decode(first, META)).toStrictEqual(state());
    });
  }

  it('gzip and brotli bodies are smaller than the plain body of a compressible state', async () => {
    const sizes = await Promise.all(
      COMPRESSIONS.map(
        async (compression) => (await new CborStateCodec({ compression }).encode(state(), META)).byteLength,
      ),
    );
    expect(sizes[1]).toBeLessThan(sizes[0]!);
    expect(sizes[2]).toBeLessThan(sizes[0]!);
  });

  it('the gzip body carries no timestamp, no file name and an "unknown" OS byte, so the machine does not change the bytes', async () => {
    const body = bodyOf(await new CborStateCodec({ compression: 'gzip' }).encode(state(), META));
    expect(Array.from(body.subarray(0, 10))).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]);
  });

  it('a compressed body that inflates past the size the header promises is INTEGRITY, without inflating it all', async () => {
    const bomb = gzipSync(new Uint8Array(16 * 2 ** 20));
    const error = await rejection(
      new CborStateCodec().decode(forgeBlob(bomb, { compression: 'gzip', size: 1000 }), META),
    );
    expect(error).toMatchObject({ code: 'INTEGRITY', data: { actor: 'scaler', subject: 'state blob' } });
  });

  it('a compressed body that inflates to fewer bytes than promised is INTEGRITY', async () => {
    const body = gzipSync(Uint8Array.of(0xf6));
    await expect(
      new CborStateCodec().decode(forgeBlob(body, { compression: 'gzip', size: 2 }), META),
    ).rejects.toMatchObject({ code: 'INTEGRITY' });
  });

  for (const compression of ['gzip', 'brotli'] as const) {
    it(`a truncated ${compression} body is INTEGRITY`, async () => {
      const codec = new CborStateCodec({ compression });
      const blob = await codec.encode(state(), META);
      for (const cut of [1, 7, Math.floor(blob.byteLength / 2)]) {
        await expect(codec.decode(blob.subarray(0, blob.byteLength - cut), META)).rejects.toMatchObject({
          code: 'INTEGRITY',
        });
      }
    });
  }

  // Only gzip carries a checksum (CRC-32); brotli and plain bodies rely on the registry's digest,
  // which is checked before any blob reaches the codec (see docs/state-format.md).
  it('a garbled gzip body fails its CRC and is INTEGRITY', async () => {
    const codec = new CborStateCodec({ compression: 'gzip' });
    const garbled = (await codec.encode(state(), META)).slice();
    garbled.fill(0x55, garbled.byteLength - 200, garbled.byteLength - 100);
    await expect(codec.decode(garbled, META)).rejects.toMatchObject({ code: 'INTEGRITY' });
  });

  it('a reader configured for one compression reads blobs written with any: the header decides', async () => {
    const reader = new CborStateCodec({ compression: 'none' });
    for (const compression of COMPRESSIONS) {
      const blob = await new CborStateCodec({ compression }).encode(state(), META);
      expect(await reader.decode(blob, META)).toStrictEqual(state());
    }
  });
});
