import type { Digest } from '../registry/digest.js';
import type { ProjectName } from '../registry/names.js';
import type { ReleaseVersion } from '../registry/versions.js';
import type { Label, ParamValue, Params } from './actor.js';
import type { ColumnType } from './data/column.js';
import type { Pipeline } from './pipeline.js';

/** How a candidate is scored; the runtime records it under `name` in every manifest's metrics. */
export interface ProjectMetric<P = Label> {
  /** A metric key (the name rule: letters, digits, . _ -), e.g. "accuracy". */
  readonly name: string;
  /** Higher is better ('max') or lower is better ('min'). */
  readonly direction: 'max' | 'min';
  score(predicted: readonly P[], actual: readonly Label[]): number;
}

/** A range to sample from in random search. */
export interface ParamRange {
  readonly min: number;
  readonly max: number;
  /** 'log' samples evenly across orders of magnitude (min must then be above 0). Default 'linear'. */
  readonly scale?: 'linear' | 'log';
  /** Round samples to whole numbers. */
  readonly integer?: boolean;
}

/** The values of one parameter: a list (grid or random choice) or a range (random search only). */
export type ParamSpace = readonly ParamValue[] | ParamRange;

export type SearchStrategy = 'grid' | 'random';

export interface TuningDefinition {
  /** Keyed like params: "actor.param". */
  readonly space: Readonly<Record<string, ParamSpace>>;
  /** Default: grid when every entry is a list, otherwise random. */
  readonly strategy?: SearchStrategy;
  /** Random search: how many candidates to score. Default 20. */
  readonly trials?: number;
  /** Fraction of the rows held out to score candidates on. Default 0.25. */
  readonly holdout?: number;
  /** Seed of the holdout shuffle and of random search. Default 1. */
  readonly seed?: number;
}

/**
 * What a project module default-exports: a plain object, built only from things the project
 * owns, so the bundle needs statekeep for types only.
 */
export interface ProjectDefinition<P = Label> {
  /**
   * Builds FRESH, untrained actors, every time it is called (once per run, once per tuning
   * candidate). `params` are the run's hyper-parameters ("actor.param" keys); the runtime also
   * hands each actor its own through setParams(), so most pipelines can ignore the argument.
   */
  pipeline(params: Params): Pipeline;
  /** The label column. */
  readonly label: string;
  /** Feature columns, in the order the first step receives them. Default: every other column except label and ordinal. */
  readonly features?: readonly string[];
  /**
   * Column types where inference from the data would guess wrong: `{ zip: 'text' }` keeps
   * "02134" as text, `{ reading: 'number' }` makes any cell that is not a number an error naming
   * its line. Other columns are typed by what they hold (numbers, true/false, ISO-8601
   * timestamps, otherwise text).
   */
  readonly types?: Readonly<Record<string, ColumnType>>;
  /** A column ordering the rows in time (a number or an ISO-8601 timestamp); enables train --since-last. */
  readonly ordinal?: string;
  readonly metric: ProjectMetric<P>;
  readonly tuning?: TuningDefinition;
  /** The name of the predictions column apply writes. Default "prediction". */
  readonly output?: string;
}

/** A project whose code is loaded, and whose release exists in the registry or is pending (ensureRelease). */
export interface LoadedProject {
  readonly name: ProjectName;
  readonly release: ReleaseVersion;
  /** Digest of the release package the code came from, recorded in each manifest; null when run from source. */
  readonly packageDigest: Digest | null;
  readonly definition: ProjectDefinition<unknown>;
  /**
   * Set while the project's release is pending, not yet in the registry: the runtime awaits it
   * right before its commit, after every state is encoded, so that a run failing earlier leaves
   * the registry as it was. A pending release has no generations yet.
   */
  readonly ensureRelease?: () => Promise<unknown>;
}
