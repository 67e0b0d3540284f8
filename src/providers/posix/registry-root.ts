import { readdir, readFile } from 'node:fs/promises';
import { ConfigError, IncompatibleFormatError, ProviderError } from '../../registry/errors/index.js';
import { isRecord } from '../../registry/stored-json.js';
import { makeDirs, publishNew } from './durable-write.js';
import { isErrno } from './fs-errors.js';
import { MARKER_NAME, POSIX_FORMAT, type Layout } from './layout.js';
import { isTempName } from './temp-files.js';

/** What is at a registry's root: nothing yet, or a registry this statekeep can use. */
export type RootState = 'absent' | 'registry';

/**
 * Looks at the root without changing it. A marker of a newer format is refused, naming both
 * formats. A directory with other contents and no marker is not a registry, and is refused so
 * that statekeep never reads (or, later, writes) someone else's files.
 */
export async function inspectRoot(layout: Layout): Promise<RootState> {
  let marker = await readMarker(layout);
  if (marker === null) {
    if (await isEmptyOrAbsent(layout.root)) return 'absent';
    // A creator racing us may have published the marker since we looked. It publishes the marker
    // before anything else appears in the root, so a second look is conclusive.
    marker = await readMarker(layout);
    if (marker === null) throw notARegistry(layout.root);
  }
  checkMarker(marker, layout);
  return 'registry';
}

/**
 * Makes sure the root is a registry, creating the directory and its marker when there is none.
 * Writers racing to create the same registry all succeed: one marker wins the exclusive
 * publish, and the others read and check it.
 */
export async function createRoot(layout: Layout): Promise<void> {
  if ((await inspectRoot(layout)) === 'registry') return;
  await makeDirs(layout.root);
  const marker = new TextEncoder().encode(`${JSON.stringify({ format: POSIX_FORMAT })}\n`);
  if (!(await publishNew(layout.marker, marker))) await inspectRoot(layout);
}

async function readMarker(layout: Layout): Promise<string | null> {
  try {
    return await readFile(layout.marker, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return null;
    throw error;
  }
}

function checkMarker(text: string, layout: Layout): void {
  let format: unknown;
  try {
    const raw: unknown = JSON.parse(text);
    format = isRecord(raw) ? raw.format : undefined;
  } catch {
    format = undefined;
  }
  if (typeof format !== 'number' || !Number.isSafeInteger(format) || format < 1) {
    throw new ProviderError(
      {
        provider: 'posix',
        operation: 'open the registry',
        detail: `${layout.marker} is not a statekeep format marker`,
      },
      `if ${layout.root} is a statekeep registry, restore the marker as {"format":${POSIX_FORMAT}}; otherwise point path elsewhere`,
    );
  }
  if (format > POSIX_FORMAT) {
    throw new IncompatibleFormatError(
      { subject: `registry at ${layout.root}`, found: String(format), supported: String(POSIX_FORMAT) },
      'upgrade statekeep to use this registry, or point path at another one',
    );
  }
}

async function isEmptyOrAbsent(root: string): Promise<boolean> {
  try {
    // A racing creator's temp marker does not make the root someone else's.
    return (await readdir(root)).every(isTempName);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return true;
    if (isErrno(error, 'ENOTDIR')) throw notADirectory(root);
    throw error;
  }
}

function notARegistry(root: string): ConfigError {
  return new ConfigError(
    { key: 'path', problem: `${root} is not a statekeep registry: it holds other files and no ${MARKER_NAME}` },
    'point path at an empty directory, a directory that does not exist yet, or an existing statekeep registry',
  );
}

function notADirectory(root: string): ConfigError {
  return new ConfigError(
    { key: 'path', problem: `${root} is a file, not a directory` },
    'point path at a directory for the registry',
  );
}
