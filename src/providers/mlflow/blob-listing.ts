import { isDigest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import type { BlobListing } from '../../registry/spi.js';
import type { MlflowClient } from './client.js';
import type { ProjectExperiments } from './project-experiments.js';

/**
 * Every blob artifact of a project's experiment with its size, one fan-out directory at a time
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
  const root = `${home.root}/blobs/sha256`;
  for (const shard of (await client.listDirectories(root)).map(baseName).sort()) {
    for (const file of await client.list(`${root}/${shard}`)) {
      const digest = `sha256:${baseName(file.name)}`;
      if (isDigest(digest) && digest.slice(7, 9) === shard) yield { digest, size: file.size ?? 0, writtenAt: 0 };
    }
  }
}

// The proxy answers with paths relative to the listed directory; only the last segment counts.
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
