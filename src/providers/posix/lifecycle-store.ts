import { lstat, link, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Digest } from '../../registry/digest.js';
import { NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import type { GenerationNumber, ReleaseVersion } from '../../registry/versions.js';
import { replaceFile, syncDir } from './durable-write.js';
import { exists } from './file-reads.js';
import { isErrno } from './fs-errors.js';
import type { Layout } from './layout.js';
import { releaseNotFound } from './release-store.js';
import { tempPath } from './temp-files.js';

/**
 * Tombstones, blob deletion and release removal on posix, with no locks:
 *
 * - A tombstone replaces `<n>.json` the way every file is written (temp, fsync, rename, fsync
 *   the directory): the name `<n>.json` never disappears, so link(2) numbering still refuses n
 *   (EEXIST), the published numbers stay exactly 1..L, and the latest search (which probes
 *   names) and its hint are untouched.
 * - A blob is deleted by renaming it to a private temp name (one atomic step that takes the name
 *   away from every reader and writer), then checking the mtime of the inode it moved: a writer
 *   that refreshed it (BlobStore.write) before the rename shows there, and the blob is linked
 *   back; one that comes after the rename finds no blob and writes a new one. Never
 *   stat-then-unlink, which would delete a blob refreshed between the two.
 * - A release is removed by renaming its directory to a temp name (it vanishes whole, with its
 *   generations, in one step), then removing that.
 */
export class LifecycleStore {
  constructor(private readonly layout: Layout) {}

  async tombstone(
    project: ProjectName,
    version: ReleaseVersion,
    generation: GenerationNumber,
    bytes: Uint8Array,
  ): Promise<void> {
    const path = this.layout.manifest(project, version, generation);
    if (!(await exists(path)))
      throw new NotFoundError(
        { what: 'generation', project, release: version, generation },
        'list the release to see its generations',
      );
    await replaceFile(path, bytes, { durable: true });
  }

  async deleteBlob(project: ProjectName, digest: Digest, notWrittenSince: number): Promise<boolean> {
    const path = this.layout.blob(project, digest);
    try {
      // A cheap first look: most refusals need no rename.
      if ((await lstat(path)).mtimeMs >= notWrittenSince) return false;
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) return false;
      throw error;
    }
    const trash = tempPath(dirname(path));
    try {
      await rename(path, trash);
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return false;
      throw error;
    }
    if ((await stat(trash)).mtimeMs >= notWrittenSince) {
      // Written meanwhile: put it back, unless a writer already stored a fresh copy under the name.
      try {
        await link(trash, path);
      } catch (error) {
        if (!isErrno(error, 'EEXIST')) throw error;
      }
      await unlink(trash);
      await syncDir(dirname(path));
      return false;
    }
    await unlink(trash);
    await syncDir(dirname(path));
    return true;
  }

  async deleteRelease(project: ProjectName, version: ReleaseVersion): Promise<void> {
    const dir = this.layout.release(project, version);
    if (!(await exists(this.layout.releaseRecord(project, version)))) throw releaseNotFound(project, version);
    const trash = tempPath(this.layout.releases(project));
    await rename(dir, trash);
    await syncDir(this.layout.releases(project));
    await rm(trash, { recursive: true, force: true });
  }
}
