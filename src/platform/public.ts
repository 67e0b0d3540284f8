// statekeep/platform: platform.yaml, loaded and checked, and the registries it names. The wiring
// behind them (the container, its tokens and catalog) stays internal.
export { loadPlatform, DEFAULTS_FILE, type LoadPlatformOptions } from './load-platform.js';
export { openRegistry, type OpenRegistryOptions } from './open-registry.js';
export { SCHEMA_FILE } from './schema.js';
export type { Env } from './interpolate.js';
export type {
  PlatformConfig,
  InstanceConfig,
  StateSettings,
  Origin,
  PlatformSource,
  PlatformFileVia,
} from './platform-config.js';
export { openPredictorSupport, openRuntime, type PredictorSupport } from './open-project-code.js';
