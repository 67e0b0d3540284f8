import { StatekeepError } from './statekeep-error.js';

export interface UnsupportedData {
  [key: string]: unknown;
  provider: string;
  operation: string;
}

/** The selected registry backend does not offer an optional operation. */
export class UnsupportedError extends StatekeepError<UnsupportedData> {
  static readonly code = 'UNSUPPORTED' as const;
  readonly code = UnsupportedError.code;

  constructor(data: UnsupportedData, hint: string) {
    super(`the ${data.provider} registry does not support ${data.operation}`, hint, data);
  }
}
