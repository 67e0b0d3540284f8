// The public API of statekeep. MLflow support is a separate entry point, statekeep/mlflow, so
// importing statekeep never loads an HTTP client it does not need.

export { STATEKEEP_VERSION } from './version.js';

// Registry: names, versions, digests, manifests, errors, the provider contract, the layer.
export * as Errors from './registry/errors/index.js';
export { StatekeepError, isStatekeepError, type ErrorCode } from './registry/errors/index.js';
export { projectName, actorName, NAME_RULE, type ProjectName, type ActorName } from './registry/names.js';
export {
  releaseVersion,
  generationNumber,
  compareReleases,
  type ReleaseVersion,
  type GenerationNumber,
} from './registry/versions.js';
export { digestOf, isDigest, type Digest } from './registry/digest.js';
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
export { RELEASE_FORMAT, type ReleaseRecord } from './registry/release-record.js';
export {
  SPI_VERSION,
  type Provider,
  type ProviderClass,
  type ProviderContext,
  type ProviderDescriptor,
  type CleanupOptions,
  type CleanupReport,
} from './registry/spi.js';
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

// Actors, pipelines, projects and the runtime.
export * from './pipeline/index.js';

// Release packages.
export { PACKAGE_FORMAT, type PackageManifest, type PayloadFile } from './release/package-manifest.js';
export { readProjectDirectory, type ProjectDirectory } from './release/project-directory.js';
export { buildPackage, type BuiltPackage } from './release/build-package.js';
export { publishPackage } from './release/publish-package.js';
export { StagingCache, type MountedPackage } from './release/staging-cache.js';
export { ProjectSource, type ResolvedProject } from './release/project-source.js';

// The platform: platform.yaml and the container that wires everything from it.
export {
  loadPlatform,
  createContainer,
  platformModule,
  RegistryCatalog,
  DEFAULTS_FILE,
  SCHEMA_FILE,
  type LoadPlatformOptions,
  type ContainerOverrides,
  type Binder,
  type PlatformConfig,
  type InstanceConfig,
  type Origin,
} from './platform/index.js';
export { TOKENS, type Clock } from './tokens.js';

// The command line, runnable in-process.
export { run, type RunOptions } from './cli/main.js';
