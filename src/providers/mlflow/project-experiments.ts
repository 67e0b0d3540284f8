import { ProviderError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import type { Experiment, MlflowClient } from './client.js';
import { artifactPath, BLOB_LAYOUT, experimentName, isOurs, KIND, markers, TAG, tagMap } from './naming.js';

/** A project's experiment, as far as statekeep needs it. */
export interface ProjectHome {
  experimentId: string;
  /** The experiment's artifact root as a proxy path ("3"); blobs and runs live below it. */
  root: string;
}

/**
 * Finds and creates the experiment of each project: `<namespace>~<project>`, tagged as a
 * statekeep project of the namespace. Creation is race-free (the server refuses a second
 * experiment of the same name; the loser reads the winner's). Found homes are cached: an
 * experiment's id and artifact root never change.
 */
export class ProjectExperiments {
  readonly #client: MlflowClient;
  readonly #namespace: string;
  readonly #homes = new Map<string, ProjectHome>();

  constructor(client: MlflowClient, namespace: string) {
    this.#client = client;
    this.#namespace = namespace;
  }

  /** The project's home, or null if statekeep never created one (or it was deleted). */
  async find(project: ProjectName): Promise<ProjectHome | null> {
    const cached = this.#homes.get(project);
    if (cached !== undefined) return cached;
    const experiment = await this.#client.experimentByName(experimentName(this.#namespace, project));
    if (experiment === null || experiment.lifecycle_stage === 'deleted' || !this.#isOurs(experiment, project))
      return null;
    return this.#remember(project, experiment);
  }

  /** The project experiment's tags as the server holds them now (not cached); empty when it has none. */
  async freshTags(project: ProjectName): Promise<Map<string, string>> {
    const experiment = await this.#client.experimentByName(experimentName(this.#namespace, project));
    if (experiment === null || !this.#isOurs(experiment, project)) return new Map();
    return tagMap(experiment.tags);
  }

  async ensure(project: ProjectName): Promise<ProjectHome> {
    const found = await this.find(project);
    if (found !== null) return found;
    const name = experimentName(this.#namespace, project);
    await this.#client.createExperiment(
      name,
      markers(this.#namespace, KIND.project, { [TAG.project]: project, [TAG.blobs]: BLOB_LAYOUT }),
    );
    // Created now or by a concurrent writer a moment ago: either way, read what the server holds.
    const experiment = await this.#client.experimentByName(name);
    if (experiment === null) throw this.#refuse(name, 'vanished right after it was created');
    if (experiment.lifecycle_stage === 'deleted')
      throw this.#refuse(name, 'is deleted', 'restore it in the MLflow UI (or remove it for good with `mlflow gc`)');
    if (!this.#isOurs(experiment, project))
      throw this.#refuse(
        name,
        'exists but statekeep did not create it',
        'rename that experiment, or use another namespace',
      );
    return this.#remember(project, experiment);
  }

  #isOurs(experiment: Experiment, project: ProjectName): boolean {
    return isOurs(tagMap(experiment.tags), this.#namespace, KIND.project, project);
  }

  #remember(project: ProjectName, experiment: Experiment): ProjectHome {
    const home = {
      experimentId: experiment.experiment_id ?? '',
      root: artifactPath(experiment.artifact_location ?? ''),
    };
    this.#homes.set(project, home);
    return home;
  }

  #refuse(name: string, problem: string, hint = 'check the experiment in the MLflow UI'): ProviderError {
    return new ProviderError(
      { provider: 'mlflow', operation: 'open the project experiment', detail: `experiment ${name} ${problem}` },
      hint,
    );
  }
}
