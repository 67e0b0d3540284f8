// The frame around every state body: a fixed prefix (magic, format version, header length) and a
// small CBOR header map. The prefix layout and the header's "statekeep" and "actor" keys are
// frozen across format versions, so any statekeep can say who wrote a blob it cannot read.
import { IncompatibleFormatError } from '../registry/errors/index.js';
import { isActorName } from '../registry/names.js';
import { isCount } from '../registry/stored-json.js';
import { Malformed } from './cbor-reader.js';
import type { CborWriter } from './cbor-writer.js';
import { decodeItem } from './state-decoder.js';
import { COMPRESSIONS, type Compression, type StateHeader } from './state-codec.js';

/** "\x89SKS\r\n\x1a\n": a high-bit byte and line-ending guards, after PNG, so mangled copies are caught. */
export const MAGIC = Uint8Array.of(0x89, 0x53, 0x4b, 0x53, 0x0d, 0x0a, 0x1a, 0x0a);
/** The blob format this statekeep writes and the newest it reads. */
export const FORMAT = 1;
export const ENCODING = 'cbor';
/** magic, one format byte, a big-endian uint32 header length. */
export const PREFIX_LENGTH = MAGIC.length + 1 + 4;
/** A header is a few dozen bytes; a longer length field is damage, not a header to trust. */
export const MAX_HEADER_LENGTH = 64 * 1024;

export interface Frame {
  header: StateHeader;
  /** Where the (possibly compressed) body starts. */
  bodyStart: number;
}

/** Writes prefix and header; returns where the 8-byte body size goes once the body is written. */
export function writeFrame(writer: CborWriter, header: Omit<StateHeader, 'format' | 'size'>): number {
  writer.raw(MAGIC);
  writer.byte(FORMAT);
  const lengthAt = writer.length;
  writer.raw(new Uint8Array(4));
  const start = writer.length;
  writer.head(5, 6);
  for (const [key, value] of [
    ['statekeep', header.statekeep],
    ['actor', header.actor],
  ] as const) {
    writer.text(key);
    writer.text(value);
  }
  writer.text('stateVersion');
  writer.integer(header.stateVersion);
  writer.text('encoding');
  writer.text(header.encoding);
  writer.text('compression');
  writer.text(header.compression);
  writer.text('size');
  const sizeAt = writer.head64(0, 0);
  writer.patchUint32(lengthAt, writer.length - start);
  return sizeAt;
}

/**
 * Reads prefix and header. Throws Malformed when the bytes are not a statekeep state, and
 * IncompatibleFormatError when they are one this statekeep cannot read.
 */
export function readFrame(bytes: Uint8Array): Frame {
  if (bytes.byteLength < PREFIX_LENGTH || MAGIC.some((byte, i) => bytes[i] !== byte)) {
    throw new Malformed(
      `bytes that do not start with the statekeep state magic (they start ${hex(bytes.subarray(0, MAGIC.length))})`,
    );
  }
  const format = bytes[MAGIC.length]!;
  if (format === 0) throw new Malformed('format version 0, which no statekeep writes');
  if (format > FORMAT) {
    let fields: Record<string, unknown> = {};
    try {
      fields = readHeaderMap(bytes);
    } catch {
      // A newer header may hold what this statekeep cannot parse; the format alone is reason enough.
    }
    throw newerFormat(format, fields);
  }
  const fields = readHeaderMap(bytes);
  const header: StateHeader = {
    format,
    statekeep: field(fields, 'statekeep', (v) => typeof v === 'string'),
    actor: field(fields, 'actor', isActorName),
    stateVersion: field(fields, 'stateVersion', isCount),
    encoding: field(fields, 'encoding', (v) => typeof v === 'string'),
    compression: field(fields, 'compression', (v) => typeof v === 'string') as Compression,
    size: field(fields, 'size', isCount),
  };
  const subject = `state of actor ${JSON.stringify(header.actor)}`;
  if (header.encoding !== ENCODING) {
    throw new IncompatibleFormatError(
      { subject, found: `encoding ${JSON.stringify(header.encoding)}`, supported: `encoding "${ENCODING}"` },
      upgrade(header.statekeep),
    );
  }
  if (!COMPRESSIONS.includes(header.compression)) {
    throw new IncompatibleFormatError(
      {
        subject,
        found: `compression ${JSON.stringify(header.compression)}`,
        supported: `compression ${COMPRESSIONS.join(', ')}`,
      },
      upgrade(header.statekeep),
    );
  }
  return { header, bodyStart: PREFIX_LENGTH + headerLength(bytes) };
}

function headerLength(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(MAGIC.length + 1);
}

function readHeaderMap(bytes: Uint8Array): Record<string, unknown> {
  const length = headerLength(bytes);
  if (length > MAX_HEADER_LENGTH || PREFIX_LENGTH + length > bytes.byteLength) {
    throw new Malformed(`a header length of ${length} bytes in a blob of ${bytes.byteLength}`);
  }
  const raw = decodeItem(bytes, PREFIX_LENGTH, PREFIX_LENGTH + length);
  if (typeof raw !== 'object' || raw === null || Object.getPrototypeOf(raw) !== Object.prototype) {
    throw new Malformed('a header that is not a CBOR map');
  }
  return raw as Record<string, unknown>;
}

function field<T>(fields: Record<string, unknown>, key: string, valid: (value: unknown) => boolean): T {
  const value = fields[key];
  if (!Object.hasOwn(fields, key) || !valid(value))
    throw new Malformed(`a header whose "${key}" is missing or of the wrong type`);
  return value as T;
}

function newerFormat(format: number, fields: Record<string, unknown>): IncompatibleFormatError {
  // Frozen keys, read with care: everything else about a newer header is unknown.
  const writer = typeof fields.statekeep === 'string' ? fields.statekeep : undefined;
  const actor = typeof fields.actor === 'string' ? fields.actor : undefined;
  return new IncompatibleFormatError(
    {
      subject: actor === undefined ? 'state blob' : `state of actor ${JSON.stringify(actor)}`,
      found: `format ${format}${writer === undefined ? '' : ` (written by statekeep ${writer})`}`,
      supported: `format ${FORMAT}`,
    },
    upgrade(writer),
  );
}

function upgrade(writer: string | undefined): string {
  return writer === undefined
    ? 'upgrade statekeep to read this state'
    : `upgrade statekeep to ${writer} or later to read this state`;
}

function hex(bytes: Uint8Array): string {
  return bytes.length === 0 ? 'empty' : `0x${Buffer.from(bytes).toString('hex')}`;
}
