import {
  ConfigError,
  IncompatibleFormatError,
  IntegrityError,
  NotSerializableError,
  UsageError,
} from '../registry/errors/index.js';
import { actorName, type ActorName } from '../registry/names.js';
import { STATEKEEP_VERSION } from '../version.js';
import { ENCODING, FORMAT, readFrame, writeFrame, type Frame } from './blob-frame.js';
import { Malformed } from './cbor-reader.js';
import { CborWriter } from './cbor-writer.js';
import { compress, decompress } from './compression.js';
import { COMPRESSIONS, type Compression, type StateCodec, type StateHeader, type StateMeta } from './state-codec.js';
import { decodeItem } from './state-decoder.js';
import { encodeState, Refusal } from './state-encoder.js';
import { formatPath } from './state-path.js';

export interface CborStateCodecOptions {
  /** platform.yaml's choice; "none" when absent. */
  compression?: Compression;
}

/**
 * The default state codec: a statekeep frame around a CBOR body (see docs/state-format.md).
 * The CBOR is written and read by statekeep's own strict subset codec rather than a general
 * library, so that -0, undefined and typed arrays round-trip exactly and no tag in stored data
 * can make the decoder build anything but plain data.
 */
export class CborStateCodec implements StateCodec {
  readonly name = ENCODING;
  readonly compression: Compression;

  constructor(options?: CborStateCodecOptions) {
    const compression = options?.compression ?? 'none';
    if (!COMPRESSIONS.includes(compression)) {
      throw new ConfigError(
        { key: 'compression', problem: `unknown compression ${JSON.stringify(compression)}` },
        `use one of ${COMPRESSIONS.join(', ')}`,
      );
    }
    this.compression = compression;
  }

  async encode(state: unknown, meta: StateMeta): Promise<Uint8Array> {
    const actor = actorName(meta.actor);
    const stateVersion = checkStateVersion(meta.stateVersion);
    const writer = new CborWriter();
    const sizeAt = writeFrame(writer, {
      statekeep: STATEKEEP_VERSION,
      actor,
      stateVersion,
      encoding: ENCODING,
      compression: this.compression,
    });
    const bodyStart = writer.length;
    // The whole state is read synchronously, before any await: an actor that goes on mutating
    // it cannot leak a half-changed state into the blob. Typed arrays are aligned for the buffer
    // the reader will hold: the whole blob when plain, the decompressed body otherwise.
    try {
      encodeState(state, writer, this.compression === 'none' ? 0 : bodyStart);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      throw new NotSerializableError({ actor, path: formatPath(error.steps.reverse()), reason: error.reason });
    }
    writer.patchUint64(sizeAt, writer.length - bodyStart);
    const blob = writer.finish();
    if (this.compression === 'none') return blob;
    const body = await compress(blob.subarray(bodyStart), this.compression);
    const out = new Uint8Array(bodyStart + body.byteLength);
    out.set(blob.subarray(0, bodyStart));
    out.set(body, bodyStart);
    return out;
  }

  async decode(bytes: Uint8Array, expected: StateMeta): Promise<unknown> {
    const { header, bodyStart } = this.frame(bytes, expected.actor);
    // Check who wrote it before touching the body: an old state fails here, plainly, instead of
    // deep inside the actor with an obscure error.
    if (header.actor !== expected.actor) {
      throw damaged(
        expected.actor,
        `a state of actor ${JSON.stringify(header.actor)}`,
        `a state of actor ${JSON.stringify(expected.actor)}`,
      );
    }
    if (header.stateVersion !== expected.stateVersion) {
      throw new IncompatibleFormatError(
        {
          subject: `state of actor ${JSON.stringify(header.actor)}`,
          found: `stateVersion ${header.stateVersion} (written by statekeep ${header.statekeep})`,
          supported: `stateVersion ${expected.stateVersion}`,
        },
        `retrain actor ${JSON.stringify(header.actor)} with this release, or roll back to a generation written with stateVersion ${expected.stateVersion}`,
      );
    }
    try {
      const body = await decompress(bytes.subarray(bodyStart), header.compression, header.size);
      return decodeItem(body);
    } catch (error) {
      if (error instanceof Malformed) throw damaged(expected.actor, error.message);
      throw error;
    }
  }

  header(bytes: Uint8Array): StateHeader {
    return this.frame(bytes, undefined).header;
  }

  private frame(bytes: Uint8Array, actor: ActorName | undefined): Frame {
    try {
      return readFrame(bytes);
    } catch (error) {
      if (error instanceof Malformed) throw damaged(actor, error.message);
      throw error;
    }
  }
}

function damaged(
  actor: ActorName | undefined,
  actual: string,
  expected = `a statekeep state blob (format ${FORMAT}, CBOR)`,
): IntegrityError {
  return new IntegrityError({ ...(actor === undefined ? {} : { actor }), subject: 'state blob', expected, actual });
}

function checkStateVersion(value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new UsageError(`invalid stateVersion ${String(value)}`, 'declare stateVersion as a whole number, 0 or more', {
      argument: 'stateVersion',
    });
  }
  return value;
}
