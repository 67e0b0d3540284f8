// The pipeline runtime's public surface; src/index.ts re-exports it.
export type { Actor, StatefulActor, LabelActor, AnyActor, AnyLabelActor, Label, Params, ParamValue } from './actor.js';
export { isStateful } from './actor.js';
export type { Pipeline, FeatureMatrix, Labels, Step, Branch, Branches, Join } from './pipeline.js';
export type { FeatureRows, ColumnInfo } from './data/feature-rows.js';
export type { ColumnType } from './data/column.js';
export { kebabCase, nameActors, type NamedActor } from './actor-names.js';
export type {
  ProjectDefinition,
  ProjectMetric,
  TuningDefinition,
  ParamSpace,
  ParamRange,
  SearchStrategy,
  LoadedProject,
} from './project.js';
export { checkDefinition } from './project-check.js';
export {
  Runtime,
  type ProjectRef,
  type TrainOptions,
  type TuneOptions,
  type ApplyOptions,
  type ApplyResult,
} from './runtime.js';
export type { ProgressEvent, ProgressListener, ProgressStage, RunKind } from './progress.js';
export { type Cell, type Table, type TableSpec, ANY_TABLE, tableFromRecords } from './data/table.js';
export { readTable, parseTable, formatOf, type DataFormat } from './data/read-table.js';
export { tableSpec, type Purpose } from './data/columns.js';
export { tableOf, MEMORY_SOURCE, type DataInput } from './data/data-input.js';
