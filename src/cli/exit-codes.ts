import type { ErrorCode } from '../registry/errors/index.js';

export const EXIT_OK = 0;
/** Something failed while doing what was asked: not found, damaged, unreachable. */
export const EXIT_FAILURE = 1;
/** What was asked cannot work as written: bad arguments, names, versions or configuration. */
export const EXIT_USAGE = 2;

export type ExitCode = typeof EXIT_OK | typeof EXIT_FAILURE | typeof EXIT_USAGE;

/** The one table from error code to exit status. A Record, so a new ErrorCode will not compile until it is placed here. */
export const EXIT_CODES: Readonly<Record<ErrorCode, ExitCode>> = {
  NOT_FOUND: EXIT_FAILURE,
  ALREADY_EXISTS: EXIT_FAILURE,
  RELEASE_ORDER: EXIT_FAILURE,
  INTEGRITY: EXIT_FAILURE,
  NOT_SERIALIZABLE: EXIT_FAILURE,
  BAD_DATA: EXIT_FAILURE,
  UNAVAILABLE: EXIT_FAILURE,
  UNAUTHORIZED: EXIT_FAILURE,
  PROVIDER: EXIT_FAILURE,
  UNSUPPORTED: EXIT_FAILURE,
  INCOMPATIBLE_FORMAT: EXIT_FAILURE,
  USER_CODE: EXIT_FAILURE,
  INTERNAL: EXIT_FAILURE,
  CONFLICT: EXIT_FAILURE,
  IN_USE: EXIT_FAILURE,
  INVALID_NAME: EXIT_USAGE,
  INVALID_VERSION: EXIT_USAGE,
  CONFIG: EXIT_USAGE,
  USAGE: EXIT_USAGE,
};
