import { link, mkdir, open, rename, stat, unlink, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isErrno } from './fs-errors.js';
import { tempPath } from './temp-files.js';

/*
 * Every file of a registry is written the same way: into a temp file in its own directory,
 * fsynced, then given its name in one step (rename or link), and then the directory is fsynced
 * so that the name itself survives a power loss. A crash at any point leaves either no file or
 * the complete one under the final name, never a torn one; what it can leave is a temp file,
 * which readers skip by its name and cleanup removes.
 */

/**
 * Publishes `bytes` under `file` only if that name does not exist yet. Returns false when it
 * does. link(2) is the exclusive step: like O_EXCL it fails with EEXIST, but the name appears
 * already pointing at complete, durable content, which O_EXCL-then-write cannot promise.
 */
export async function publishNew(file: string, bytes: Uint8Array): Promise<boolean> {
  const dir = dirname(file);
  const temp = await writeTemp(dir, bytes, true);
  try {
    await link(temp, file);
  } catch (error) {
    // Over NFS a retransmitted LINK can report EEXIST although the first one succeeded; the temp
    // file's link count is the reliable answer (the classic NFS-safe exclusive create).
    if (!(await isLinkedTwice(temp))) {
      await removeQuietly(temp);
      if (isErrno(error, 'EEXIST')) return false;
      throw error;
    }
  }
  // The published name keeps the inode; dropping the temp name before the directory fsync means
  // the fsync persists both, so a power loss cannot resurrect the temp name either.
  await removeQuietly(temp);
  await syncDir(dir);
  return true;
}

/** Writes `bytes` under `file`, replacing any previous content atomically. */
export async function replaceFile(file: string, bytes: Uint8Array, options: { durable: boolean }): Promise<void> {
  const dir = dirname(file);
  const temp = await writeTemp(dir, bytes, options.durable);
  try {
    await rename(temp, file);
  } catch (error) {
    await removeQuietly(temp);
    throw error;
  }
  if (options.durable) await syncDir(dir);
}

/**
 * Creates a directory and its missing parents, and makes each new name durable by fsyncing the
 * directory that holds it. Directories that already exist cost one mkdir.
 */
export async function makeDirs(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true });
  if (first === undefined) return;
  const holders: string[] = [];
  for (let d = dir; d !== first && d !== dirname(d); d = dirname(d)) holders.push(dirname(d));
  holders.push(dirname(first));
  await Promise.all(holders.map(syncDir));
}

/** Makes the names in a directory (new, renamed or removed) durable. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems (certain FUSE and network mounts) cannot fsync a directory and say so
    // with EINVAL; their names are as durable as they can make them, so this is not a failure.
    if (!isErrno(error, 'EINVAL')) throw error;
  } finally {
    await handle.close();
  }
}

/** A new temp file in `dir` holding `bytes`, fsynced when `durable`. Creates `dir` if missing. */
async function writeTemp(dir: string, bytes: Uint8Array, durable: boolean): Promise<string> {
  const temp = tempPath(dir);
  let handle: FileHandle;
  try {
    handle = await open(temp, 'wx', 0o644);
  } catch (error) {
    // The common case is that the directory exists, so it is created only when it is missing.
    if (!isErrno(error, 'ENOENT')) throw error;
    await makeDirs(dir);
    handle = await open(temp, 'wx', 0o644);
  }
  try {
    await writeAll(handle, bytes);
    if (durable) await handle.sync();
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeQuietly(temp);
    throw error;
  }
  return temp;
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, offset);
    offset += bytesWritten;
  }
}

async function isLinkedTwice(temp: string): Promise<boolean> {
  try {
    return (await stat(temp)).nlink >= 2;
  } catch {
    return false;
  }
}

async function removeQuietly(path: string): Promise<void> {
  // A temp file that cannot be removed is a leftover like any other; cleanup takes it later.
  await unlink(path).catch(() => undefined);
}
