import { StatekeepError } from './statekeep-error.js';

export interface UnavailableData {
  [key: string]: unknown;
  provider: string;
  target: string;
  reason: string;
}

/** A registry backend could not be reached (refused, timed out, or kept failing). */
export class UnavailableError extends StatekeepError<UnavailableData> {
  static readonly code = 'UNAVAILABLE' as const;
  readonly code = UnavailableError.code;

  constructor(data: UnavailableData, hint: string, options?: { cause?: unknown }) {
    super(`${data.provider} registry at ${data.target} is unavailable: ${data.reason}`, hint, data, options);
  }
}
