import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { FORMAT, MAGIC, PREFIX_LENGTH } from '../../src/codec/blob-frame.js';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { actorName } from '../../src/registry/names.js';
import { STATEKEEP_VERSION } from '../../src/version.js';
import { COMPRESSIONS, META, forgeBlob, rejection, thrown } from './helpers.js';

const STATE = { mean: Float64Array.of(1, 2), n: 2 };

describe('header: every blob says what it is and who wrote it', () => {
  for (const compression of COMPRESSIONS) {
    it(`a ${compression} blob starts with the magic and format, and its header names writer, actor, stateVersion, encoding and compression`, async () => {
      const codec = new CborStateCodec({ compression });
      const blob = await codec.encode(STATE, META);
      expect(Array.from(blob.subarray(0, MAGIC.length))).toEqual([0x89, 0x53, 0x4b, 0x53, 0x0d, 0x0a, 0x1a, 0x0a]);
      expect(blob[8]).toBe(FORMAT);
      const header = codec.header(blob);
      expect(header).toEqual({
        format: 1,
        statekeep: STATEKEEP_VERSION,
        actor: 'scaler',
        stateVersion: 3,
        encoding: 'cbor',
        compression,
        size: expect.any(Number),
      });
      // The size is the body's length before compression.
      const body = blob.subarray(PREFIX_LENGTH + new DataView(blob.buffer, blob.byteOffset).getUint32(9));
      const plain =
        compression === 'gzip' ? gunzipSync(body) : compression === 'brotli' ? brotliDecompressSync(body) : body;
      expect(header.size).toBe(plain.byteLength);
    });
  }

  it('header() reads only the prefix and header: it works even when the body is garbage', async () => {
    const codec = new CborStateCodec();
    const blob = await codec.encode(STATE, META);
    const headerEnd = PREFIX_LENGTH + new DataView(blob.buffer, blob.byteOffset).getUint32(9);
    const damaged = blob.slice(0, headerEnd + 3).fill(0xff, headerEnd);
    expect(codec.header(damaged)).toMatchObject({ actor: 'scaler', stateVersion: 3 });
    await expect(codec.decode(damaged, META)).rejects.toMatchObject({ code: 'INTEGRITY' });
  });

  it('a state written with another stateVersion fails with INCOMPATIBLE_FORMAT naming the version that wrote it and the one needed', async () => {
    const codec = new CborStateCodec();
    const blob = await codec.encode(STATE, { actor: META.actor, stateVersion: 2 });
    const error = await rejection(codec.decode(blob, META));
    expect(error).toMatchObject({
      code: 'INCOMPATIBLE_FORMAT',
      data: {
        subject: 'state of actor "scaler"',
        found: `stateVersion 2 (written by statekeep ${STATEKEEP_VERSION})`,
        supported: 'stateVersion 3',
      },
    });
    // A newer stateVersion than the running code knows is refused the same way.
    await expect(
      codec.decode(await codec.encode(STATE, { actor: META.actor, stateVersion: 4 }), META),
    ).rejects.toMatchObject({
      code: 'INCOMPATIBLE_FORMAT',
      data: { found: `stateVersion 4 (written by statekeep ${STATEKEEP_VERSION})`, supported: 'stateVersion 3' },
    });
  });

  it('the stateVersion check comes before the body is read: a mismatch is reported even over a damaged body', async () => {
    const codec = new CborStateCodec();
    const blob = forgeBlob(Uint8Array.of(0xc1, 0xc1, 0xc1), { stateVersion: 1 });
    await expect(codec.decode(blob, META)).rejects.toMatchObject({
      code: 'INCOMPATIBLE_FORMAT',
      data: { found: `stateVersion 1 (written by statekeep ${STATEKEEP_VERSION})` },
    });
  });

  it('a state of another actor is INTEGRITY naming both actors', async () => {
    const codec = new CborStateCodec();
    const blob = await codec.encode(STATE, { actor: actorName('imputer'), stateVersion: 3 });
    const error = await rejection(codec.decode(blob, META));
    expect(error).toMatchObject({
      code: 'INTEGRITY',
      data: {
        actor: 'scaler',
        subject: 'state blob',
        expected: 'a state of actor "scaler"',
        actual: 'a state of actor "imputer"',
      },
    });
  });

  it('a newer format is INCOMPATIBLE_FORMAT naming both formats and the statekeep that wrote it, from decode and header()', async () => {
    const codec = new CborStateCodec();
    const blob = forgeBlob(Uint8Array.of(0xf6), { format: FORMAT + 1, statekeep: '9.4.0' });
    const expected = {
      code: 'INCOMPATIBLE_FORMAT',
      data: {
        subject: 'state of actor "scaler"',
        found: 'format 2 (written by statekeep 9.4.0)',
        supported: 'format 1',
      },
    };
    await expect(codec.decode(blob, META)).rejects.toMatchObject(expected);
    expect(thrown(() => codec.header(blob))).toMatchObject(expected);
  });

  it('a newer format whose header this statekeep cannot parse is still INCOMPATIBLE_FORMAT, by format alone', async () => {
    const blob = forgeBlob(Uint8Array.of(0xf6), { format: 7 });
    blob.fill(0xc7, PREFIX_LENGTH, PREFIX_LENGTH + 4);
    expect(thrown(() => new CborStateCodec().header(blob))).toMatchObject({
      code: 'INCOMPATIBLE_FORMAT',
      data: { subject: 'state blob', found: 'format 7', supported: 'format 1' },
    });
  });

  it('an encoding or compression this statekeep does not know is INCOMPATIBLE_FORMAT naming it', async () => {
    const codec = new CborStateCodec();
    expect(thrown(() => codec.header(forgeBlob(Uint8Array.of(0xf6), { encoding: 'msgpack' })))).toMatchObject({
      code: 'INCOMPATIBLE_FORMAT',
      data: { found: 'encoding "msgpack"', supported: 'encoding "cbor"' },
    });
    await expect(codec.decode(forgeBlob(Uint8Array.of(0xf6), { compression: 'zstd' }), META)).rejects.toMatchObject({
      code: 'INCOMPATIBLE_FORMAT',
      data: { found: 'compression "zstd"', supported: 'compression none, gzip, brotli' },
    });
  });

  it('a compression platform.yaml may not name is CONFIG at construction', () => {
    expect(thrown(() => new CborStateCodec({ compression: 'zstd' as never }))).toMatchObject({
      code: 'CONFIG',
      data: { key: 'compression' },
    });
  });

  it('the codec is named "cbor" for the manifest', () => {
    expect(new CborStateCodec().name).toBe('cbor');
  });
});
