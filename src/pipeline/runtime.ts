import type { StateCodec } from '../codec/state-codec.js';
import { hasCode, NotFoundError, UsageError } from '../registry/errors/index.js';
import type { ActorStart, GenerationManifest, ParentRef, TrainingInfo, TuningInfo } from '../registry/manifest.js';
import type { Registry } from '../registry/registry.js';
import { releaseVersion, type GenerationNumber } from '../registry/versions.js';
import type { Clock } from '../registry/clock.js';
import { buildPipeline, type BuiltPipeline } from './build-pipeline.js';
import { featureColumns, featureMatrix, labelColumn, requireColumns, tableSpec } from './data/columns.js';
import { tableOf, type DataInput } from './data/data-input.js';
import { rowCount } from './data/table.js';
import { predict, score, trainPipeline } from './fit.js';
import { paramsOf } from './params.js';
import type { ProjectCode } from './predictor.js';
import { RunProgress, type ProgressListener } from './progress.js';
import { checkDefinition, holdoutOf, seedOf, trialsOf } from './project-check.js';
import type { LoadedProject, ProjectDefinition, SearchStrategy } from './project.js';
import { holdoutSplit } from './search/holdout.js';
import { planSearch } from './search/candidates.js';
import { restore, snapshot } from './states.js';
import { isStateful } from './actor.js';
import type { NamedActor } from './actor-names.js';
import type { Table } from './data/table.js';
import { lineageRows, requireRows, trainingRows, type TrainingRows } from './training-rows.js';
import { lineageLower, retrainedActors } from './retrain.js';
import { checkWarmFrom } from './warm-from.js';
import { crossValidate, metricInfo, type CrossValidation, type Evaluation } from './evaluate.js';
import { searchBest } from './tune-search.js';

/** The project a run is of: loaded code, or a registered project's name (and release). */
export interface ProjectRef {
  /** A loaded project, or the name of a registered one (needs a Runtime opened with project code). */
  project: LoadedProject | string;
  /** With a project name: its release (default: the newest). */
  release?: string;
}

export interface TrainOptions extends ProjectRef {
  /** Rows in memory, a Table, or the path of a .csv or .jsonl file. */
  data: DataInput;
  /** Start from untrained actors and default parameters instead of the latest generation. */
  fresh?: boolean;
  /** Train only the rows after the latest generation's upper ordinal (with `from`: that generation's). */
  sinceLast?: boolean;
  /**
   * Warm-start from a generation of another release of the project (default generation: its
   * latest) instead of this release's latest; its stateful actors must match this pipeline's
   * by name and state version. The new generation's parent names it.
   */
  from?: { release: string; generation?: number | string };
  onProgress?: ProgressListener;
}

export interface TuneOptions extends ProjectRef {
  /** Rows in memory, a Table, or the path of a .csv or .jsonl file. */
  data: DataInput;
  strategy?: SearchStrategy;
  trials?: number;
  seed?: number;
  /** Fraction of rows held out for scoring; overrides the project's. */
  holdout?: number;
  onProgress?: ProgressListener;
}

export interface ApplyOptions extends ProjectRef {
  /** Rows in memory, a Table, or the path of a .csv or .jsonl file. */
  data: DataInput;
  /** Default: the latest generation. */
  generation?: number | string;
  onProgress?: ProgressListener;
}

export interface EvaluateOptions extends ProjectRef {
  /** Labelled rows: in memory, a Table, or the path of a .csv or .jsonl file. */
  data: DataInput;
  /** Default: the latest generation. */
  generation?: number | string;
  onProgress?: ProgressListener;
}

export interface CrossValidateOptions extends ProjectRef {
  /** Labelled rows: in memory, a Table, or the path of a .csv or .jsonl file. */
  data: DataInput;
  /** How many folds (2 up to the number of rows). */
  folds: number;
  /** Seed of the fold shuffle. Default 1. */
  seed?: number;
  /** Whose hyper-parameters the folds train with. Default: the release's latest generation, if any. */
  generation?: number | string;
  onProgress?: ProgressListener;
}

export interface ApplyResult {
  manifest: GenerationManifest;
  /** One per data row, in row order. */
  predictions: unknown[];
  /** The column name the project gives its predictions. */
  column: string;
}

/**
 * Runs a loaded project's pipeline against the registry: train and tune commit a generation
 * holding every stateful actor's state, keyed by actor name; apply loads one into fresh actors.
 * A run commits at most once, at its very end, so a failure anywhere commits nothing; a
 * project's pending release is made at that moment too, so a failed run makes none.
 */
export class Runtime {
  readonly #registry: Registry;
  readonly #codec: StateCodec;
  readonly #clock: Clock;
  readonly #code: ProjectCode | undefined;

  /** `code` loads a registered project's verified release; without it, runs take loaded projects only. */
  constructor(registry: Registry, codec: StateCodec, clock: Clock, code?: ProjectCode) {
    this.#registry = registry;
    this.#codec = codec;
    this.#clock = clock;
    this.#code = code;
  }

  /** Warm-starts from the latest generation (unless fresh), trains, commits mode "train". */
  async train(options: TrainOptions): Promise<GenerationManifest> {
    const { fresh = false, sinceLast = false } = options;
    const project = await this.#project(options);
    const definition = checkDefinition(project.definition);
    if (fresh && sinceLast)
      throw new UsageError(
        'fresh and sinceLast cannot be combined',
        'sinceLast continues the latest generation; fresh starts over from no state',
        { argument: 'since-last' },
      );
    const progress = new RunProgress('train', this.#clock, options.onProgress);
    const data = await tableOf(options.data, definition, 'train');
    requireColumns(data, tableSpec(definition, 'train'));
    const latestNumber = await this.#registry.latest(project.name, project.release).catch((error: unknown) => {
      if (absentWhilePending(project, error)) return null;
      throw error;
    });
    const latest =
      latestNumber === null ? null : await this.#registry.manifest(project.name, project.release, latestNumber);
    if (fresh && options.from !== undefined)
      throw new UsageError(
        'fresh and from cannot be combined',
        'from warm-starts from another release; fresh starts over from no state',
        { argument: 'from' },
      );
    const parent =
      options.from === undefined
        ? fresh
          ? null
          : latest
        : await this.#registry.manifest(project.name, options.from.release, options.from.generation);
    const { table, training } = trainingRows(definition, data, sinceLast ? { latest: parent } : null);
    const built = buildPipeline(definition, paramsOf(parent?.tuning?.params));
    retrainedActors(built); // checks every actor's incremental flag, warm start or not
    if (options.from !== undefined && parent !== null) await checkWarmFrom(built, parent, this.#registry, this.#codec);
    const start =
      parent === null
        ? null
        : await this.#warmStart(definition, built, parent, data, sinceLast, progress, project.release);
    const x = featureMatrix(table, featureColumns(definition, table));
    const y = labelColumn(table, definition.label);
    const metrics: Record<string, number> = {};
    // How the parent did on these rows before training on them; with --since-last they are
    // rows it never saw, which makes this an honest estimate of the parent's quality.
    if (start?.warm === true)
      metrics[`${definition.metric.name}_before`] = score(definition.metric, await predict(built, x), y);
    const retrained = start?.retrained ?? new Set<string>();
    const continues = (named: NamedActor) => !retrained.has(named.name);
    if (built.actors.some((named) => isStateful(named.actor) && continues(named)))
      await trainPipeline(
        built,
        x,
        y,
        (actor, done, total) => progress.emit('train', done, total, `training ${actor.name}`, { actor: actor.name }),
        continues,
      );
    if (start?.lineage) {
      // Actors that cannot continue refit on every row the lineage has seen, after the ones that continue.
      const rows = start.lineage.table;
      await trainPipeline(
        built,
        featureMatrix(rows, featureColumns(definition, rows)),
        labelColumn(rows, definition.label),
        (actor, done, total) =>
          progress.emit('train', done, total, `retraining ${actor.name} on ${rowCount(rows)} rows`, {
            actor: actor.name,
          }),
        (named) => retrained.has(named.name),
      );
    }
    metrics[definition.metric.name] = score(definition.metric, await predict(built, x), y);
    return this.#commit(project, built, progress, {
      mode: 'train',
      parent:
        parent === null
          ? null
          : parent.release === project.release
            ? parent.generation
            : { release: parent.release, generation: parent.generation },
      training,
      tuning: parent?.tuning ?? null,
      metrics,
      ...(start === null ? {} : { warmStart: start.record }),
    });
  }

  /**
   * Loads the parent's states into the actors that continue, and plans the others: those that
   * cannot continue (incremental: false, and every stateful actor after one) retrain from
   * scratch on the lineage's rows; those the parent has no state for train from scratch.
   */
  async #warmStart(
    definition: ProjectDefinition<unknown>,
    built: BuiltPipeline,
    parent: GenerationManifest,
    data: Table,
    sinceLast: boolean,
    progress: RunProgress,
    release: string,
  ): Promise<WarmStart> {
    const retrained = retrainedActors(built);
    let lineage: TrainingRows | null = null;
    if (retrained.size > 0) {
      const lower =
        definition.ordinal === undefined ? null : await lineageLower(this.#registry, parent, definition.ordinal);
      const actor = [...retrained][0]!;
      lineage = lineageRows(definition, data, { lower, generation: parent.generation, actor }, sinceLast);
    }
    const { loaded, untrained } = await restore(built, parent, this.#registry, this.#codec, 'warm-start', retrained);
    const record: Record<string, ActorStart> = {};
    for (const named of built.actors) {
      if (!isStateful(named.actor)) continue;
      record[named.name] = retrained.has(named.name)
        ? { start: 'retrained', training: lineage!.training }
        : { start: untrained.includes(named.name) ? 'untrained' : 'continued' };
    }
    const notes = [
      ...(retrained.size > 0
        ? [`retraining ${[...retrained].join(', ')} from scratch on ${lineage!.training.rows} rows`]
        : []),
      ...(untrained.length > 0 ? [`no state for ${untrained.join(', ')}, which train from scratch`] : []),
    ];
    progress.emit(
      'load',
      1,
      1,
      `warm start from ${parent.release === release ? '' : `release ${parent.release} `}generation ${parent.generation}: ${loaded.length} states loaded${notes.map((n) => `; ${n}`).join('')}`,
      { generation: parent.generation },
    );
    return { warm: untrained.length === 0 && retrained.size === 0, retrained, lineage, record };
  }

  /** Searches the tuning space on a holdout, retrains the best candidate on all rows, commits mode "tune". */
  async tune(options: TuneOptions): Promise<GenerationManifest> {
    const project = await this.#project(options);
    const definition = checkDefinition(project.definition);
    const tuning = definition.tuning;
    if (tuning === undefined)
      throw new UsageError(
        `project ${project.name} declares no tuning space`,
        'add tuning: { space: { "actor.param": [values] } } to the project definition',
      );
    const progress = new RunProgress('tune', this.#clock, options.onProgress);
    const data = await tableOf(options.data, definition, 'tune');
    requireColumns(data, tableSpec(definition, 'tune'));
    await this.#registry.release(project.name, project.release).catch((error: unknown) => {
      if (!absentWhilePending(project, error)) throw error;
    });
    const seed = seedOf(options.seed ?? tuning.seed ?? 1, options.seed === undefined ? null : 'seed');
    const fraction = holdoutOf(
      options.holdout ?? tuning.holdout ?? 0.25,
      options.holdout === undefined ? null : 'holdout',
    );
    const trials = options.trials === undefined ? undefined : trialsOf(options.trials);
    const plan = planSearch(tuning.space, {
      strategy: options.strategy ?? tuning.strategy,
      trials,
      defaultTrials: tuning.trials,
      seed,
    });
    const { table, training } = trainingRows(definition, data, null);
    const x = featureMatrix(table, featureColumns(definition, table));
    const y = labelColumn(table, definition.label);
    const split = holdoutSplit(y.length, fraction, seed, table.source);
    const best = await searchBest(definition, plan.candidates, { features: x, labels: y }, split, progress);
    const built = buildPipeline(definition, best.params);
    await trainPipeline(built, x, y, (actor, done, total) =>
      progress.emit('train', done, total, `retraining ${actor.name} with the best parameters`, { actor: actor.name }),
    );
    const metrics = {
      [definition.metric.name]: score(definition.metric, await predict(built, x), y),
      [`${definition.metric.name}_holdout`]: best.score,
    };
    const tuningInfo: TuningInfo = { score: best.score, params: best.params, trials: plan.candidates.length };
    if (best.failed.length > 0) tuningInfo.failed = best.failed;
    return this.#commit(project, built, progress, {
      mode: 'tune',
      parent: null,
      training,
      tuning: tuningInfo,
      metrics,
    });
  }

  /** Loads a generation (default: the latest) into fresh actors and predicts every row. */
  async apply(options: ApplyOptions): Promise<ApplyResult> {
    const project = await this.#project(options);
    const definition = checkDefinition(project.definition);
    const progress = new RunProgress('apply', this.#clock, options.onProgress);
    const manifest = await this.#registry.manifest(project.name, project.release, options.generation);
    const data = await tableOf(options.data, definition, 'apply');
    // No rows in memory have no columns either, and need none.
    if (rowCount(data) > 0 || data.columns.length > 0) requireColumns(data, tableSpec(definition, 'apply'));
    const built = buildPipeline(definition, paramsOf(manifest.tuning?.params));
    const { loaded } = await restore(built, manifest, this.#registry, this.#codec, 'apply');
    progress.emit('load', 1, 1, `loaded ${loaded.length} states of generation ${manifest.generation}`, {
      generation: manifest.generation,
    });
    const predictions =
      rowCount(data) === 0 ? [] : await predict(built, featureMatrix(data, featureColumns(definition, data)));
    progress.emit('predict', rowCount(data), rowCount(data), `predicted ${rowCount(data)} rows`, {
      generation: manifest.generation,
    });
    return { manifest, predictions, column: definition.output ?? 'prediction' };
  }

  /**
   * Scores a generation (default: the latest) on labelled rows with the project's metric:
   * loads it into fresh actors and predicts, like apply; nothing is trained or committed.
   */
  async evaluate(options: EvaluateOptions): Promise<Evaluation> {
    const project = await this.#project(options);
    const definition = checkDefinition(project.definition);
    const table = await tableOf(options.data, definition, 'train');
    requireColumns(table, tableSpec(definition, 'train'));
    requireRows(table);
    const { manifest, predictions } = await this.apply({
      project,
      data: table,
      ...(options.generation === undefined ? {} : { generation: options.generation }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
    const value = score(definition.metric, predictions, labelColumn(table, definition.label));
    return { manifest, metric: metricInfo(definition), score: value, rows: rowCount(table) };
  }

  /**
   * K-fold cross-validation of the project's pipeline on labelled rows: fresh actors per fold,
   * trained with the hyper-parameters of `generation` (default: the release's latest, if it has
   * one; else the defaults); nothing is committed.
   */
  async crossValidate(options: CrossValidateOptions): Promise<CrossValidation> {
    const project = await this.#project(options);
    const definition = checkDefinition(project.definition);
    const table = await tableOf(options.data, definition, 'train');
    requireColumns(table, tableSpec(definition, 'train'));
    requireRows(table);
    let source: GenerationManifest | null = null;
    if (options.generation !== undefined)
      source = await this.#registry.manifest(project.name, project.release, options.generation);
    else {
      const latest = await this.#registry.latest(project.name, project.release).catch((error: unknown) => {
        if (hasCode(error, 'NOT_FOUND')) return null;
        throw error;
      });
      if (latest !== null) source = await this.#registry.manifest(project.name, project.release, latest);
    }
    const progress = new RunProgress('eval', this.#clock, options.onProgress);
    return crossValidate(
      definition,
      table,
      {
        folds: options.folds,
        seed: seedOf(options.seed ?? 1, options.seed === undefined ? null : 'seed'),
        params: paramsOf(source?.tuning?.params),
        paramsFrom: source === null ? null : { release: source.release, generation: source.generation },
      },
      progress,
    );
  }

  async #project(ref: ProjectRef): Promise<LoadedProject> {
    const { project, release } = ref;
    if (typeof project !== 'string') {
      if (release !== undefined && release !== project.release)
        throw new UsageError(
          `the loaded project is release ${project.release} of ${project.name}, not ${release}`,
          'leave out release with a loaded project, or name the project to run another release',
          { argument: 'release' },
        );
      return project;
    }
    if (this.#code === undefined)
      throw new UsageError(
        `project ${JSON.stringify(project)} is named, but this Runtime has no project code to load it`,
        "open the Runtime with openRuntime() from 'statekeep/platform', or pass a loaded project",
        { argument: 'project' },
      );
    const version = release ?? (await this.#registry.latestRelease(project));
    if (version === null)
      throw new NotFoundError({ what: 'project', project }, 'publish a release of it first (statekeep release DIR)');
    return this.#code(project, releaseVersion(version));
  }

  async #commit(
    project: LoadedProject,
    built: BuiltPipeline,
    progress: RunProgress,
    run: CommitRun,
  ): Promise<GenerationManifest> {
    const states = await snapshot(built, this.#codec);
    // Last thing before the commit: a run that failed before here left no release behind.
    await project.ensureRelease?.();
    const manifest = await this.#registry.commit({
      project: project.name,
      release: project.release,
      ...run,
      // Wall time by the injected clock; a project metric of the same name takes precedence.
      metrics: { seconds: progress.elapsedMs / 1000, ...run.metrics },
      package: project.packageDigest,
      states,
      structure: built.structure,
    });
    progress.emit('commit', 1, 1, `committed generation ${manifest.generation} of ${project.name} ${project.release}`, {
      generation: manifest.generation,
    });
    return manifest;
  }
}

// A pending release is not in the registry until ensureRelease makes it, and has no generations until then.
function absentWhilePending(project: LoadedProject, error: unknown): boolean {
  return project.ensureRelease !== undefined && hasCode(error, 'NOT_FOUND');
}

interface WarmStart {
  /** Every stateful actor continues from the parent: the parent's score on these rows can be measured. */
  warm: boolean;
  retrained: Set<string>;
  lineage: TrainingRows | null;
  record: Record<string, ActorStart>;
}

interface CommitRun {
  warmStart?: Record<string, ActorStart>;
  mode: 'train' | 'tune';
  parent: GenerationNumber | ParentRef | null;
  training: TrainingInfo;
  tuning: TuningInfo | null;
  metrics: Record<string, number>;
}
