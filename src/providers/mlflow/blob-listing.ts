import { isDigest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import type { BlobListing } from '../../registry/spi.js';
import type { MlflowClient } from './client.js';
import { writtenTag } from './naming.js';
import type { ProjectExperiments } from './project-experiments.js';

/**
 * Every blob artifact of a project's experiment with its size and when it was last written, one fan-out directory at a time
 * (one listing each, at most 257 calls whatever the number of blobs). Names that are not a
 * digest are skipped.
 */
export async function* listBlobArtifacts(
  client: MlflowClient,
  projects: ProjectExperiments,
  project: ProjectName,
): AsyncGenerator<BlobListing> {
  const home = await projects.find(project);
  if (home === null) return;
  // When each was last written: one tag per blob on the experiment (blob-store.ts); 0 for a blob
  // stored before statekeep kept them, which counts as written long ago.
  const written = await projects.freshTags(project);
  const root = `${home.root}/blobs/sha256`;
  for (const shard of (await client.listDirectories(root)).map(baseName).sort()) {
    for (const file of await client.list(`${root}/${shard}`)) {
      const digest = `sha256:${baseName(file.name)}`;
      if (isDigest(digest) && digest.slice(7, 9) === shard)
        yield { digest, size: file.size ?? 0, writtenAt: Number(written.get(writtenTag(digest)) ?? 0) || 0 };
    }
  }
}

// The proxy answers with paths relative to the listed directory; only the last segment counts.
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
