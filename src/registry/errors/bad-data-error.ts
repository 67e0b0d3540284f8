import { StatekeepError } from './statekeep-error.js';

export interface BadDataData {
  [key: string]: unknown;
  file: string;
  line?: number;
  column?: string;
  problem: string;
}

/** A data file given to train, tune or apply cannot be used as it is. */
export class BadDataError extends StatekeepError<BadDataData> {
  static readonly code = 'BAD_DATA' as const;
  readonly code = BadDataError.code;

  constructor(data: BadDataData, hint: string) {
    super(`${data.file}${data.line !== undefined ? `:${data.line}` : ''}: ${data.problem}`, hint, data);
  }
}
