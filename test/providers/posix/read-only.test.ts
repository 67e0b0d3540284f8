import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PosixProvider } from '../../../src/providers/posix/posix-provider.js';
import { Registry } from '../../../src/registry/registry.js';

// A real read-only file system: a bind mount of a temp directory, remounted read-only (needs root).
let base: string;
let mounted: string;

beforeAll(async () => {
  base = mkdtempSync(path.join(os.tmpdir(), 'statekeep-erofs-'));
  const source = path.join(base, 'source');
  mounted = path.join(base, 'mounted');
  mkdirSync(source);
  mkdirSync(mounted);
  const registry = new Registry(new PosixProvider({ path: path.join(source, 'registry') }));
  await registry.publishRelease('p', '1.0.0', { payload: new Uint8Array([1]) });
  execFileSync('mount', ['--bind', source, mounted]);
  execFileSync('mount', ['-o', 'remount,ro,bind', mounted]);
});

afterAll(() => {
  if (mounted !== undefined) execFileSync('umount', [mounted]);
  if (base !== undefined) rmSync(base, { recursive: true, force: true });
});

describe('a registry on a read-only file system', () => {
  it('reads as usual, and every write says it is read-only (EROFS), not "unexpected"', async () => {
    const registry = new Registry(new PosixProvider({ path: path.join(mounted, 'registry') }));
    expect(await registry.releaseVersions('p')).toEqual(['1.0.0']);
    const writes = [
      () => registry.publishRelease('p', '2.0.0', { payload: new Uint8Array([2]) }),
      () =>
        registry.commit({
          project: 'p',
          release: '1.0.0',
          mode: 'train',
          parent: null,
          states: [{ actor: 'a', bytes: new Uint8Array([3]), codec: 'cbor' }],
        }),
      // A registry that does not exist yet cannot be created there either.
      () =>
        new Registry(new PosixProvider({ path: path.join(mounted, 'fresh', 'registry') })).publishRelease(
          'q',
          '1.0.0',
          {
            payload: new Uint8Array([4]),
          },
        ),
    ];
    for (const write of writes) {
      const error = (await write().catch((e: unknown) => e)) as { code: string; data: unknown; hint: string };
      expect(error).toMatchObject({ code: 'PROVIDER', data: { provider: 'posix', errno: 'EROFS' } });
      expect(error.hint).toMatch(/read-write/);
    }
  });
});
