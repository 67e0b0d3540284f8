import { digestOf, type Digest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import type { MlflowClient } from './client.js';
import { blobPath, writtenTag } from './naming.js';
import type { ProjectExperiments } from './project-experiments.js';

/**
 * Deletes a blob artifact unless it was written since `notWrittenSince`, safely against writers,
 * with no lock (MLflow has none). A blob's last write time is the experiment tag
 * `statekeep.written.<hex>`, which writeBlob sets BEFORE it uploads (blob-store.ts). Deleting:
 *   1. read the tag; written since → keep;
 *   2. download the blob (the copy to put back; a damaged one is left alone for verify);
 *   3. delete the artifact (the proxied artifact API);
 *   4. read the tag again: if it moved, a writer wrote meanwhile, and its upload may have come
 *      before step 3, so the blob is uploaded again from the copy.
 * A writer whose tag comes after step 4 uploads after step 3 as well, so its blob stays. Either
 * way a writeBlob that resolves while this runs leaves the blob stored and whole. Between 3 and the
 * upload back the blob is briefly absent, as it is on posix between rename and link.
 *
 * The times are the writers' clocks (MLflow keeps none for artifacts); the gc grace period (an
 * hour by default) dwarfs the skew between machines. The tag of a deleted blob stays (a later
 * write sets it again); it costs a few bytes per blob ever stored.
 */
export async function deleteBlobArtifact(
  client: MlflowClient,
  projects: ProjectExperiments,
  project: ProjectName,
  digest: Digest,
  notWrittenSince: number,
): Promise<boolean> {
  const home = await projects.find(project);
  if (home === null) return false;
  const key = writtenTag(digest);
  const before = (await projects.freshTags(project)).get(key);
  if ((Number(before ?? 0) || 0) >= notWrittenSince) return false;
  const path = blobPath(home.root, digest);
  const copy = await client.download(path);
  if (copy === null || digestOf(copy) !== digest) return false;
  if (!(await client.deleteArtifact(path))) return false;
  const after = (await projects.freshTags(project)).get(key);
  if (after !== before) {
    await client.upload(path, copy);
    return false;
  }
  return true;
}
