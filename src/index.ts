// The public API of statekeep.
export { STATEKEEP_VERSION } from './version.js';
export * as Errors from './registry/errors/index.js';
export { StatekeepError, isStatekeepError, type ErrorCode } from './registry/errors/index.js';
export { projectName, actorName, NAME_RULE, type ProjectName, type ActorName } from './registry/names.js';
export { releaseVersion, generationNumber, compareReleases, type ReleaseVersion, type GenerationNumber } from './registry/versions.js';
export { digestOf, isDigest, type Digest } from './registry/digest.js';
export { MANIFEST_FORMAT, type GenerationManifest, type GenerationMode, type StateEntry, type TrainingInfo, type TuningInfo, type Ordinal } from './registry/manifest.js';
export { RELEASE_FORMAT, type ReleaseRecord } from './registry/release-record.js';
export { SPI_VERSION, type Provider, type ProviderClass, type ProviderContext, type ProviderDescriptor, type CleanupOptions, type CleanupReport } from './registry/spi.js';
export { Registry, type RegistryOptions, type CommitDraft, type StateDraft, type ReleaseDraft, type PulledRelease } from './registry/registry.js';
export { VolatileProvider } from './providers/volatile/volatile-provider.js';
export { TOKENS, type Clock } from './tokens.js';
export type { StateCodec, StateHeader, StateMeta, Compression } from './codec/state-codec.js';
