// The platform: configuration loading and the one container module that wires statekeep.
export { loadPlatform, DEFAULTS_FILE, type LoadPlatformOptions } from './load-platform.js';
export { createContainer, platformModule, type ContainerOverrides, type Binder } from './container.js';
export { RegistryCatalog } from './registry-catalog.js';
export { SCHEMA_FILE } from './schema.js';
export { isSecretKey, maskValue } from './secrets.js';
export type {
  PlatformConfig,
  InstanceConfig,
  StateSettings,
  Origin,
  PlatformSource,
  PlatformFileVia,
} from './platform-config.js';
