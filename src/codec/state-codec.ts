import type { ActorName } from '../registry/names.js';

/** How a state body is compressed inside its blob; set once per platform in platform.yaml. */
export type Compression = 'none' | 'gzip' | 'brotli';

export const COMPRESSIONS: readonly Compression[] = ['none', 'gzip', 'brotli'];

/** What every encoded state carries in front of its body, readable without decoding the body. */
export interface StateHeader {
  /** Codec format version of the blob layout. */
  format: number;
  /** The statekeep version that wrote the state. */
  statekeep: string;
  actor: ActorName;
  /** The actor's own state version (0 when the actor declares none). */
  stateVersion: number;
  encoding: string;
  compression: Compression;
  /** Length in bytes of the encoded body before compression. */
  size: number;
}

export interface StateMeta {
  actor: ActorName;
  stateVersion: number;
}

/**
 * Turns an actor's state into bytes and back. Implementations are stable and language-neutral:
 * a state written today loads on later Node versions and from other languages.
 */
export interface StateCodec {
  /** Recorded in each manifest state entry, e.g. "cbor". */
  readonly name: string;
  /** Throws NotSerializableError naming the actor and the path inside the state. */
  encode(state: unknown, meta: StateMeta): Promise<Uint8Array>;
  /**
   * Throws IncompatibleFormatError when the blob's format or stateVersion is not the expected one,
   * and IntegrityError when the bytes are not a well-formed state of the expected actor.
   * The state may share memory with `bytes` (typed arrays are views into them, as with
   * v8.deserialize): pass bytes nobody else will modify or reuse.
   */
  decode(bytes: Uint8Array, expected: StateMeta): Promise<unknown>;
  /** Reads only the header. */
  header(bytes: Uint8Array): StateHeader;
}
