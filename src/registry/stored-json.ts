import { digestOf } from './digest.js';
import { IncompatibleFormatError, IntegrityError, type Location } from './errors/index.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A whole, non-negative number: sizes, counts, versions. */
export function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

export interface StoredDocument {
  /** What it is, for messages: "generation manifest", "release record", "package manifest". */
  subject: string;
  /** The format this statekeep writes and reads. */
  format: number;
  /** The oldest format still read (default: only `format`). */
  oldest?: number;
  /** Where it was read from, for messages. */
  at: Location;
  /** What to do about damage. */
  hint?: string;
}

export interface StoredJson {
  raw: Record<string, unknown>;
  /** The IntegrityError for a document whose content turns out to be wrong. */
  damaged(actual: string): IntegrityError;
}

/** The field that seals a stored document: the digest of the canonical form of all its other fields. */
export const CHECKSUM_FIELD = 'checksum';

/**
 * A document's bytes as statekeep stores them: readable JSON with a trailing checksum over the
 * canonical form of the rest, so that any edit of a value (a metric, a count, a time, a name) is
 * caught on every read, on every provider. A checksum is not a signature: it catches damage and
 * careless edits, not someone who recomputes it.
 */
export function sealDocument(doc: object): Uint8Array {
  // The checksum covers what JSON keeps, which is all a reader sees: a Date, a function or an
  // array hole in caller-supplied values (tuning params) becomes a string, nothing or null.
  const stored = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  const sealed = { ...stored, [CHECKSUM_FIELD]: checksumOf(stored) };
  return Buffer.from(`${JSON.stringify(sealed, null, 2)}\n`, 'utf8');
}

function checksumOf(doc: Record<string, unknown>): string {
  return digestOf(Buffer.from(canonicalJson(doc), 'utf8'));
}

/** JSON with object keys sorted at every level and no whitespace: one spelling per value. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Opens a JSON document statekeep stored: bytes that are not a JSON object are damage
 * (IntegrityError), and a newer `format` is refused naming both versions, before any other
 * field is looked at; then its checksum, when it has one, must match the rest. Checking the
 * fields is the caller's; `raw` comes without the checksum.
 */
export function readStoredJson(bytes: Uint8Array, doc: StoredDocument): StoredJson {
  const damaged = (actual: string): IntegrityError =>
    new IntegrityError(
      { ...doc.at, subject: doc.subject, expected: `a format ${doc.format} ${doc.subject}`, actual },
      doc.hint,
    );
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw damaged('bytes that are not JSON');
  }
  if (!isRecord(raw)) throw damaged('JSON that is not an object');
  if (typeof raw.format === 'number' && raw.format > doc.format) {
    const of = [
      doc.at.project,
      doc.at.release,
      doc.at.generation === undefined ? undefined : `generation ${doc.at.generation}`,
    ]
      .filter(Boolean)
      .join(' ');
    throw new IncompatibleFormatError(
      { subject: `${doc.subject}${of ? ` of ${of}` : ''}`, found: String(raw.format), supported: String(doc.format) },
      `it was written by a newer statekeep; upgrade statekeep to read it`,
    );
  }
  const oldest = doc.oldest ?? doc.format;
  if (!Number.isInteger(raw.format) || (raw.format as number) < oldest)
    throw damaged(`format ${JSON.stringify(raw.format)}`);
  // Documents written before checksums existed have none and are read as they are: registries
  // hold them, and a checksum only ever proved freedom from damage, never who wrote a document.
  if (!(CHECKSUM_FIELD in raw)) return { raw, damaged };
  const { [CHECKSUM_FIELD]: checksum, ...rest } = raw;
  if (checksum !== checksumOf(rest)) throw damaged('content that does not match its checksum');
  return { raw: rest, damaged };
}
