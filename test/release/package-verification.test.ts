import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { packFiles, unpackFiles } from '../../src/release/archive.js';
import { buildPackage, type BuiltPackage } from '../../src/release/build-package.js';
import { PACKAGE_MANIFEST_FILE } from '../../src/release/package-manifest.js';
import { readProjectDirectory } from '../../src/release/project-directory.js';
import { StagingCache } from '../../src/release/staging-cache.js';
import { digestOf } from '../../src/registry/digest.js';
import { CLOCK, makeProject } from './fixtures.js';

const expected = { project: 'demo', version: '1.0.0' } as never;

async function built(): Promise<BuiltPackage> {
  return buildPackage(await readProjectDirectory(await makeProject({ answer: 7 })), CLOCK);
}

/** Mounts an archive (its own digest, so only the checks inside it can fail) and returns the refusal. */
async function refusal(archive: Uint8Array): Promise<{ code: string; message: string; data: Record<string, unknown> }> {
  const staging = new StagingCache(await mkdtemp(path.join(os.tmpdir(), 'statekeep-verify-')));
  return staging
    .mount(digestOf(archive), async () => archive, expected)
    .then(
      () => {
        throw new Error('mounted a damaged package');
      },
      (error: { code: string; message: string; data: Record<string, unknown> }) => error,
    );
}

describe('a package that fails verification names the release and the file that was checked', () => {
  it('an archive that is not one: the package file, with project and version', async () => {
    const error = await refusal(new TextEncoder().encode('not a tar.gz at all'));
    expect(error).toMatchObject({
      code: 'INTEGRITY',
      data: { subject: 'release package', project: 'demo', release: '1.0.0', file: 'package.tgz' },
    });
    expect(error.message).toMatch(/^release package failed verification at demo 1\.0\.0, file package\.tgz: expected /);
  });

  it('a damaged manifest, and a payload file that differs from its manifest entry', async () => {
    const pkg = await built();
    const files = await unpackFiles(pkg.archive, 'test');
    const garbled = new Map(files).set(PACKAGE_MANIFEST_FILE, new TextEncoder().encode('{"format": 1'));
    expect(await refusal(await packFiles(garbled))).toMatchObject({
      code: 'INTEGRITY',
      data: { project: 'demo', release: '1.0.0', file: PACKAGE_MANIFEST_FILE },
    });
    const [name, bytes] = [...files].find(([n]) => n !== PACKAGE_MANIFEST_FILE)!;
    const changed = new Map(files).set(name, new Uint8Array([...bytes, 0x20]));
    const error = await refusal(await packFiles(changed));
    expect(error).toMatchObject({ code: 'INTEGRITY', data: { project: 'demo', release: '1.0.0', file: name } });
    expect(error.message).not.toContain('at :');
  });
});
