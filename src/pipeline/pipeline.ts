import type { AnyActor, AnyLabelActor, Label } from './actor.js';

/**
 * A pipeline: actors composed in order. The first step receives the feature matrix (one row
 * per data row, `null` where a cell is missing), each next step the output of the one before,
 * and the last step's output, one item per row, are the predictions.
 *
 * Supervised steps train on the labels after they have passed through the label path
 * (`labels`), for example a label encoder that turns species names into class indices; on
 * apply the predictions pass back through the label path's inverse().
 */
export interface Pipeline {
  readonly steps: readonly AnyActor[];
  readonly labels?: readonly AnyLabelActor[];
}

/** The runtime's input to the first step: rows of feature values, null where missing. */
export type FeatureMatrix = (number | null)[][];
/** The label column, one value per row. */
export type Labels = Label[];
