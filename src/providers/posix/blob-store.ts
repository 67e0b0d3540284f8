import type { Digest } from '../../registry/digest.js';
import { NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import { replaceFile } from './durable-write.js';
import { exists, readBytes } from './file-reads.js';
import { isErrno } from './fs-errors.js';
import type { Layout } from './layout.js';

/**
 * A project's content-addressed blobs: one file per digest, sharded by its first two hex digits
 * so no directory grows past a few thousand entries. A blob's name is its content, so writing
 * one that is already there is skipped, and two writers of the same blob may both rename onto
 * the name: either way it ends up holding those exact bytes.
 */
export class BlobStore {
  constructor(private readonly layout: Layout) {}

  has(project: ProjectName, digest: Digest): Promise<boolean> {
    return exists(this.layout.blob(project, digest));
  }

  async write(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    const path = this.layout.blob(project, digest);
    if (await exists(path)) return;
    await replaceFile(path, bytes, { durable: true });
  }

  async read(project: ProjectName, digest: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
    try {
      return await readBytes(this.layout.blob(project, digest), onChunk);
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) {
        throw new NotFoundError(
          { what: 'blob', project, name: digest },
          'the blob was never stored here or has been removed',
          { cause: error },
        );
      }
      throw error;
    }
  }
}
