import { digestOf, isDigest, verifyBytes } from '../../registry/digest.js';
import { AlreadyExistsError, IntegrityError, NotFoundError, hasCode } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import type { ReleaseVersion } from '../../registry/versions.js';
import type { MlflowClient, RegisteredModel } from './client.js';
import { LIMITS, tagEquals } from './limits.js';
import {
  artifactPath,
  isOurs,
  KIND,
  LATEST_ALIAS,
  markers,
  modelName,
  modelNameOrNull,
  nameOf,
  RECORD_FILE,
  TAG,
  tagMap,
} from './naming.js';
import type { ProjectExperiments } from './project-experiments.js';

/** Where a release keeps its things in MLflow. */
export interface ReleaseHome {
  model: string;
  runId: string;
  /** The release run's artifact URI (mlflow-artifacts:/…). */
  artifactUri: string;
}

/**
 * Releases as registered models, one per (project, release), named `<namespace>~<project>~<version>`,
 * each with a run of its own in the project's experiment: release.json (the record) and every
 * generation's manifest are that run's artifacts, and its metrics chart the generations.
 * Creating the model is the release's atomic, exclusive step: the server refuses a second model
 * of the same name, and the tags naming the run and the record's digest arrive in that same
 * call, after the record is stored. So a release is never visible without its record.
 */
export class ReleaseModels {
  readonly #client: MlflowClient;
  readonly #projects: ProjectExperiments;
  readonly #namespace: string;
  // A release never moves, so where it lives is remembered once known.
  readonly #homes = new Map<string, ReleaseHome>();

  constructor(client: MlflowClient, projects: ProjectExperiments, namespace: string) {
    this.#client = client;
    this.#projects = projects;
    this.#namespace = namespace;
  }

  /** Projects with at least one release: read off the release models, not the experiments. */
  async projects(): Promise<string[]> {
    return [...new Set((await this.#search()).map((r) => r.project))];
  }

  async versions(project: ProjectName): Promise<string[]> {
    return (await this.#search(project)).filter((r) => r.project === project).map((r) => r.release);
  }

  async read(project: ProjectName, version: ReleaseVersion): Promise<Uint8Array> {
    // Where the record lives is known once the release was seen: then the model (for the digest
    // to check against) and the record are fetched at once, one round trip instead of two.
    const home = this.#homes.get(`${project}\u0000${version}`);
    const early =
      home === undefined ? undefined : this.#client.download(`${artifactPath(home.artifactUri)}/${RECORD_FILE}`);
    early?.catch(() => undefined);
    const model = await this.#model(project, version);
    const tags = tagMap(model.tags);
    const digest = tags.get(TAG.record);
    const at = { project, release: version, subject: 'release record' };
    if (!isDigest(digest))
      throw new IntegrityError({
        ...at,
        expected: `a digest in tag ${TAG.record}`,
        actual: JSON.stringify(digest ?? null),
      });
    const fresh = this.#remember(project, version, model);
    // A release deleted and made again under the same name lives elsewhere: fetch that record.
    const bytes = await (early !== undefined && home?.artifactUri === fresh.artifactUri
      ? early
      : this.#client.download(`${artifactPath(fresh.artifactUri)}/${RECORD_FILE}`));
    if (bytes === null) throw new IntegrityError({ ...at, expected: digest, actual: 'no stored record' });
    return verifyBytes(bytes, { digest }, at);
  }

  /** The release's model and run; NotFoundError if it does not exist. */
  async home(project: ProjectName, version: ReleaseVersion): Promise<ReleaseHome> {
    return (
      this.#homes.get(`${project}\u0000${version}`) ??
      this.#remember(project, version, await this.#model(project, version))
    );
  }

  async write(project: ProjectName, version: ReleaseVersion, record: Uint8Array): Promise<void> {
    const name = modelName(this.#namespace, project, version);
    const experiment = await this.#projects.ensure(project);
    const runName = `release ${version}`.length <= LIMITS.runName ? `release ${version}` : 'release';
    const run = await this.#client.createRun(
      experiment.experimentId,
      runName,
      markers(this.#namespace, KIND.release, { [TAG.project]: project, [TAG.release]: version }),
    );
    const runId = run.run_id ?? '';
    const tags = markers(this.#namespace, KIND.release, {
      [TAG.project]: project,
      [TAG.release]: version,
      [TAG.record]: digestOf(record),
      [TAG.run]: runId,
      [TAG.artifacts]: run.artifact_uri ?? '',
    });
    const description =
      `statekeep release ${version} of project ${project}. Each version of this model is a generation; ` +
      `only versions tagged ${TAG.state}=committed are complete, and alias @${LATEST_ALIAS} follows the newest.`;
    let created: RegisteredModel | null;
    try {
      await this.#client.upload(`${artifactPath(run.artifact_uri ?? '')}/${RECORD_FILE}`, record);
      await this.#client.updateRun(runId, 'FINISHED');
      created = await this.#client.createRegisteredModel(name, description, tags);
    } catch (error) {
      // A create is never retried, but when its answer was lost it may still have happened.
      if (hasCode(error, 'UNAVAILABLE') && (await this.#holds(name, project, version, runId))) return;
      await this.#abandon(runId);
      throw error;
    }
    if (created === null) {
      await this.#abandon(runId);
      throw new AlreadyExistsError(
        { what: 'release', project, release: version },
        'releases are immutable; bump the version in package.json',
      );
    }
  }

  /**
   * Removes a release: its registered model goes with every version (generation) in one call; its
   * run (record and manifests) is deleted as MLflow deletes runs, softly until `mlflow gc`.
   * NotFoundError if absent. Blobs are the project's, swept by statekeep's gc.
   */
  async remove(project: ProjectName, version: ReleaseVersion): Promise<void> {
    const model = await this.#model(project, version);
    const runId = tagMap(model.tags).get(TAG.run);
    if (!(await this.#client.deleteRegisteredModel(model.name)))
      throw new NotFoundError({ what: 'release', project, release: version }, 'list the project to see its releases');
    this.#homes.delete(`${project}\u0000${version}`);
    if (runId !== undefined) await this.#abandon(runId);
  }

  // The run of a release that did not come to be (another writer won, or the server failed)
  // holds nothing anyone will read. Deleting it is a courtesy; the original error is what counts.
  async #abandon(runId: string): Promise<void> {
    await this.#client.deleteRun(runId).catch(() => undefined);
  }

  async #model(project: ProjectName, version: ReleaseVersion): Promise<RegisteredModel> {
    const name = modelNameOrNull(this.#namespace, project, version);
    const model = name === null ? null : await this.#client.registeredModel(name);
    if (model === null || !isOurs(tagMap(model.tags), this.#namespace, KIND.release, project, version)) {
      throw new NotFoundError({ what: 'release', project, release: version }, 'publish the release first');
    }
    return model;
  }

  #remember(project: ProjectName, version: ReleaseVersion, model: RegisteredModel): ReleaseHome {
    const tags = tagMap(model.tags);
    const home = { model: model.name, runId: tags.get(TAG.run) ?? '', artifactUri: tags.get(TAG.artifacts) ?? '' };
    this.#homes.set(`${project}\u0000${version}`, home);
    return home;
  }

  async #holds(name: string, project: ProjectName, version: ReleaseVersion, runId: string): Promise<boolean> {
    const model = await this.#client.registeredModel(name).catch(() => null);
    const tags = tagMap(model?.tags);
    return isOurs(tags, this.#namespace, KIND.release, project, version) && tags.get(TAG.run) === runId;
  }

  async #search(project?: ProjectName): Promise<{ project: string; release: string }[]> {
    const clauses = [tagEquals(TAG.namespace, this.#namespace), tagEquals(TAG.kind, KIND.release)];
    if (project !== undefined) clauses.push(tagEquals(TAG.project, project));
    const found: { project: string; release: string }[] = [];
    for (const model of await this.#client.searchRegisteredModels(clauses.join(' AND '))) {
      const tags = tagMap(model.tags);
      const p = tags.get(TAG.project);
      const r = tags.get(TAG.release);
      // A model whose name does not match its tags was not made by statekeep, whatever it claims.
      if (p !== undefined && r !== undefined && model.name === nameOf(this.#namespace, p, r))
        found.push({ project: p, release: r });
    }
    return found;
  }
}
