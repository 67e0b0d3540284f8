import { FORMAT, writeFrame } from '../../src/codec/blob-frame.js';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { CborWriter } from '../../src/codec/cbor-writer.js';
import type { Compression, StateMeta } from '../../src/codec/state-codec.js';
import { actorName } from '../../src/registry/names.js';
import { STATEKEEP_VERSION } from '../../src/version.js';

export const META: StateMeta = { actor: actorName('scaler'), stateVersion: 3 };
export const COMPRESSIONS: Compression[] = ['none', 'gzip', 'brotli'];

export async function roundTrip(state: unknown, codec = new CborStateCodec()): Promise<unknown> {
  return codec.decode(await codec.encode(state, META), META);
}

/** What a promise rejected with; fails the test when it resolved. */
export async function rejection(promise: Promise<unknown>): Promise<{ code: string; data: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; data: Record<string, unknown> };
  }
  throw new Error('expected a rejection, got a value');
}

export function thrown(run: () => unknown): { code: string; data: Record<string, unknown> } {
  try {
    run();
  } catch (error) {
    return error as { code: string; data: Record<string, unknown> };
  }
  throw new Error('expected an error, got a value');
}

export interface Forged {
  statekeep?: string;
  actor?: string;
  stateVersion?: number;
  encoding?: string;
  compression?: string;
  /** The header's body size; the real body length when absent. */
  size?: number;
  format?: number;
}

/**
 * A blob with a real statekeep frame around any body bytes: how a hostile or foreign writer
 * would get past the frame checks to the body decoder.
 */
export function forgeBlob(body: Uint8Array, forged: Forged = {}): Uint8Array {
  const writer = new CborWriter(256);
  const sizeAt = writeFrame(writer, {
    statekeep: forged.statekeep ?? STATEKEEP_VERSION,
    actor: actorName(forged.actor ?? META.actor),
    stateVersion: forged.stateVersion ?? META.stateVersion,
    encoding: forged.encoding ?? 'cbor',
    compression: (forged.compression ?? 'none') as Compression,
  });
  writer.patchUint64(sizeAt, forged.size ?? body.byteLength);
  writer.raw(body);
  const blob = writer.finish().slice();
  blob[8] = forged.format ?? FORMAT;
  return blob;
}

export function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}
