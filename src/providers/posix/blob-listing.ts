import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import type { BlobListing } from '../../registry/spi.js';
import { listDir } from './file-reads.js';
import { isErrno } from './fs-errors.js';
import type { Layout } from './layout.js';

/**
 * Every blob file of a project with its size and mtime (when it was last written), shard by shard, so a caller sees them one at a
 * time however many there are. Names that are not a digest (temp files) are skipped.
 */
export async function* listBlobFiles(layout: Layout, project: ProjectName): AsyncGenerator<BlobListing> {
  const root = layout.blobRoot(project);
  for (const shard of (await listDir(root)).sort()) {
    for (const rest of (await listDir(join(root, shard))).sort()) {
      const digest = `sha256:${shard}${rest}`;
      if (!isDigest(digest)) continue;
      try {
        const stats = await lstat(join(root, shard, rest));
        if (stats.isFile()) yield { digest, size: stats.size, writtenAt: stats.mtimeMs };
      } catch (error) {
        if (!isErrno(error, 'ENOENT')) throw error;
      }
    }
  }
}
