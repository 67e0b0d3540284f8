import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import {
  ConfigError,
  isStatekeepError,
  ProviderError,
  UnavailableError,
  type StatekeepError,
} from '../../registry/errors/index.js';

/** An error from node:fs: it carries the errno name, and usually the syscall and the path. */
export interface ErrnoError extends Error {
  code: string;
  syscall?: string;
  path?: string;
}

// Errno names only (EACCES, ENOSPC …): Node's own ERR_* codes mean a bug, not the file system.
function isErrnoError(error: unknown): error is ErrnoError {
  const code = error instanceof Error ? (error as Partial<ErrnoError>).code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code);
}

export function isErrno(error: unknown, ...codes: string[]): error is ErrnoError {
  return isErrnoError(error) && codes.includes(error.code);
}

/** What a failure is attributed to: the operation the caller asked for, and the registry root. */
export interface FailureSite {
  operation: string;
  root: string;
}

// Failures of a network file system (NFS, SMB) that say the server went away, not that the
// registry is wrong: a retry later can succeed.
const UNREACHABLE = [
  'ESTALE',
  'ETIMEDOUT',
  'EHOSTDOWN',
  'EHOSTUNREACH',
  'ENOTCONN',
  'ECONNRESET',
  'ENETDOWN',
  'ENETUNREACH',
];

/**
 * Turns an operating-system error into a typed statekeep error that names the path and says what
 * to do. Statekeep errors pass through; anything that is not an OS error (a bug) is left alone.
 * A missing item never reaches here: each reader maps its own ENOENT to NotFoundError.
 */
export function translateFsError(error: unknown, site: FailureSite): unknown {
  if (isStatekeepError(error) || !isErrnoError(error)) return error;
  const path = error.path ?? site.root;
  const code = error.code === 'ENOENT' && error.syscall === 'mkdir' ? causeOfMissingParent(path) : error.code;
  const fail = (detail: string, hint: string): StatekeepError =>
    new ProviderError(
      {
        provider: 'posix',
        operation: site.operation,
        detail: `${detail} (${code}${error.syscall ? ` in ${error.syscall}` : ''})`,
        errno: code,
      },
      hint,
      { cause: error },
    );
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return fail(
        `permission denied on ${path}`,
        `let the user running statekeep read and write ${site.root}, or point the registry's path at a directory it owns`,
      );
    case 'EROFS':
      return fail(
        `the registry ${site.root} is on a read-only file system (writing ${path})`,
        "remount it read-write, or point the registry's path at a directory on a writable file system",
      );
    case 'ENOSPC':
    case 'EDQUOT':
      return fail(
        `no space left for ${path}`,
        `free space (or raise the quota) on the file system of ${site.root}; \`statekeep cleanup\` removes what crashed writers left behind`,
      );
    case 'EMFILE':
    case 'ENFILE':
      return fail('too many open files', 'raise the open-file limit (ulimit -n) or run fewer writers at once');
    case 'EIO':
      return fail(
        `an I/O error on ${path}`,
        `check the disk and the file system of ${site.root}; the registry verifies every read, so damaged data is never returned`,
      );
    case 'ENOTDIR':
    case 'EEXIST':
    case 'EISDIR':
      return new ConfigError(
        {
          key: 'path',
          problem: `${path} is in the way: a file stands where the registry ${site.root} needs a directory, or a directory where it needs a file`,
        },
        'point path at an empty directory or at a statekeep registry, and leave its contents to statekeep',
        { cause: error },
      );
    case 'ENOTSUP':
    case 'EOPNOTSUPP':
    case 'EXDEV':
      return fail(
        `the file system of ${path} does not support an operation the registry needs (hard links in one directory)`,
        'keep a posix registry on a local or NFS file system that supports hard links',
      );
    default:
      if (UNREACHABLE.includes(code)) {
        return new UnavailableError(
          { provider: 'posix', target: site.root, reason: `${code} on ${path}` },
          'check that the network file system holding the registry is mounted and reachable, then retry',
          { cause: error },
        );
      }
      return fail(`an unexpected file system error on ${path}`, `check the file system of ${site.root}`);
  }
}

/**
 * Node's recursive mkdir reports any failure to make a missing parent as ENOENT, whatever its
 * cause (a read-only file system, a permission): the nearest existing ancestor tells the
 * cause. ENOENT stays when it is writable (a directory removed meanwhile).
 */
function causeOfMissingParent(path: string): string {
  for (let dir = path; ; dir = dirname(dir)) {
    try {
      accessSync(dir, constants.W_OK);
      return 'ENOENT';
    } catch (error) {
      const code = (error as Partial<ErrnoError>).code;
      if (code !== 'ENOENT' || dir === dirname(dir)) return code ?? 'ENOENT';
    }
  }
}
