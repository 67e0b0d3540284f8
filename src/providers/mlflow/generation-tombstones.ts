import { digestOf } from '../../registry/digest.js';
import { NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import type { GenerationNumber, ReleaseVersion } from '../../registry/versions.js';
import type { MlflowClient } from './client.js';
import {
  artifactPath,
  GENERATION_MANIFEST_ARTIFACT,
  isOurs,
  KIND,
  modelNameOrNull,
  STATE,
  TAG,
  tagMap,
  TOMBSTONE_ARTIFACT,
} from './naming.js';

/**
 * Prunes a generation in MLflow: the tombstone goes beside the manifest in the version's source
 * folder, then one tag, statekeep.tombstone = its digest, switches what reads see (readManifest
 * returns the tombstone from then on, generation-versions.ts). The version stays committed, so
 * listings and the newest still count its number, and MLflow never allocates it again. The old
 * manifest is deleted afterwards, a courtesy: nothing reads it once the tag is set.
 */
export class GenerationTombstones {
  readonly #client: MlflowClient;
  readonly #namespace: string;

  constructor(client: MlflowClient, namespace: string) {
    this.#client = client;
    this.#namespace = namespace;
  }

  async tombstone(
    project: ProjectName,
    version: ReleaseVersion,
    generation: GenerationNumber,
    bytes: Uint8Array,
  ): Promise<void> {
    const model = modelNameOrNull(this.#namespace, project, version);
    const found = model === null ? null : await this.#client.modelVersion(model, String(generation));
    const tags = tagMap(found?.tags);
    if (
      model === null ||
      found === null ||
      !isOurs(tags, this.#namespace, KIND.generation, project, version) ||
      tags.get(TAG.state) !== STATE.committed
    ) {
      throw new NotFoundError(
        { what: 'generation', project, release: version, generation },
        'list the release to see its generations',
      );
    }
    const folder = artifactPath(found.source ?? '');
    await this.#client.upload(`${folder}/${TOMBSTONE_ARTIFACT}`, bytes);
    await this.#client.setModelVersionTag(model, String(generation), { key: TAG.tombstone, value: digestOf(bytes) });
    // For the people reading the UI, and the space: both are courtesies.
    await this.#client
      .setModelVersionTag(model, String(generation), { key: TAG.states, value: 'pruned (see tombstone.json)' })
      .catch(() => undefined);
    await this.#client.deleteArtifact(`${folder}/${GENERATION_MANIFEST_ARTIFACT}`).catch(() => undefined);
  }
}
