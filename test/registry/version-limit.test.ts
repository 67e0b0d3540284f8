import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PosixProvider } from '../../src/providers/posix/posix-provider.js';
import { Registry } from '../../src/registry/registry.js';
import { isReleaseVersion, MAX_VERSION_LENGTH, releaseVersion } from '../../src/registry/versions.js';
import { projectDir } from '../cli/fixtures/projects.js';
import { statekeepInProcess, workspace } from '../cli/helpers.js';

const longest = `1.0.0+${'b'.repeat(MAX_VERSION_LENGTH - 6)}`;
const tooLong = `1.0.0+${'b'.repeat(250)}`;

describe('release versions statekeep cannot store are refused up front', () => {
  it('INVALID_VERSION with the limit for a version over 128 characters, build metadata included', () => {
    expect(MAX_VERSION_LENGTH).toBe(128);
    expect(tooLong).toHaveLength(256);
    for (const value of [tooLong, `${longest}c`]) {
      expect(() => releaseVersion(value)).toThrow(
        expect.objectContaining({ code: 'INVALID_VERSION', data: expect.objectContaining({ limit: 128 }) }),
      );
      expect(isReleaseVersion(value)).toBe(false);
    }
    expect(releaseVersion(longest)).toBe(longest);
  });

  it('the longest version stores and reads back on posix; a longer one writes nothing', async () => {
    const root = path.join(mkdtempSync(path.join(os.tmpdir(), 'statekeep-versions-')), 'registry');
    const registry = new Registry(new PosixProvider({ path: root }));
    await registry.publishRelease('p', longest, { payload: new Uint8Array([1]) });
    expect(await registry.releaseVersions('p')).toEqual([longest]);
    await expect(registry.publishRelease('p', tooLong, { payload: new Uint8Array([2]) })).rejects.toMatchObject({
      code: 'INVALID_VERSION',
    });
    expect(await registry.releaseVersions('p')).toEqual([longest]);
  });

  it('`statekeep release` of a package.json with such a version: exit 2, INVALID_VERSION, no registry written', async () => {
    const ws = workspace();
    const dir = projectDir('long', 'export default {};', tooLong);
    const outcome = await statekeepInProcess(['--json', 'release', dir], ws);
    expect(outcome.code).toBe(2);
    expect(JSON.parse(outcome.stderr).error).toMatchObject({ code: 'INVALID_VERSION', data: { limit: 128 } });
    expect(await ws.open().projects()).toEqual([]);
  });
});
