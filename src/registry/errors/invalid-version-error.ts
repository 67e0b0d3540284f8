import { StatekeepError } from './statekeep-error.js';
import { quote } from './where.js';

export interface InvalidVersionData {
  [key: string]: unknown;
  kind: 'release version' | 'generation number';
  value: string;
  /** The longest value allowed, when the value is too long. */
  limit?: number;
}

/** A release version is not semver, or a generation number is not a positive integer. */
export class InvalidVersionError extends StatekeepError<InvalidVersionData> {
  static readonly code = 'INVALID_VERSION' as const;
  readonly code = InvalidVersionError.code;

  constructor(data: InvalidVersionData, hint: string) {
    super(`invalid ${data.kind} ${quote(data.value)}`, hint, data);
  }
}
