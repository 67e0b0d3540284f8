import { lstat, open, readdir } from 'node:fs/promises';
import { isErrno } from './fs-errors.js';

// Without a chunk listener a blob is read in one call (Linux caps a read near 2 GiB). With one,
// in 8 MiB pieces: each piece is handed over while the next is already being read, so the
// caller's SHA-256 (about 4 ms per piece) overlaps the I/O instead of following it.
const WHOLE = 2 ** 30;
const PIECE = 8 * 2 ** 20;

/**
 * A whole file's bytes, read into one buffer sized by fstat. OS errors (ENOENT included) are
 * the caller's to map. A file that shrank under us returns what is there; the Registry's digest
 * check turns that into an IntegrityError, so nothing short is ever taken for whole.
 */
export async function readBytes(path: string, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    // Unpooled, so the returned bytes never share an ArrayBuffer with unrelated data.
    const buffer = Buffer.allocUnsafeSlow(size);
    const step = onChunk === undefined ? WHOLE : PIECE;
    const readAt = (offset: number) => handle.read(buffer, offset, Math.min(step, size - offset), offset);
    let offset = 0;
    let pending = size > 0 ? readAt(0) : undefined;
    while (pending !== undefined) {
      const { bytesRead } = await pending;
      pending = undefined;
      if (bytesRead === 0) break;
      const start = offset;
      offset += bytesRead;
      if (offset < size) {
        pending = readAt(offset);
        // Settled by the next turn of the loop; this only keeps a failure while hashing from going unhandled.
        pending.catch(() => undefined);
      }
      onChunk?.(buffer.subarray(start, offset));
    }
    return offset === size ? buffer : buffer.subarray(0, offset);
  } finally {
    await handle.close();
  }
}

/**
 * Whether a name exists; a missing parent directory counts as "no". The name, not its target:
 * lstat agrees with link(2) and rename(2) about what is taken, even for a dangling symlink, so
 * the allocator can never be told a number is free that link then refuses forever.
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return false;
    throw error;
  }
}

/** The names in a directory; none when it (or a parent) does not exist. */
export async function listDir(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
}
