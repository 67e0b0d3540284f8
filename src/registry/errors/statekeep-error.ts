/** Every code a StatekeepError can carry. The CLI maps each to an exit code in one table. */
export const ERROR_CODES = [
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'RELEASE_ORDER',
  'INTEGRITY',
  'INVALID_NAME',
  'INVALID_VERSION',
  'INCOMPATIBLE_FORMAT',
  'NOT_SERIALIZABLE',
  'BAD_DATA',
  'CONFIG',
  'USAGE',
  'UNAVAILABLE',
  'UNAUTHORIZED',
  'PROVIDER',
  'UNSUPPORTED',
  'USER_CODE',
  'INTERNAL',
  'CONFLICT',
  'IN_USE',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorData = Record<string, unknown>;

export interface StatekeepErrorJSON {
  name: string;
  code: ErrorCode;
  message: string;
  hint: string;
  data: ErrorData;
}

/**
 * The brand every statekeep error carries. `Symbol.for` gives the same symbol in every copy of
 * statekeep in a process, so an error thrown by a provider built against another copy is still
 * recognised, where `instanceof` would not see it.
 */
export const STATEKEEP_ERROR = Symbol.for('statekeep.error');

const CODES: ReadonlySet<string> = new Set(ERROR_CODES);

/**
 * The one base class of statekeep's errors: a literal `code` to branch on, structured `data`,
 * a one-line `message` saying what happened and where, and a `hint` saying what to do.
 * Recognise them with isStatekeepError() or hasCode(), never with instanceof.
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

  get [STATEKEEP_ERROR](): true {
    return true;
  }

  toJSON(): StatekeepErrorJSON {
    return { name: this.name, code: this.code, message: this.message, hint: this.hint, data: this.data };
  }
}

/**
 * Whether `error` is a statekeep error, from this copy of statekeep or any other: by its brand,
 * a known code, and a message, hint and data. Another copy's error has the same shape, which
 * is what the type claims; a provider may also brand a class of its own.
 */
export function isStatekeepError(error: unknown): error is StatekeepError {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as Partial<Record<PropertyKey, unknown>>;
  return (
    e[STATEKEEP_ERROR] === true &&
    typeof e.code === 'string' &&
    CODES.has(e.code) &&
    typeof e.message === 'string' &&
    typeof e.hint === 'string' &&
    typeof e.data === 'object' &&
    e.data !== null
  );
}

/** Whether `error` is a statekeep error with this code: `hasCode(error, 'NOT_FOUND')`. */
export function hasCode<C extends ErrorCode>(error: unknown, code: C): error is StatekeepError & { readonly code: C } {
  return isStatekeepError(error) && error.code === code;
}
