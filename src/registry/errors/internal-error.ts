import { StatekeepError } from './statekeep-error.js';

export interface InternalData {
  [key: string]: unknown;
}

/** Something failed that statekeep did not expect: a bug of statekeep or of a provider. The original is the cause. */
export class InternalError extends StatekeepError<InternalData> {
  static readonly code = 'INTERNAL' as const;
  readonly code = InternalError.code;

  constructor(cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(
      `internal error: ${message.split('\n')[0]!.trim()}`,
      'rerun with --debug for the stack trace, and report it',
      {},
      { cause },
    );
  }
}
