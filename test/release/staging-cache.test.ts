import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tar from 'tar';
import { describe, expect, it } from 'vitest';
import { packFiles, unpackFiles } from '../../src/release/archive.js';
import { buildPackage, type BuiltPackage } from '../../src/release/build-package.js';
import { encodePackageManifest, PACKAGE_MANIFEST_FILE } from '../../src/release/package-manifest.js';
import { payloadDigest } from '../../src/release/payload-digest.js';
import { readProjectDirectory } from '../../src/release/project-directory.js';
import { StagingCache } from '../../src/release/staging-cache.js';
import { digestOf } from '../../src/registry/digest.js';
import { CLOCK, makeProject } from './fixtures.js';

async function built(answer = 42): Promise<BuiltPackage> {
  return buildPackage(await readProjectDirectory(await makeProject({ answer })), CLOCK);
}

async function cache(): Promise<StagingCache> {
  return new StagingCache(await mkdtemp(path.join(os.tmpdir(), 'statekeep-staging-')));
}

const expected = { project: 'demo', version: '1.0.0' } as never;

describe('staging cache', () => {
  it('unpacks a verified package once and reuses it on later runs without fetching or unpacking', async () => {
    const pkg = await built();
    const staging = await cache();
    let fetches = 0;
    const fetch = async (): Promise<Uint8Array> => {
      fetches++;
      return pkg.archive;
    };
    const first = await staging.mount(pkg.digest, fetch, expected);
    expect(first.reused).toBe(false);
    expect((await import(pathToFileURL(first.entryPath).href)).default).toEqual({ answer: 42, padded: '00042' });
    const before = await stat(first.entryPath);
    const second = await staging.mount(pkg.digest, fetch, expected);
    expect(second).toMatchObject({ reused: true, entryPath: first.entryPath, manifest: pkg.manifest });
    expect(fetches).toBe(1);
    const after = await stat(second.entryPath);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });

  it('a staging directory that cannot be written is a CONFIG error naming the setting', async () => {
    const pkg = await built();
    const parent = await mkdtemp(path.join(os.tmpdir(), 'statekeep-staging-'));
    await writeFile(path.join(parent, 'file'), 'in the way');
    const staging = new StagingCache(path.join(parent, 'file', 'cache'));
    await expect(staging.mount(pkg.digest, async () => pkg.archive, expected)).rejects.toMatchObject({
      code: 'CONFIG',
      data: { key: 'staging' },
    });
  });

  it('keeps two releases apart, each in the directory of its own digest', async () => {
    const staging = await cache();
    const a = await built(1);
    const b = await built(2);
    const ma = await staging.mount(a.digest, async () => a.archive, expected);
    const mb = await staging.mount(b.digest, async () => b.archive, expected);
    expect(ma.entryPath).not.toBe(mb.entryPath);
    expect((await import(pathToFileURL(ma.entryPath).href)).default.answer).toBe(1);
    expect((await import(pathToFileURL(mb.entryPath).href)).default.answer).toBe(2);
  });

  it('refuses a tampered or truncated package before anything is written or imported', async () => {
    const pkg = await built();
    const staging = await cache();
    const flipped = Uint8Array.from(pkg.archive);
    flipped[flipped.length >> 1]! ^= 0x01;
    await expect(staging.mount(pkg.digest, async () => flipped, expected)).rejects.toMatchObject({
      code: 'INTEGRITY',
      data: { expected: pkg.digest },
    });
    await expect(staging.mount(pkg.digest, async () => pkg.archive.slice(0, 100), expected)).rejects.toMatchObject({
      code: 'INTEGRITY',
    });
    await expect(stat(staging.root)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('notices a cached package that was changed on disk, and unpacks a verified copy again', async () => {
    const pkg = await built();
    const staging = await cache();
    const first = await staging.mount(pkg.digest, async () => pkg.archive, expected);
    await writeFile(first.entryPath, 'export default { answer: "evil" };\n');
    const again = await staging.mount(pkg.digest, async () => pkg.archive, expected);
    expect(again.reused).toBe(false);
    expect(await readFile(again.entryPath)).toEqual(
      Buffer.from((await unpackFiles(pkg.archive, 't')).get('payload/index.mjs')!),
    );
  });

  it('does not trust a cached manifest rewritten to match changed code', async () => {
    const pkg = await built();
    const staging = await cache();
    const first = await staging.mount(pkg.digest, async () => pkg.archive, expected);
    const evil = Buffer.from('export default { answer: "evil" };\n');
    const file = { path: 'index.mjs', size: evil.length, sha256: digestOf(evil) };
    await writeFile(first.entryPath, evil);
    await writeFile(
      path.join(path.dirname(path.dirname(first.entryPath)), PACKAGE_MANIFEST_FILE),
      encodePackageManifest({ ...pkg.manifest, payload: { sha256: payloadDigest([file]), files: [file] } }),
    );
    const again = await staging.mount(pkg.digest, async () => pkg.archive, expected);
    expect(again).toMatchObject({ reused: false, manifest: pkg.manifest });
    expect(await readFile(again.entryPath)).toEqual(
      Buffer.from((await unpackFiles(pkg.archive, 't')).get('payload/index.mjs')!),
    );
  });

  it('refuses packages whose content disagrees with their manifest, or that come from a newer statekeep', async () => {
    const pkg = await built();
    const files = await unpackFiles(pkg.archive, 't');
    const staging = await cache();
    const repack = async (change: (f: Map<string, Uint8Array>) => void): Promise<Uint8Array> => {
      const copy = new Map(files);
      change(copy);
      return packFiles(copy);
    };
    const cases: [string, Uint8Array][] = [
      ['INTEGRITY', await repack((f) => f.set('payload/index.mjs', Buffer.from('export default 1;\n')))],
      ['INTEGRITY', await repack((f) => f.set('payload/extra.mjs', Buffer.from('x')))],
      ['INTEGRITY', await repack((f) => f.delete(PACKAGE_MANIFEST_FILE))],
      [
        'INTEGRITY',
        await repack((f) =>
          f.set(PACKAGE_MANIFEST_FILE, encodePackageManifest({ ...pkg.manifest, project: 'other' as never })),
        ),
      ],
      [
        'INCOMPATIBLE_FORMAT',
        await repack((f) => f.set(PACKAGE_MANIFEST_FILE, Buffer.from(JSON.stringify({ ...pkg.manifest, format: 2 })))),
      ],
    ];
    for (const [code, archive] of cases) {
      await expect(staging.mount(digestOf(archive), async () => archive, expected)).rejects.toMatchObject({ code });
    }
  });

  it('never follows links or paths outside the package', async () => {
    const dir = await makeProject();
    const { symlink } = await import('node:fs/promises');
    await symlink('/etc/passwd', path.join(dir, 'link'));
    const chunks: Buffer[] = [];
    for await (const c of tar.create({ cwd: dir, gzip: true }, ['link', 'package.json']) as AsyncIterable<Buffer>)
      chunks.push(c);
    await expect(unpackFiles(Buffer.concat(chunks), 't')).rejects.toMatchObject({ code: 'INTEGRITY' });
    // A hand-made header naming ../escape: tar tools would write it outside the target.
    const header = new tar.Header({ path: '../escape', type: 'File', size: 2, mode: 0o644, mtime: new Date(0) });
    const block = Buffer.alloc(512);
    header.encode(block, 0);
    const data = Buffer.alloc(512);
    data.write('hi');
    await expect(unpackFiles(Buffer.concat([block, data, Buffer.alloc(1024)]), 't')).rejects.toMatchObject({
      code: 'INTEGRITY',
    });
  });
});
