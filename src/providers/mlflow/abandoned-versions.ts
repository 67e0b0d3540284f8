import { DEFAULT_CLEANUP_AGE_MS, type CleanupReport } from '../../registry/spi.js';
import type { MlflowClient } from './client.js';
import { tagEquals } from './limits.js';
import { KIND, nameOf, STATE, TAG, tagMap } from './naming.js';

/**
 * Removes what crashed or failed writers left in the namespace: model versions still pending
 * or marked failed. Readers ignore them anyway; this only tidies the UI. Deleting a version
 * keeps its number taken, so it is still never reused. A manifest such a writer may have
 * stored stays in the release run (MLflow has no artifact delete for runs through the API we
 * use), so no bytes are reported as freed.
 */
export async function removeAbandoned(
  client: MlflowClient,
  namespace: string,
  olderThanMs = DEFAULT_CLEANUP_AGE_MS,
): Promise<CleanupReport> {
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  for (const state of [STATE.pending, STATE.failed]) {
    const filter = [
      tagEquals(TAG.namespace, namespace),
      tagEquals(TAG.kind, KIND.generation),
      tagEquals(TAG.state, state),
    ].join(' AND ');
    for (const version of await client.searchModelVersions(filter, 'version_number ASC')) {
      // A younger one may belong to a writer still at work.
      if ((version.creation_timestamp ?? Number.POSITIVE_INFINITY) > cutoff) continue;
      // Tags can be copied; a model statekeep did not name is not statekeep's to tidy.
      const tags = tagMap(version.tags);
      if (version.name !== nameOf(namespace, tags.get(TAG.project) ?? '', tags.get(TAG.release) ?? '')) continue;
      await client.deleteModelVersion(version.name, version.version);
      removed += 1;
    }
  }
  return { removed, bytes: 0 };
}
