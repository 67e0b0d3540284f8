import createClient, { type Client } from 'openapi-fetch';
import { binaryBody } from './binary-body.js';
import { answerError, MlflowApiError } from './errors.js';
import { checkLength, checkTags, LIMITS, type Tag } from './limits.js';
import type { MlflowSettings } from './options.js';
import type { components, paths } from './schema.gen.js';
import { createTransport } from './transport.js';

export type Experiment = components['schemas']['Experiment'];
export type RunInfo = components['schemas']['RunInfo'];
export type RunStatus = components['schemas']['RunStatus'];
export type MlflowMetric = components['schemas']['Metric'];
export type RegisteredModel = components['schemas']['RegisteredModel'];
export type ModelVersion = components['schemas']['ModelVersion'];

type Answer<T> = Promise<{ data?: T; error?: unknown; response: Response }>;

const ARTIFACT = '/api/2.0/mlflow-artifacts/artifacts/{artifact_path}';
// The most registered-models/search hands out at once; model-versions/search takes it too.
const PAGE_SIZE = 1000;

/**
 * The calls statekeep makes, typed by the generated schema and sent through openapi-fetch.
 * Each method checks MLflow's limits before sending and returns null where "absent" is an
 * ordinary answer; everything else unsuccessful throws (see errors.ts).
 */
export class MlflowClient {
  readonly #api: Client<paths>;
  readonly #target: string;
  readonly #pageSize: number;

  /** `pageSize` is smaller only in tests, which prove paging without creating thousands of items. */
  constructor(settings: MlflowSettings, pageSize = PAGE_SIZE) {
    this.#target = settings.uri;
    this.#pageSize = pageSize;
    this.#api = createClient<paths>({
      baseUrl: settings.uri,
      fetch: createTransport(settings),
      headers: settings.authorization === null ? {} : { Authorization: settings.authorization },
      pathSerializer: segmentBySegment,
    });
  }

  // ---- experiments -----------------------------------------------------------------------

  async experimentByName(name: string): Promise<Experiment | null> {
    const answer = await this.#absentAsNull(
      this.#api.GET('/api/2.0/mlflow/experiments/get-by-name', { params: { query: { experiment_name: name } } }),
    );
    return answer?.experiment ?? null;
  }

  /** The new experiment's id, or null when the name is taken. */
  async createExperiment(name: string, tags: Tag[]): Promise<string | null> {
    checkLength('experiment name', name, LIMITS.experimentName, 'create an experiment');
    checkTags(tags, LIMITS.experimentTagValue, 'create an experiment');
    const answer = await this.#takenAsNull(
      this.#api.POST('/api/2.0/mlflow/experiments/create', { body: { name, tags } }),
    );
    return answer?.experiment_id ?? null;
  }

  /** Sets one tag of an experiment (created or replaced in one step). */
  async setExperimentTag(experimentId: string, tag: Tag): Promise<void> {
    checkTags([tag], LIMITS.experimentTagValue, 'tag an experiment');
    await this.#ok(
      this.#api.POST('/api/2.0/mlflow/experiments/set-experiment-tag', {
        body: { experiment_id: experimentId, ...tag },
      }),
    );
  }

  // ---- runs ------------------------------------------------------------------------------

  async createRun(experimentId: string, runName: string, tags: Tag[]): Promise<RunInfo> {
    checkLength('run name', runName, LIMITS.runName, 'create a run');
    checkTags(tags, LIMITS.runTagValue, 'create a run');
    const answer = await this.#ok(
      this.#api.POST('/api/2.0/mlflow/runs/create', {
        body: { experiment_id: experimentId, run_name: runName, start_time: Date.now(), tags },
      }),
    );
    return required(answer.run?.info, 'run info');
  }

  async updateRun(runId: string, status: RunStatus): Promise<void> {
    await this.#ok(
      this.#api.POST('/api/2.0/mlflow/runs/update', { body: { run_id: runId, status, end_time: Date.now() } }),
    );
  }

  async logMetrics(runId: string, metrics: MlflowMetric[]): Promise<void> {
    for (let i = 0; i < metrics.length; i += LIMITS.metricsPerBatch) {
      await this.#ok(
        this.#api.POST('/api/2.0/mlflow/runs/log-batch', {
          body: { run_id: runId, metrics: metrics.slice(i, i + LIMITS.metricsPerBatch) },
        }),
      );
    }
  }

  async deleteRun(runId: string): Promise<void> {
    await this.#absentAsNull(this.#api.POST('/api/2.0/mlflow/runs/delete', { body: { run_id: runId } }));
  }

  // ---- artifacts (mlflow-artifacts proxy) ------------------------------------------------

  async upload(path: string, bytes: Uint8Array): Promise<void> {
    await this.#ok(
      this.#api.PUT(ARTIFACT, {
        params: { path: { artifact_path: path } },
        body: bytes,
        bodySerializer: binaryBody,
        headers: { 'Content-Type': 'application/octet-stream' },
        // A stream body needs this; the transport sends the carried bytes without reading it.
        duplex: 'half',
      }),
    );
  }

  async download(path: string): Promise<Uint8Array | null> {
    const answer = this.#api.GET(ARTIFACT, { params: { path: { artifact_path: path } }, parseAs: 'arrayBuffer' });
    const data = await this.#absentAsNull(answer as Answer<ArrayBuffer | undefined>);
    if (data === null) return null;
    // An empty file comes back with no body at all.
    return data === undefined ? new Uint8Array(0) : new Uint8Array(data);
  }

  /** Deletes an artifact; false when it was not there. */
  async deleteArtifact(path: string): Promise<boolean> {
    const answer = await this.#absentAsNull(
      this.#api.DELETE(ARTIFACT, { params: { path: { artifact_path: path } } }) as Answer<unknown>,
    );
    return answer !== null;
  }

  /** Base names and sizes of a directory's files; nothing for a missing directory. */
  async list(directory: string): Promise<{ name: string; size: number | null }[]> {
    const answer = await this.#ok(
      this.#api.GET('/api/2.0/mlflow-artifacts/artifacts', { params: { query: { path: directory } } }),
    );
    return (answer.files ?? []).filter((f) => !f.is_dir).map((f) => ({ name: f.path, size: f.file_size ?? null }));
  }

  /** Base names of a directory's subdirectories; none for a missing directory. */
  async listDirectories(directory: string): Promise<string[]> {
    const answer = await this.#ok(
      this.#api.GET('/api/2.0/mlflow-artifacts/artifacts', { params: { query: { path: directory } } }),
    );
    return (answer.files ?? []).filter((f) => f.is_dir).map((f) => f.path);
  }

  // ---- registered models -----------------------------------------------------------------

  /** The new model, or null when the name is taken: the server decides atomically. */
  async createRegisteredModel(name: string, description: string, tags: Tag[]): Promise<RegisteredModel | null> {
    checkLength('model name', name, LIMITS.modelName, 'create a registered model');
    checkTags(tags, LIMITS.registryTagValue, 'create a registered model');
    const answer = await this.#takenAsNull(
      this.#api.POST('/api/2.0/mlflow/registered-models/create', { body: { name, description, tags } }),
    );
    return answer === null ? null : required(answer.registered_model, 'registered model');
  }

  async registeredModel(name: string): Promise<RegisteredModel | null> {
    const answer = await this.#absentAsNull(
      this.#api.GET('/api/2.0/mlflow/registered-models/get', { params: { query: { name } } }),
    );
    return answer?.registered_model ?? null;
  }

  async searchRegisteredModels(filter: string): Promise<RegisteredModel[]> {
    return pages(
      async (token) => {
        const query = { filter, max_results: this.#pageSize, order_by: ['name ASC'], page_token: token };
        const answer = await this.#ok(this.#api.GET('/api/2.0/mlflow/registered-models/search', { params: { query } }));
        return { items: answer.registered_models ?? [], next: answer.next_page_token };
      },
      (model) => model.name,
    );
  }

  async setAlias(name: string, alias: string, version: string): Promise<void> {
    await this.#ok(this.#api.POST('/api/2.0/mlflow/registered-models/alias', { body: { name, alias, version } }));
  }

  /** Removes an alias from a model; one it does not hold (or a missing model) is no error. */
  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.#absentAsNull(this.#api.DELETE('/api/2.0/mlflow/registered-models/alias', { body: { name, alias } }));
  }

  /** The first model in `orderBy` order that matches, in one call; null if none does. */
  async firstRegisteredModel(filter: string, orderBy: string): Promise<RegisteredModel | null> {
    const query = { filter, max_results: 1, order_by: [orderBy] };
    const answer = await this.#ok(this.#api.GET('/api/2.0/mlflow/registered-models/search', { params: { query } }));
    return answer.registered_models?.[0] ?? null;
  }

  // ---- model versions --------------------------------------------------------------------

  /** A new version; its number is allocated by the server, in one transaction. */
  async createModelVersion(name: string, source: string, runId: string, tags: Tag[]): Promise<ModelVersion> {
    checkLength('model version source', source, LIMITS.source, 'create a model version');
    checkTags(tags, LIMITS.registryTagValue, 'create a model version');
    const answer = await this.#ok(
      this.#api.POST('/api/2.0/mlflow/model-versions/create', { body: { name, source, run_id: runId, tags } }),
    );
    return required(answer.model_version, 'model version');
  }

  async modelVersion(name: string, version: string): Promise<ModelVersion | null> {
    const answer = await this.#absentAsNull(
      this.#api.GET('/api/2.0/mlflow/model-versions/get', { params: { query: { name, version } } }),
    );
    return answer?.model_version ?? null;
  }

  /** Every matching version (or only the first `limit`), in `orderBy` order. */
  async searchModelVersions(filter: string, orderBy: string, limit?: number): Promise<ModelVersion[]> {
    return pages(
      async (token) => {
        const query = { filter, max_results: limit ?? this.#pageSize, order_by: [orderBy], page_token: token };
        const answer = await this.#ok(this.#api.GET('/api/2.0/mlflow/model-versions/search', { params: { query } }));
        return { items: answer.model_versions ?? [], next: limit === undefined ? answer.next_page_token : undefined };
      },
      (version) => `${version.name}\u0000${version.version}`,
    );
  }

  async setModelVersionTag(name: string, version: string, tag: Tag): Promise<void> {
    checkTags([tag], LIMITS.registryTagValue, 'tag a model version');
    await this.#ok(this.#api.POST('/api/2.0/mlflow/model-versions/set-tag', { body: { name, version, ...tag } }));
  }

  /** Deletes a registered model with all its versions; false when there was none. */
  async deleteRegisteredModel(name: string): Promise<boolean> {
    const answer = await this.#absentAsNull(
      this.#api.DELETE('/api/2.0/mlflow/registered-models/delete', { body: { name } }) as Answer<unknown>,
    );
    return answer !== null;
  }

  async deleteModelVersion(name: string, version: string): Promise<void> {
    await this.#absentAsNull(this.#api.DELETE('/api/2.0/mlflow/model-versions/delete', { body: { name, version } }));
  }

  // ---- answers ---------------------------------------------------------------------------

  async #ok<T>(pending: Answer<T>): Promise<T> {
    const { data, error, response } = await pending;
    if (response.ok) return data as T;
    throw answerError(this.#target, response.status, error);
  }

  async #absentAsNull<T>(pending: Answer<T>): Promise<T | null> {
    return this.#ok(pending).catch((error: unknown) => {
      if (error instanceof MlflowApiError && error.notFound) return null;
      throw error;
    });
  }

  async #takenAsNull<T>(pending: Answer<T>): Promise<T | null> {
    return this.#ok(pending).catch((error: unknown) => {
      if (error instanceof MlflowApiError && error.alreadyExists) return null;
      throw error;
    });
  }
}

// Artifact paths keep their slashes: each segment is encoded on its own, so a proxy in front
// of MLflow sees an ordinary path rather than %2F.
function segmentBySegment(url: string, params: Record<string, unknown>): string {
  return url.replace(/\{([^{}]+)\}/g, (_, name: string) =>
    String(params[name]).split('/').map(encodeURIComponent).join('/'),
  );
}

// Page tokens are offsets, so rows inserted while paging can repeat an item; keep the first.
async function pages<T>(
  page: (token: string | undefined) => Promise<{ items: T[]; next?: string | undefined }>,
  key: (item: T) => string,
): Promise<T[]> {
  const seen = new Map<string, T>();
  let token: string | undefined;
  do {
    const { items, next } = await page(token);
    for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
    token = next || undefined;
  } while (token !== undefined);
  return [...seen.values()];
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new MlflowApiError(200, null, `the answer holds no ${what}`);
  return value;
}
