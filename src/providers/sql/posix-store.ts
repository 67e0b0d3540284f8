import { unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { digestHex, type Digest } from '../../registry/digest.js';
import { ConfigError, NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import type { CleanupReport } from '../../registry/spi.js';
import { refreshed } from '../posix/blob-store.js';
import { replaceFile, syncDir } from '../posix/durable-write.js';
import { readBytes } from '../posix/file-reads.js';
import { isErrno, translateFsError } from '../posix/fs-errors.js';
import { sweepTempFiles } from '../posix/temp-files.js';
import type { ArtifactStore } from './artifact-store.js';

/**
 * Blobs as files in a local or mounted directory, written the posix provider's way (its
 * durable-write helpers: temp file, fsync, rename, fsync the directory), under
 *
 *     <path>/<project>/sha256/<2 hex>/<62 hex>
 *
 * An existing blob holding exactly the bytes is left in place (one read instead of a rewrite).
 */
export class PosixArtifactStore implements ArtifactStore {
  readonly target: string;
  readonly #root: string;

  constructor(options: Record<string, unknown>) {
    const path = options.path;
    if (typeof path !== 'string' || path.trim() === '')
      throw new ConfigError(
        { key: 'artifacts.path', problem: 'the posix artifact store needs a path' },
        'set artifacts.path to the directory that holds (or will hold) the blobs',
      );
    this.#root = resolve(path);
    this.target = this.#root;
  }

  #file(project: ProjectName, digest: Digest): string {
    const hex = digestHex(digest);
    return join(this.#root, project, 'sha256', hex.slice(0, 2), hex.slice(2));
  }

  async put(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    const file = this.#file(project, digest);
    await this.#fs('write a blob', async () => {
      if (!(await refreshed(file, bytes))) await replaceFile(file, bytes, { durable: true });
    });
  }

  async get(project: ProjectName, digest: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
    return this.#fs('read a blob', async () => {
      try {
        return await readBytes(this.#file(project, digest), onChunk);
      } catch (error) {
        if (isErrno(error, 'ENOENT', 'ENOTDIR'))
          throw new NotFoundError(
            { what: 'blob', project, name: digest },
            'the blob was never stored here or has been removed',
            { cause: error },
          );
        throw error;
      }
    });
  }

  async remove(project: ProjectName, digest: Digest): Promise<void> {
    const file = this.#file(project, digest);
    await this.#fs('delete a blob', async () => {
      try {
        await unlink(file);
      } catch (error) {
        if (isErrno(error, 'ENOENT', 'ENOTDIR')) return;
        throw error;
      }
      await syncDir(dirname(file));
    });
  }

  /** Temp files of writers that died, by their age on disk (a live writer's temp file is seconds old). */
  sweep(olderThanMs: number, dryRun: boolean): Promise<CleanupReport> {
    return this.#fs('clean up', () => sweepTempFiles([{ path: this.#root, recurse: true }], olderThanMs, { dryRun }));
  }

  async close(): Promise<void> {}

  async #fs<T>(operation: string, body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } catch (error) {
      throw translateFsError(error, { operation, root: this.#root });
    }
  }
}
