import { isDigest, verifyBytes } from '../../registry/digest.js';
import { IntegrityError, NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import { MAX_GENERATION, type GenerationNumber, type ReleaseVersion } from '../../registry/versions.js';
import type { MlflowClient, ModelVersion } from './client.js';
import { nameEquals, tagEquals } from './limits.js';
import {
  artifactPath,
  generationMarkers,
  isOurs,
  KIND,
  GENERATION_MANIFEST_ARTIFACT,
  modelNameOrNull,
  STATE,
  TAG,
  tagMap,
  TOMBSTONE_ARTIFACT,
} from './naming.js';

/**
 * The search for a release's generations: versions of its model that carry statekeep's marks
 * for this release and are committed. Uncommitted versions, and any a person added by hand,
 * are never seen, so listing, the newest and reading one all agree.
 */
export function committedFilter(
  namespace: string,
  project: ProjectName,
  release: ReleaseVersion,
  model: string,
): string {
  const marks = [...generationMarkers(namespace, project, release), { key: TAG.state, value: STATE.committed }];
  return [nameEquals(model), ...marks.map((tag) => tagEquals(tag.key, tag.value))].join(' AND ');
}

/** The highest version a committedFilter finds, found by the server: one small answer however many there are. */
export async function newestCommitted(client: MlflowClient, committed: string): Promise<GenerationNumber | null> {
  const [newest] = await client.searchModelVersions(committed, 'version_number DESC', 1);
  return newest === undefined ? null : numberOf(newest);
}

/**
 * Reads generations: model versions of the release model that carry statekeep.state=committed.
 * A version still pending (a writer at work, or one that crashed) is invisible, and its number
 * is never handed out again, since MLflow keeps allocating above it.
 */
export class GenerationVersions {
  readonly #client: MlflowClient;
  readonly #namespace: string;

  constructor(client: MlflowClient, namespace: string) {
    this.#client = client;
    this.#namespace = namespace;
  }

  async list(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber[]> {
    const model = modelNameOrNull(this.#namespace, project, version);
    if (model === null) return [];
    const versions = await this.#client.searchModelVersions(
      committedFilter(this.#namespace, project, version, model),
      'version_number ASC',
    );
    return versions.map(numberOf).filter((n): n is GenerationNumber => n !== null);
  }

  async latest(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber | null> {
    const model = modelNameOrNull(this.#namespace, project, version);
    return model === null
      ? null
      : newestCommitted(this.#client, committedFilter(this.#namespace, project, version, model));
  }

  async read(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber): Promise<Uint8Array> {
    const model = modelNameOrNull(this.#namespace, project, version);
    const found = model === null ? null : await this.#client.modelVersion(model, String(generation));
    if (
      found === null ||
      !this.#isOurs(found, project, version) ||
      tagMap(found.tags).get(TAG.state) !== STATE.committed
    ) {
      throw new NotFoundError(
        { what: 'generation', project, release: version, generation },
        'list the release to see its generations',
      );
    }
    const at = { project, release: version, generation, subject: 'generation manifest' };
    // A pruned generation reads as its tombstone (generation-tombstones.ts).
    const tombstone = tagMap(found.tags).get(TAG.tombstone);
    if (tombstone !== undefined) {
      const stone = { ...at, subject: 'generation tombstone' };
      if (!isDigest(tombstone))
        throw new IntegrityError({
          ...stone,
          expected: `a digest in tag ${TAG.tombstone}`,
          actual: JSON.stringify(tombstone),
        });
      const bytes = await this.#client.download(`${artifactPath(found.source ?? '')}/${TOMBSTONE_ARTIFACT}`);
      if (bytes === null) throw new IntegrityError({ ...stone, expected: tombstone, actual: 'no stored tombstone' });
      return verifyBytes(bytes, { digest: tombstone }, stone);
    }
    const digest = tagMap(found.tags).get(TAG.manifest);
    if (!isDigest(digest))
      throw new IntegrityError({
        ...at,
        expected: `a digest in tag ${TAG.manifest}`,
        actual: JSON.stringify(digest ?? null),
      });
    const bytes = await this.#client.download(`${artifactPath(found.source ?? '')}/${GENERATION_MANIFEST_ARTIFACT}`);
    if (bytes === null) throw new IntegrityError({ ...at, expected: digest, actual: 'no stored manifest' });
    return verifyBytes(bytes, { digest }, at);
  }

  #isOurs(version: ModelVersion, project: ProjectName, release: ReleaseVersion): boolean {
    return isOurs(tagMap(version.tags), this.#namespace, KIND.generation, project, release);
  }
}

function numberOf(version: ModelVersion): GenerationNumber | null {
  const n = Number(version.version);
  return Number.isSafeInteger(n) && n >= 1 && n <= MAX_GENERATION ? (n as GenerationNumber) : null;
}
