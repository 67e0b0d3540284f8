import { StatekeepError } from './statekeep-error.js';
import { where, type Location } from './where.js';

export interface IntegrityData extends Location {
  [key: string]: unknown;
  /** What was damaged: a state blob, a manifest, a package. */
  subject: string;
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
  ) {
    super(
      `${data.subject} failed verification at ${where(data)}: expected ${data.expected}, found ${data.actual}`,
      hint,
      data,
    );
  }
}
