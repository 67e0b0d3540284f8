import { StatekeepError } from './statekeep-error.js';

export interface IncompatibleFormatData {
  [key: string]: unknown;
  /** What carries the format: "registry at /path", "state of actor scaler", "package iris 1.0.0". */
  subject: string;
  found: string;
  supported: string;
}

/** Stored data was written in a format this statekeep cannot read (usually a newer one). */
export class IncompatibleFormatError extends StatekeepError<IncompatibleFormatData> {
  static readonly code = 'INCOMPATIBLE_FORMAT' as const;
  readonly code = IncompatibleFormatError.code;

  constructor(data: IncompatibleFormatData, hint: string) {
    super(`${data.subject} was written in format ${data.found}; this statekeep reads ${data.supported}`, hint, data);
  }
}
