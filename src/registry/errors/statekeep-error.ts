/** Every code a StatekeepError can carry. The CLI maps each to an exit code in one table. */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'RELEASE_ORDER'
  | 'INTEGRITY'
  | 'INVALID_NAME'
  | 'INVALID_VERSION'
  | 'INCOMPATIBLE_FORMAT'
  | 'NOT_SERIALIZABLE'
  | 'BAD_DATA'
  | 'CONFIG'
  | 'USAGE'
  | 'UNAVAILABLE'
  | 'UNAUTHORIZED'
  | 'PROVIDER'
  | 'UNSUPPORTED'
  | 'CONFLICT';

export type ErrorData = Record<string, unknown>;

export interface StatekeepErrorJSON {
  name: string;
  code: ErrorCode;
  message: string;
  hint: string;
  data: ErrorData;
}

/**
 * The one base class of statekeep's errors: a literal `code` to branch on, structured `data`,
 * a one-line `message` saying what happened and where, and a `hint` saying what to do.
 */
export abstract class StatekeepError<D extends ErrorData = ErrorData> extends Error {
  abstract readonly code: ErrorCode;
  readonly data: D;
  readonly hint: string;

  constructor(message: string, hint: string, data: D, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.data = data;
    this.hint = hint;
  }

  toJSON(): StatekeepErrorJSON {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}

export function isStatekeepError(error: unknown): error is StatekeepError {
  return error instanceof StatekeepError;
}
