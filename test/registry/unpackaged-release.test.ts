import { describe, expect, it } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { digestOf } from '../../src/registry/digest.js';
import { projectName } from '../../src/registry/names.js';
import { Registry } from '../../src/registry/registry.js';
import { decodeReleaseRecord, encodeReleaseRecord, type ReleaseRecord } from '../../src/registry/release-record.js';
import { releaseVersion } from '../../src/registry/versions.js';

const HINT =
  'this release has no package; its code is managed by a program — use PersistentModel or loadPredictor from code';
const at = { project: projectName('m'), release: releaseVersion('1.0.0') };
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

function open(): Registry {
  return new Registry(new VolatileProvider(), { clock: () => new Date('2030-01-01T00:00:00.000Z') });
}

describe('a release without a package (createRelease)', () => {
  it('is stored as a format 2 record with package null and its info, and reads back equal', async () => {
    const registry = open();
    const record = await registry.createRelease('m', '1.0.0', { info: { by: 'PersistentModel' } });
    expect(record).toEqual({
      format: 2,
      project: 'm',
      version: '1.0.0',
      created: '2030-01-01T00:00:00.000Z',
      package: null,
      info: { by: 'PersistentModel' },
    });
    expect(await registry.release('m', '1.0.0')).toEqual(record);
    expect(await registry.latestRelease('m')).toBe('1.0.0');
  });

  it('keeps the release order rules: only newer versions, never the same one twice', async () => {
    const registry = open();
    await registry.createRelease('m', '1.1.0');
    await expect(registry.createRelease('m', '1.0.0')).rejects.toMatchObject({ code: 'RELEASE_ORDER' });
    await expect(registry.createRelease('m', '1.1.0')).rejects.toMatchObject({ code: 'ALREADY_EXISTS' });
    await expect(registry.publishRelease('m', '1.0.5', { payload: new Uint8Array([1]) })).rejects.toMatchObject({
      code: 'RELEASE_ORDER',
    });
    await registry.publishRelease('m', '1.2.0', { payload: new Uint8Array([1]) });
    await expect(registry.createRelease('m', '1.1.5')).rejects.toMatchObject({ code: 'RELEASE_ORDER' });
    await expect(registry.createRelease('m', 'one')).rejects.toMatchObject({ code: 'INVALID_VERSION' });
  });

  it('cannot be pulled: USAGE with the hint to use it from code', async () => {
    const registry = open();
    await registry.createRelease('m', '1.0.0');
    await expect(registry.pullRelease('m', '1.0.0')).rejects.toMatchObject({
      code: 'USAGE',
      hint: HINT,
      data: { project: 'm', release: '1.0.0' },
    });
  });

  it('is sound to verify, with its generations', async () => {
    const registry = open();
    await registry.createRelease('m', '1.0.0');
    await registry.commit({
      project: 'm',
      release: '1.0.0',
      mode: 'train',
      parent: null,
      states: [{ actor: 'model', bytes: new Uint8Array([1, 2]), codec: 'cbor' }],
    });
    const findings: unknown[] = [];
    const summary = await registry.verify({}, (f) => findings.push(f));
    expect(findings).toEqual([]);
    expect(summary).toMatchObject({ damaged: 0, missing: 0, orphaned: 0 });
    expect(summary.checked).toBeGreaterThanOrEqual(3);
  });

  it('records of format 1 keep reading; each format has one shape, anything else is damage', () => {
    const old: ReleaseRecord = {
      format: 1,
      ...{ project: at.project, version: at.release },
      created: '2030-01-01T00:00:00.000Z',
      package: { digest: digestOf(new Uint8Array([2])), size: 1 },
      info: {},
    };
    expect(decodeReleaseRecord(encodeReleaseRecord(old), at)).toEqual(old);
    // Written before checksums existed, too.
    expect(decodeReleaseRecord(json(old), at)).toEqual(old);
    for (const bad of [
      { ...old, package: null },
      { ...old, format: 2 },
      { ...old, format: 0 },
      { ...old, format: 1.5 },
      { ...old, format: 2, package: { digest: 'x', size: 1 } },
    ]) {
      expect(() => decodeReleaseRecord(json(bad), at)).toThrow(expect.objectContaining({ code: 'INTEGRITY' }));
    }
  });
});
