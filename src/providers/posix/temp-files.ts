import { randomBytes } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { CleanupReport } from '../../registry/spi.js';
import { isErrno } from './fs-errors.js';

// A leading dot and a fixed prefix: no published name (`<n>.json`, a digest, a version, a
// project) can look like this, so readers skip temp files by their names alone.
const TEMP_NAME = /^\.tmp-[0-9]+-[0-9a-f]{12}$/;

/** A fresh temp file name in `dir`: recognisable, and unique across processes and calls. */
export function tempPath(dir: string): string {
  return join(dir, `.tmp-${process.pid}-${randomBytes(6).toString('hex')}`);
}

export function isTempName(name: string): boolean {
  return TEMP_NAME.test(name);
}

/**
 * Removes temp files older than `olderThanMs` from the given directories and every directory
 * below them. Age is the only test of abandonment that needs no coordination with writers: a
 * live writer touches its temp file while writing it and removes it within moments.
 */
export async function sweepTempFiles(
  dirs: { path: string; recurse: boolean }[],
  olderThanMs: number,
  options: { dryRun?: boolean } = {},
): Promise<CleanupReport> {
  const report: CleanupReport = { removed: 0, bytes: 0 };
  // File times can run a fraction of a millisecond ahead of Date.now(); such a file's age is 0,
  // so that olderThanMs 0 means "every temp file", as asked.
  const isOld = (mtimeMs: number): boolean => Math.max(0, Date.now() - mtimeMs) >= olderThanMs;
  for (const dir of dirs) await sweep(dir.path, dir.recurse, isOld, report, options.dryRun === true);
  return report;
}

async function sweep(
  dir: string,
  recurse: boolean,
  isOld: (mtimeMs: number) => boolean,
  report: CleanupReport,
  dryRun: boolean,
): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    // Removed meanwhile, or never created: nothing to sweep.
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return;
    throw error;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (recurse) await sweep(path, true, isOld, report, dryRun);
    } else if (entry.isFile() && isTempName(entry.name)) {
      await removeIfOld(path, isOld, report, dryRun);
    }
  }
}

async function removeIfOld(
  path: string,
  isOld: (mtimeMs: number) => boolean,
  report: CleanupReport,
  dryRun: boolean,
): Promise<void> {
  try {
    const stats = await lstat(path);
    if (!isOld(stats.mtimeMs)) return;
    if (!dryRun) await unlink(path);
    report.removed += 1;
    report.bytes += stats.size;
  } catch (error) {
    // Its writer finished (and removed it) while we looked: not a leftover.
    if (!isErrno(error, 'ENOENT')) throw error;
  }
}
