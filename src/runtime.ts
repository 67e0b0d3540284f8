// statekeep/runtime: what running a project's pipeline needs, without platform.yaml or the CLI.
export { isStateful, checkDefinition, Runtime } from './pipeline/index.js';
export type {
  ProjectRef,
  TrainOptions,
  TuneOptions,
  ApplyOptions,
  ApplyResult,
  ProgressEvent,
  ProgressListener,
  ProgressStage,
  RunKind,
  Cell,
  Table,
  TableSpec,
  Purpose,
  DataInput,
} from './pipeline/index.js';
export { ANY_TABLE, tableFromRecords, readTable, tableSpec, type DataFormat } from './pipeline/index.js';
export {
  loadPredictor,
  type Predictor,
  type PredictorOptions,
  type GenerationRef,
  type ProjectCode,
} from './pipeline/predictor.js';
export { followPredictor, type FollowOptions, type Follower } from './pipeline/follow.js';
export type { EvaluateOptions, CrossValidateOptions } from './pipeline/runtime.js';
export type { Evaluation, CrossValidation, MetricInfo } from './pipeline/evaluate.js';
