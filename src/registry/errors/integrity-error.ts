import { StatekeepError } from './statekeep-error.js';
import { where, type Location } from './where.js';

export interface IntegrityData extends Location {
  [key: string]: unknown;
  /** What was damaged: a state blob, a manifest, a package. */
  subject: string;
  /** The file that was checked, when it is not named by the location: "package.tgz", "payload/index.mjs". */
  file?: string;
  expected: string;
  actual: string;
}

/** Stored bytes do not match what their manifest promises. Nothing damaged is ever returned. */
export class IntegrityError extends StatekeepError<IntegrityData> {
  static readonly code = 'INTEGRITY' as const;
  readonly code = IntegrityError.code;

  constructor(
    data: IntegrityData,
    hint = 'the registry is damaged; apply or roll back to another generation, and restore the registry from a copy',
    options?: { cause?: unknown },
  ) {
    super(
      `${data.subject} failed verification${placeOf(data)}: expected ${data.expected}, found ${data.actual}`,
      hint,
      data,
      options,
    );
  }
}

// Never an empty " at ": the place is said as far as it is known, or not at all.
function placeOf(data: IntegrityData): string {
  const place = [where(data), data.file === undefined ? '' : `file ${data.file}`].filter((p) => p !== '').join(', ');
  return place === '' ? '' : ` at ${place}`;
}
