import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import { IntegrityError } from '../registry/errors/index.js';

/** Caps what a package may unpack to, so a hostile archive cannot fill the disk or memory. */
const MAX_UNPACKED_BYTES = 512 * 2 ** 20;
const MAX_ENTRIES = 10_000;

/** Packs files (relative path → bytes) into a gzipped tar with fixed timestamps and owners. */
export async function packFiles(files: ReadonlyMap<string, Uint8Array>): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-pack-'));
  try {
    for (const [name, bytes] of files) {
      const target = path.join(dir, name);
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, bytes);
    }
    const chunks: Buffer[] = [];
    const stream = tar.create(
      { cwd: dir, gzip: { level: 9 }, portable: true, mtime: new Date(0) },
      [...files.keys()].sort(),
    );
    for await (const chunk of stream as AsyncIterable<Buffer>) chunks.push(chunk);
    return Buffer.concat(chunks);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Reads a package archive fully in memory. Only regular files with safe relative paths are
 * accepted: links, devices, absolute paths and `..` are refused, never followed.
 */
export async function unpackFiles(archive: Uint8Array, subject: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const refuse = (actual: string): IntegrityError =>
    new IntegrityError(
      { subject, expected: 'a statekeep package archive', actual },
      'the package is damaged or not a statekeep package; publish it again',
    );
  let total = 0;
  let problem: IntegrityError | undefined;
  await new Promise<void>((resolve, reject) => {
    const parser = new tar.Parser({
      strict: true,
      onReadEntry: (entry) => {
        const name = entry.path.replace(/\/$/, '');
        if (problem !== undefined || entry.type === 'Directory') return entry.resume();
        if (entry.type !== 'File' || !isSafeRelative(name)) {
          problem = refuse(`an entry ${JSON.stringify(entry.path)} of type ${entry.type}`);
          return entry.resume();
        }
        const chunks: Buffer[] = [];
        entry.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (total > MAX_UNPACKED_BYTES || files.size > MAX_ENTRIES)
            problem ??= refuse('more content than a package may hold');
          else chunks.push(chunk);
        });
        entry.on('end', () => files.set(name, Buffer.concat(chunks)));
      },
    });
    parser.on('error', (error: Error) => reject(refuse(`an unreadable archive (${error.message})`)));
    parser.on('end', () => resolve());
    parser.end(Buffer.from(archive.buffer, archive.byteOffset, archive.byteLength));
  });
  if (problem !== undefined) throw problem;
  return files;
}

export function isSafeRelative(name: string): boolean {
  if (name === '' || name.startsWith('/') || name.includes('\\') || name.includes('\0')) return false;
  return name.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}
