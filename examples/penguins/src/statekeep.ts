// The one place this project names statekeep, for types only: the bundle needs nothing from it
// at run time. (Inside the statekeep repository, tsconfig.json maps 'statekeep' to its source.)
export type {
  Label,
  LabelActor,
  Params,
  ProjectDefinition,
  ProjectMetric,
  StatefulActor,
} from 'statekeep';
