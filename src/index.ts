// The public API of statekeep: the registry, its providers and the state codec. The rest lives in
// entry points of its own, so that importing statekeep loads none of it: statekeep/runtime (running
// pipelines), statekeep/platform (platform.yaml), statekeep/mlflow (the MLflow provider and client).

export { STATEKEEP_VERSION } from './version.js';

// Registry: names, versions, digests, manifests, errors, the provider contract, the layer.
export * as Errors from './registry/errors/index.js';
export {
  StatekeepError,
  isStatekeepError,
  hasCode,
  ERROR_CODES,
  STATEKEEP_ERROR,
  type ErrorCode,
} from './registry/errors/index.js';
export { projectName, actorName, NAME_RULE, type ProjectName, type ActorName } from './registry/names.js';
export {
  releaseVersion,
  generationNumber,
  compareReleases,
  type ReleaseVersion,
  type GenerationNumber,
} from './registry/versions.js';
export { MAX_VERSION_LENGTH } from './registry/versions.js';
export { digestOf, isDigest, type Digest } from './registry/digest.js';
export {
  aliasName,
  LATEST_ALIAS,
  ALIAS_FORMAT,
  type AliasName,
  type AliasEntry,
  type AliasTarget,
} from './registry/aliases.js';
export type { Finding, FindingCode, FindingKind, FindingPlace, VerifySummary } from './registry/verify.js';
export {
  MANIFEST_FORMAT,
  type GenerationManifest,
  type GenerationMode,
  type StateEntry,
  type TrainingInfo,
  type TuningInfo,
  type Ordinal,
  type Environment,
} from './registry/manifest.js';
export {
  RELEASE_FORMAT,
  UNPACKAGED_RELEASE_FORMAT,
  type ReleaseRecord,
  type PackagedReleaseRecord,
} from './registry/release-record.js';
export {
  SPI_VERSION,
  type Provider,
  type ProviderClass,
  type ProviderContext,
  type ProviderDescriptor,
  type CleanupOptions,
  type CleanupReport,
  type BlobListing,
  LIFECYCLE_PROVIDER_METHODS,
} from './registry/spi.js';
export {
  TOMBSTONE_FORMAT,
  TOMBSTONE_KIND,
  type GenerationTombstone,
  type PrunedBy,
} from './registry/tombstone.js';
export {
  Registry,
  type RegistryOptions,
  type CommitDraft,
  type StateDraft,
  type ReleaseDraft,
  type PulledRelease,
} from './registry/registry.js';

// Built-in providers (MLflow: import { MlflowProvider } from 'statekeep/mlflow').
export { PosixProvider } from './providers/posix/posix-provider.js';
export { VolatileProvider } from './providers/volatile/volatile-provider.js';

// State encoding.
export { CborStateCodec, type CborStateCodecOptions } from './codec/cbor-state-codec.js';
export {
  COMPRESSIONS,
  type StateCodec,
  type StateHeader,
  type StateMeta,
  type Compression,
} from './codec/state-codec.js';

// Actors, pipelines and projects: the types a project's code is written against.
export type {
  Actor,
  StatefulActor,
  LabelActor,
  AnyActor,
  AnyLabelActor,
  Label,
  Params,
  ParamValue,
  Pipeline,
  FeatureMatrix,
  Labels,
  ProjectDefinition,
  ProjectMetric,
  TuningDefinition,
  ParamSpace,
  ParamRange,
  SearchStrategy,
  LoadedProject,
  Cell,
  Table,
} from './pipeline/index.js';
export type { Clock } from './registry/clock.js';

// One stateful object kept without a pipeline (its releases have no package).
export {
  PersistentModel,
  MODEL_ACTOR,
  FIRST_RELEASE,
  type Persistable,
  type ModelRef,
  type PersistentModelOptions,
  type SaveOptions,
} from './pipeline/persistent-model.js';

// Release packages: their format only (building and unpacking them is the CLI's work).
export { PACKAGE_FORMAT, type PackageManifest, type PayloadFile } from './release/package-manifest.js';
