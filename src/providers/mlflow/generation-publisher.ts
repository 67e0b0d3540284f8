import { digestOf, type Digest } from '../../registry/digest.js';
import { NotFoundError } from '../../registry/errors/index.js';
import { decodeManifest, formatParent, type GenerationManifest } from '../../registry/manifest.js';
import type { ProjectName } from '../../registry/names.js';
import { generationNumber, type GenerationNumber, type ReleaseVersion } from '../../registry/versions.js';
import type { MlflowMetric, MlflowClient } from './client.js';
import { MlflowApiError } from './errors.js';
import { committedFilter, newestCommitted } from './generation-versions.js';
import { isLoggableKey, LIMITS, type Tag } from './limits.js';
import {
  generationManifestPath,
  generationMarkers,
  generationsSource,
  LATEST_ALIAS,
  GENERATION_MANIFEST_ARTIFACT,
  STATE,
  TAG,
} from './naming.js';
import type { ReleaseHome, ReleaseModels } from './release-models.js';
import { tunedParams, versionDescription } from './version-notes.js';

/**
 * Publishes a generation in the order that keeps it invisible until complete:
 *   1. a version of the release model, tagged pending: the server allocates its number, the
 *      generation number, in one transaction, so no other writer anywhere ever gets it;
 *   2. render(n); the manifest goes to generations/<n>/ in the release run (the version's
 *      source is that run's generations folder), its digest, mode, parent and state digests to
 *      the version's tags, a line for people to its description, its metrics (step n) and tuned
 *      parameters (g<n>.…) to the run;
 *   3. tag statekeep.state=committed: the single step that makes the generation visible;
 *   4. move the alias that follows the newest generation, as a courtesy to the UI.
 * A failure before 3 leaves a pending (or failed) version that readers ignore: a gap in the
 * numbers, never a reuse. cleanup() removes such versions later.
 */
export class GenerationPublisher {
  readonly #client: MlflowClient;
  readonly #releases: ReleaseModels;
  readonly #namespace: string;

  constructor(client: MlflowClient, releases: ReleaseModels, namespace: string) {
    this.#client = client;
    this.#releases = releases;
    this.#namespace = namespace;
  }

  async publish(
    project: ProjectName,
    version: ReleaseVersion,
    render: (generation: GenerationNumber) => Uint8Array,
  ): Promise<GenerationNumber> {
    const release = await this.#releases.home(project, version);
    // The number is not known yet: the version points at the generations folder, and the
    // manifest goes under the number once the server has allocated it (to this writer alone).
    const source = generationsSource(release.artifactUri);
    const marks = [...generationMarkers(this.#namespace, project, version), { key: TAG.state, value: STATE.pending }];
    let allocated: string;
    try {
      allocated = (await this.#client.createModelVersion(release.model, source, release.runId, marks)).version;
    } catch (error) {
      if (error instanceof MlflowApiError && error.notFound)
        throw new NotFoundError({ what: 'release', project, release: version }, 'publish the release first');
      throw error;
    }
    const generation = generationNumber(allocated);
    try {
      await this.#complete(release, allocated, render(generation), { project, release: version, generation });
      await this.#client.setModelVersionTag(release.model, allocated, { key: TAG.state, value: STATE.committed });
    } catch (error) {
      // Telling the UI the version failed is a courtesy; the error that caused it is what counts.
      await this.#client
        .setModelVersionTag(release.model, allocated, { key: TAG.state, value: STATE.failed })
        .catch(() => undefined);
      throw error;
    }
    // The generation is published: a failure to move the alias (a UI pointer, moved again by the
    // next publish) must not tell the caller otherwise, or it would commit the same work twice.
    await this.#followNewest(
      release.model,
      committedFilter(this.#namespace, project, version, release.model),
      generation,
    ).catch(() => undefined);
    return generation;
  }

  async #complete(
    release: ReleaseHome,
    number: string,
    bytes: Uint8Array,
    at: { project: ProjectName; release: ReleaseVersion; generation: GenerationNumber },
  ): Promise<void> {
    const manifest = decodeManifest(bytes, at);
    const metrics = metricsOf(manifest);
    const params = tunedParams(manifest);
    await Promise.all([
      this.#client.upload(generationManifestPath(release.artifactUri, manifest.generation), bytes),
      ...describe(manifest, digestOf(bytes)).map((tag) => this.#client.setModelVersionTag(release.model, number, tag)),
      this.#client.describeModelVersion(release.model, number, versionDescription(manifest)),
      metrics.length === 0 ? null : this.#client.logMetrics(release.runId, metrics),
      params.length === 0 ? null : this.#client.logParams(release.runId, params),
    ]);
  }

  // Writers finishing in any order leave the alias on the newest committed version: each one
  // re-reads the newest after moving the alias and moves it again if someone overtook it.
  async #followNewest(model: string, committed: string, generation: GenerationNumber): Promise<void> {
    let target = generation;
    for (let collisions = 0; ; ) {
      try {
        await this.#client.setAlias(model, LATEST_ALIAS, String(target));
      } catch (error) {
        // Writers setting the alias for the first time at once race to insert it, and the
        // loser's insert breaks the unique key (HTTP 400). Going again updates the winner's row.
        if (error instanceof MlflowApiError && error.status === 400 && ++collisions <= MAX_ALIAS_COLLISIONS) continue;
        throw error;
      }
      const newest = await newestCommitted(this.#client, committed);
      if (newest === null || newest <= target) return;
      target = newest;
    }
  }
}

const MAX_ALIAS_COLLISIONS = 5;

/** The tags people read in the UI: mode, parent, the manifest's digest and each state's. */
function describe(manifest: GenerationManifest, digest: Digest): Tag[] {
  const tags: Tag[] = [
    { key: TAG.mode, value: manifest.mode },
    { key: TAG.parent, value: manifest.parent === null ? 'none' : formatParent(manifest) },
    { key: TAG.manifest, value: digest },
  ];
  if (manifest.rollbackOf !== null) tags.push({ key: TAG.rollbackOf, value: String(manifest.rollbackOf) });
  const states = manifest.states.map((s) => `${s.actor}=${s.digest}`).join(' ');
  // Too many states for one tag: say so plainly instead of sending a value the server would cut.
  tags.push({
    key: TAG.states,
    value:
      states.length <= LIMITS.registryTagValue
        ? states
        : `${manifest.states.length} states; see ${GENERATION_MANIFEST_ARTIFACT}`,
  });
  return tags;
}

/** The manifest's metrics on the release run, one step per generation, so the UI charts them. */
function metricsOf(manifest: GenerationManifest): MlflowMetric[] {
  const timestamp = Date.parse(manifest.created);
  return Object.entries(manifest.metrics)
    .filter(([key]) => isLoggableKey(key))
    .map(([key, value]) => ({ key, value, timestamp, step: manifest.generation }));
}
