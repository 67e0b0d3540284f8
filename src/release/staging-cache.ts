import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { digestHex, digestOf, type Digest } from '../registry/digest.js';
import { ConfigError, hasCode, IntegrityError } from '../registry/errors/index.js';
import type { ProjectName } from '../registry/names.js';
import type { ReleaseVersion } from '../registry/versions.js';
import { isSafeRelative, unpackFiles } from './archive.js';
import { decodePackageManifest, PACKAGE_MANIFEST_FILE, PAYLOAD_DIR, type PackageManifest } from './package-manifest.js';
import { payloadDigest } from './payload-digest.js';

const ARCHIVE_FILE = 'package.tgz';

export interface MountedPackage {
  digest: Digest;
  manifest: PackageManifest;
  /** Absolute path of the module to import. */
  entryPath: string;
  /** True when an earlier run had already unpacked this package. */
  reused: boolean;
}

/**
 * The local cache where release packages are unpacked, one directory per package digest, so
 * runs reuse an unpacked package and two releases never shadow each other. Nothing in it is
 * trusted: a reused directory is verified again before anything is imported from it.
 */
export class StagingCache {
  readonly root: string;

  constructor(root: string) {
    this.root = path.join(path.resolve(root), 'packages-v1');
  }

  /**
   * Makes the package with this digest available for import. `fetch` supplies the archive when
   * it is not unpacked yet; every byte is verified against the digest and the manifest first.
   */
  async mount(
    digest: Digest,
    fetch: () => Promise<Uint8Array>,
    expected: { project: ProjectName; version: ReleaseVersion },
  ): Promise<MountedPackage> {
    const dir = path.join(this.root, digestHex(digest));
    const subject = 'release package';
    const cached = await this.#verifyMounted(dir, digest, subject, expected).catch(() => undefined);
    if (cached !== undefined) return { digest, manifest: cached, entryPath: entryPath(dir, cached), reused: true };

    const archive = await fetch();
    const actual = digestOf(archive);
    if (actual !== digest)
      throw new IntegrityError({
        subject,
        project: expected.project,
        release: expected.version,
        file: ARCHIVE_FILE,
        expected: digest,
        actual,
      });
    const files = await unpack(archive, subject, expected);
    const manifest = checkPackage(files, subject, expected);
    await this.#install(dir, archive, files, () => this.#verifyMounted(dir, digest, subject, expected)).catch(
      (error: unknown) => {
        throw new ConfigError(
          {
            key: 'staging',
            problem: `cannot write the staging cache ${this.root} (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
          },
          'point staging in the platform file at a writable directory',
          { cause: error },
        );
      },
    );
    return { digest, manifest, entryPath: entryPath(dir, manifest), reused: false };
  }

  async #install(
    dir: string,
    archive: Uint8Array,
    files: Map<string, Uint8Array>,
    verifyExisting: () => Promise<unknown>,
  ): Promise<void> {
    await mkdir(this.root, { recursive: true });
    // Unpack beside the final place and rename, so a half-unpacked package is never mounted.
    const temp = path.join(this.root, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
    try {
      for (const [name, bytes] of files) {
        await mkdir(path.dirname(path.join(temp, name)), { recursive: true });
        await writeFile(path.join(temp, name), bytes);
      }
      await writeFile(path.join(temp, ARCHIVE_FILE), archive);
      await rename(temp, dir).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
        // Another run mounted it first, and its copy is as good as ours; a damaged leftover is replaced.
        if (
          await verifyExisting().then(
            () => true,
            () => false,
          )
        )
          return;
        await rm(dir, { recursive: true, force: true });
        await rename(temp, dir);
      });
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
  }

  /**
   * Checks an unpacked directory as strictly as a fresh archive: its archive must have the digest,
   * and every file on disk, the manifest included, must equal the archive's copy. Checking the
   * files against the manifest on disk alone would trust whoever rewrote both.
   */
  async #verifyMounted(
    dir: string,
    digest: Digest,
    subject: string,
    expected: { project: ProjectName; version: ReleaseVersion },
  ): Promise<PackageManifest> {
    const archive = await readFile(path.join(dir, ARCHIVE_FILE));
    if (digestOf(archive) !== digest) throw new Error('cached archive changed');
    const files = await unpack(archive, subject, expected);
    const manifest = checkPackage(files, subject, expected);
    for (const [name, bytes] of files) {
      if (!Buffer.from(bytes).equals(await readFile(path.join(dir, name)))) throw new Error(`cached ${name} changed`);
    }
    return manifest;
  }
}

/** The archive's files; a damaged archive is refused naming the package it was to be. */
async function unpack(
  archive: Uint8Array,
  subject: string,
  expected: { project: ProjectName; version: ReleaseVersion },
): Promise<Map<string, Uint8Array>> {
  return unpackFiles(archive, subject).catch((error: unknown) => {
    throw located(error, expected, ARCHIVE_FILE);
  });
}

// The archive and manifest readers know what they read, not which release's package it is.
function located(error: unknown, expected: { project: ProjectName; version: ReleaseVersion }, file: string): unknown {
  if (!hasCode(error, 'INTEGRITY')) return error;
  const data = error.data as IntegrityError['data'];
  return new IntegrityError({ ...data, project: expected.project, release: expected.version, file }, error.hint, {
    cause: error,
  });
}

/** Checks an unpacked archive against its own manifest: every payload byte, no extra files. */
function checkPackage(
  files: Map<string, Uint8Array>,
  subject: string,
  expected: { project: ProjectName; version: ReleaseVersion },
): PackageManifest {
  const at = { subject, project: expected.project, release: expected.version };
  const raw = files.get(PACKAGE_MANIFEST_FILE);
  if (raw === undefined) throw new IntegrityError({ ...at, expected: `a ${PACKAGE_MANIFEST_FILE}`, actual: 'none' });
  let manifest: PackageManifest;
  try {
    manifest = decodePackageManifest(raw, subject);
  } catch (error) {
    throw located(error, expected, PACKAGE_MANIFEST_FILE);
  }
  if (manifest.project !== expected.project || manifest.version !== expected.version) {
    throw new IntegrityError({
      ...at,
      file: PACKAGE_MANIFEST_FILE,
      expected: `${expected.project} ${expected.version}`,
      actual: `a package of ${manifest.project} ${manifest.version}`,
    });
  }
  const listed = new Set(manifest.payload.files.map((f) => `${PAYLOAD_DIR}/${f.path}`));
  for (const name of files.keys()) {
    if (name !== PACKAGE_MANIFEST_FILE && !listed.has(name))
      throw new IntegrityError({
        ...at,
        expected: 'only the files its manifest lists',
        actual: `an extra file ${JSON.stringify(name)}`,
      });
  }
  for (const file of manifest.payload.files) {
    const bytes = isSafeRelative(file.path) ? files.get(`${PAYLOAD_DIR}/${file.path}`) : undefined;
    const checked = `${PAYLOAD_DIR}/${file.path}`;
    if (bytes === undefined)
      throw new IntegrityError({ ...at, file: checked, expected: file.sha256, actual: 'no file' });
    const actual = digestOf(bytes);
    if (actual !== file.sha256 || bytes.length !== file.size)
      throw new IntegrityError({
        ...at,
        file: checked,
        expected: `${file.sha256} (${file.size} bytes)`,
        actual: `${actual} (${bytes.length} bytes)`,
      });
  }
  const whole = payloadDigest(manifest.payload.files);
  if (whole !== manifest.payload.sha256)
    throw new IntegrityError({ ...at, expected: manifest.payload.sha256, actual: whole });
  if (!manifest.payload.files.some((f) => f.path === manifest.entry)) {
    throw new IntegrityError({
      ...at,
      expected: `entry ${manifest.entry} among the payload files`,
      actual: 'no such file',
    });
  }
  return manifest;
}

function entryPath(dir: string, manifest: PackageManifest): string {
  return path.join(dir, PAYLOAD_DIR, manifest.entry);
}
