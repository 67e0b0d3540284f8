import { digestHex, type Digest } from '../../registry/digest.js';
import { NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import type { MlflowClient } from './client.js';
import { MlflowApiError } from './errors.js';
import { blobDirectory, blobPath, writtenTag } from './naming.js';
import type { ProjectExperiments } from './project-experiments.js';

/**
 * Content-addressed blobs of a project, as files of its experiment:
 * `<experiment root>/blobs/sha256/<first 2 hex>/<64 hex>`. The experiment is shared by every
 * release of the project, so equal states are stored once per project. On a local artifact
 * destination the server writes an upload to a temporary file and renames it into place, so
 * a blob is either absent or complete; the Registry verifies it on every read regardless.
 */
export class BlobStore {
  readonly #client: MlflowClient;
  readonly #projects: ProjectExperiments;

  constructor(client: MlflowClient, projects: ProjectExperiments) {
    this.#client = client;
    this.#projects = projects;
  }

  async has(project: ProjectName, digest: Digest): Promise<boolean> {
    const home = await this.#projects.find(project);
    if (home === null) return false;
    // Listing the fan-out directory answers without downloading the blob.
    const files = await this.#client.list(blobDirectory(home.root, digest));
    return files.some((file) => file.name === digestHex(digest));
  }

  async write(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    const home = await this.#projects.ensure(project);
    // When it was written goes first, then the bytes: a gc that deletes the blob between the two
    // sees the new time afterwards and puts the blob back (blob-lifecycle.ts).
    await this.#markWritten(home.experimentId, digest);
    // The path is the content's address, so sending it again (a retry, a racing writer) is harmless.
    await this.#client.upload(blobPath(home.root, digest), bytes);
  }

  // Writers tagging one blob for the first time at once race to insert the tag, and the loser's
  // insert breaks the unique key (HTTP 400); going again updates the winner's row.
  async #markWritten(experimentId: string, digest: Digest): Promise<void> {
    for (let collisions = 0; ; ) {
      try {
        await this.#client.setExperimentTag(experimentId, { key: writtenTag(digest), value: String(Date.now()) });
        return;
      } catch (error) {
        if (error instanceof MlflowApiError && error.status === 400 && ++collisions <= MAX_TAG_COLLISIONS) continue;
        throw error;
      }
    }
  }

  async read(project: ProjectName, digest: Digest): Promise<Uint8Array> {
    const home = await this.#projects.find(project);
    const bytes = home === null ? null : await this.#client.download(blobPath(home.root, digest));
    if (bytes === null)
      throw new NotFoundError(
        { what: 'blob', project, name: digest },
        'the blob was never stored or has been removed from the MLflow artifact store',
      );
    return bytes;
  }
}

const MAX_TAG_COLLISIONS = 5;
