import type { AnyActor, AnyLabelActor, Label } from './actor.js';
import type { FeatureRows } from './data/feature-rows.js';

/**
 * A pipeline: steps composed in order. The first step receives the feature rows (one array of
 * typed cells per data row, `null` where a cell is missing, described by `rows.columns`), each
 * next step the output of the one before, and the last step's output, one item per row, are
 * the predictions.
 *
 * A step is an actor or a set of branches (see Branches): the pipeline is then a graph, and
 * every actor in a branch is named `<branch>.<actor>` (`numeric.scaler`), which keys its state
 * and its hyper-parameters however the graph is drawn.
 *
 * Supervised steps train on the labels after they have passed through the label path
 * (`labels`), for example a label encoder that turns species names into class indices; on
 * apply the predictions pass back through the label path's inverse().
 */
export interface Pipeline {
  readonly steps: readonly Step[];
  readonly labels?: readonly AnyLabelActor[];
}

/** One step of a pipeline or of a branch: an actor, or branches that run side by side and are joined. */
export type Step = AnyActor | Branches;

/** One branch: the columns it takes (by name) and its own steps. */
export interface Branch {
  /**
   * The feature columns this branch receives, in this order; default: everything the branches
   * receive. Naming columns needs named input: the feature rows, or a branch's routed columns.
   */
  readonly columns?: readonly string[];
  /** The branch's steps; none passes its columns through unchanged. */
  readonly steps: readonly Step[];
}

/**
 * Branches that each receive the same input (or their `columns` of it) and whose outputs are
 * joined into one per row: 'union' (default) puts each row's outputs side by side, in branch
 * order (a column union); 'average' takes the mean of numeric outputs (numbers, or arrays of
 * numbers such as class probabilities); 'vote' takes the most frequent output, a tie going to
 * the earliest branch. Every branch trains on the same labels.
 */
export interface Branches {
  /** Keyed by branch name (letters, digits, _ and -), which prefixes its actors' names. */
  readonly branches: Readonly<Record<string, Branch>>;
  readonly join?: Join;
}

export type Join = 'union' | 'average' | 'vote';

/** The runtime's input to the first step: rows of typed cells, null where missing. */
export type FeatureMatrix = FeatureRows;
/** The label column, one value per row. */
export type Labels = Label[];
