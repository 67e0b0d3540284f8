import { StatekeepError } from './statekeep-error.js';

export interface UsageData {
  [key: string]: unknown;
  argument?: string;
}

/** A command or API call was given arguments that cannot work. */
export class UsageError extends StatekeepError<UsageData> {
  static readonly code = 'USAGE' as const;
  readonly code = UsageError.code;

  constructor(message: string, hint: string, data: UsageData = {}) {
    super(message, hint, data);
  }
}
