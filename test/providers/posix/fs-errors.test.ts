import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../../src/registry/errors/index.js';
import { translateFsError } from '../../../src/providers/posix/fs-errors.js';

const SITE = { operation: 'write a blob', root: '/srv/registry' };

function osError(code: string, path = '/srv/registry/v1/projects/p/blobs'): Error {
  return Object.assign(new Error(`${code}: failed`), { code, syscall: 'open', path });
}

describe('posix file system errors', () => {
  it('map to typed errors that keep the operation and the OS error as cause', () => {
    const table: [string, string][] = [
      ['EACCES', 'PROVIDER'],
      ['EPERM', 'PROVIDER'],
      ['EROFS', 'PROVIDER'],
      ['ENOSPC', 'PROVIDER'],
      ['EDQUOT', 'PROVIDER'],
      ['EMFILE', 'PROVIDER'],
      ['EIO', 'PROVIDER'],
      ['EXDEV', 'PROVIDER'],
      ['ENOTDIR', 'CONFIG'],
      ['ESTALE', 'UNAVAILABLE'],
      ['ETIMEDOUT', 'UNAVAILABLE'],
      ['EWHATEVER', 'PROVIDER'],
    ];
    for (const [errno, code] of table) {
      const cause = osError(errno);
      const error = translateFsError(cause, SITE) as {
        code: string;
        data: Record<string, unknown>;
        cause: unknown;
        hint: string;
      };
      expect({ errno, code: error.code }).toEqual({ errno, code });
      expect(error.cause).toBe(cause);
      expect(error.hint.length).toBeGreaterThan(0);
      if (code === 'PROVIDER') expect(error.data).toMatchObject({ provider: 'posix', operation: 'write a blob' });
      if (code === 'UNAVAILABLE') expect(error.data).toMatchObject({ provider: 'posix', target: '/srv/registry' });
    }
  });

  it('leave statekeep errors and programming errors as they are', () => {
    const notFound = new NotFoundError({ what: 'blob', project: 'p' }, 'hint');
    expect(translateFsError(notFound, SITE)).toBe(notFound);
    const bug = Object.assign(new TypeError('bad argument'), { code: 'ERR_INVALID_ARG_TYPE' });
    expect(translateFsError(bug, SITE)).toBe(bug);
    const plain = new Error('no code');
    expect(translateFsError(plain, SITE)).toBe(plain);
  });
});
