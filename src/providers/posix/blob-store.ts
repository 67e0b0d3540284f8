import { open } from 'node:fs/promises';
import type { Digest } from '../../registry/digest.js';
import { NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import { replaceFile } from './durable-write.js';
import { exists, readBytes } from './file-reads.js';
import { isErrno } from './fs-errors.js';
import type { Layout } from './layout.js';

/**
 * A project's content-addressed blobs: one file per digest, sharded by its first two hex digits
 * so no directory grows past a few thousand entries. A blob that is already there is compared
 * with the bytes being written and replaced if it differs (damaged, truncated), so a commit
 * never names a blob that does not hold its content. Two writers of the same blob may both
 * rename onto the name: either way it ends up holding those exact bytes.
 */
export class BlobStore {
  constructor(private readonly layout: Layout) {}

  has(project: ProjectName, digest: Digest): Promise<boolean> {
    return exists(this.layout.blob(project, digest));
  }

  async write(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    const path = this.layout.blob(project, digest);
    // Comparing reads the file once against bytes in hand, about 8x cheaper than rewriting and
    // fsyncing it for 64 MiB (25 against 200 ms), and it leaves an intact blob untouched.
    if (await holds(path, bytes)) return;
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

const COMPARE_PIECE = 8 * 2 ** 20;

/** Whether the file at `path` holds exactly `bytes`; false when it is missing or differs (also used by the sql provider's posix store). */
export async function holds(path: string, bytes: Uint8Array): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return false;
    throw error;
  }
  try {
    if ((await handle.stat()).size !== bytes.length) return false;
    const piece = Buffer.allocUnsafe(Math.min(COMPARE_PIECE, bytes.length));
    for (let offset = 0; offset < bytes.length; ) {
      const { bytesRead } = await handle.read(piece, 0, Math.min(piece.length, bytes.length - offset), offset);
      if (bytesRead === 0) return false;
      if (Buffer.compare(piece.subarray(0, bytesRead), bytes.subarray(offset, offset + bytesRead)) !== 0) return false;
      offset += bytesRead;
    }
    return true;
  } finally {
    await handle.close();
  }
}
