import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/registry/digest.js';
import { decodeManifest, encodeManifest, type GenerationManifest } from '../../src/registry/manifest.js';
import { decodeReleaseRecord, encodeReleaseRecord, type ReleaseRecord } from '../../src/registry/release-record.js';
import { actorName, isActorName, isProjectName, projectName } from '../../src/registry/names.js';
import { generationNumber, isReleaseVersion, releaseVersion } from '../../src/registry/versions.js';

const at = { project: projectName('iris'), release: releaseVersion('1.0.0'), generation: generationNumber(3) };
const manifest: GenerationManifest = {
  format: 1,
  ...at,
  parent: generationNumber(2),
  mode: 'train',
  created: '2026-01-01T00:00:00.000Z',
  training: { lower: 1, upper: 9, rows: 9 },
  tuning: null,
  metrics: { accuracy: 0.5 },
  environment: { statekeep: '0.1.0', node: 'v20.0.0' },
  rollbackOf: null,
  package: null,
  states: [{ actor: actorName('scaler'), digest: digestOf(new Uint8Array([1])), size: 1, codec: 'cbor' }],
};
const record: ReleaseRecord = {
  format: 1,
  project: at.project,
  version: at.release,
  created: manifest.created,
  package: { digest: digestOf(new Uint8Array([2])), size: 1 },
  info: { entry: 'index.mjs' },
};
const json = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));

describe('stored manifests and release records', () => {
  it('round-trip exactly', () => {
    expect(decodeManifest(encodeManifest(manifest), at)).toEqual(manifest);
    expect(decodeReleaseRecord(encodeReleaseRecord(record), at)).toEqual(record);
  });

  it('written in a newer format are refused with INCOMPATIBLE_FORMAT naming both formats', () => {
    expect(() => decodeManifest(json({ ...manifest, format: 2, somethingNew: true }), at)).toThrow(
      expect.objectContaining({
        code: 'INCOMPATIBLE_FORMAT',
        data: expect.objectContaining({ found: '2', supported: '1' }),
      }),
    );
    expect(() => decodeReleaseRecord(json({ ...record, format: 7 }), at)).toThrow(
      expect.objectContaining({
        code: 'INCOMPATIBLE_FORMAT',
        // Format 2 is a release without a package (createRelease).
        data: expect.objectContaining({ found: '7', supported: '2' }),
      }),
    );
  });

  it('that are damaged, malformed or misplaced are INTEGRITY errors naming where they were read', () => {
    const damaged = [
      new TextEncoder().encode('{"format": 1, "proj'),
      json([manifest]),
      json({ ...manifest, format: 0 }),
      json({ ...manifest, mode: 'guess' }),
      json({ ...manifest, states: [{ ...manifest.states[0], digest: 'sha256:xyz' }] }),
      json({ ...manifest, metrics: { accuracy: 'high' } }),
      json({ ...manifest, generation: 4 }),
      json({ ...manifest, project: '../etc' }),
    ];
    for (const bytes of damaged) {
      expect(() => decodeManifest(bytes, at)).toThrow(
        expect.objectContaining({
          code: 'INTEGRITY',
          data: expect.objectContaining({
            project: 'iris',
            release: '1.0.0',
            generation: 3,
            subject: 'generation manifest',
          }),
        }),
      );
    }
    for (const bytes of [
      json({ ...record, version: '2.0.0' }),
      json({ ...record, package: { digest: 'md5:1', size: 1 } }),
      json({ ...record, version: 'v1.0.0' }),
    ]) {
      expect(() => decodeReleaseRecord(bytes, at)).toThrow(
        expect.objectContaining({ code: 'INTEGRITY', data: expect.objectContaining({ subject: 'release record' }) }),
      );
    }
  });
});

describe('name and version checks that do not throw', () => {
  it('agree with the throwing ones', () => {
    for (const value of ['iris', 'a.b', '', '..', 'a/b', 'x'.repeat(129), 7, null]) {
      const valid = (() => {
        try {
          projectName(value);
          return true;
        } catch {
          return false;
        }
      })();
      expect(isProjectName(value)).toBe(valid);
      expect(isActorName(value)).toBe(valid);
    }
    for (const value of ['1.0.0', '1.0.0+build.5', '2.0.0-rc.1', 'v1.0.0', '1.0', '1.0.0 ', 100]) {
      const valid = (() => {
        try {
          releaseVersion(value);
          return true;
        } catch {
          return false;
        }
      })();
      expect(isReleaseVersion(value)).toBe(valid);
    }
  });
});
