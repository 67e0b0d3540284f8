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

/**
 * Opens a JSON document statekeep stored: bytes that are not a JSON object are damage
 * (IntegrityError), and a newer `format` is refused naming both versions, before any other
 * field is looked at. Checking the fields is the caller's.
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
  if (raw.format !== doc.format) throw damaged(`format ${JSON.stringify(raw.format)}`);
  return { raw, damaged };
}
