// The platform for statekeep's own modules and tests: the public statekeep/platform, and the
// wiring it keeps internal (the container module, its catalog, secret masking).
export * from './public.js';
export { createContainer, platformModule, type ContainerOverrides, type Binder } from './container.js';
export { RegistryCatalog } from './registry-catalog.js';
export { isSecretKey, maskValue } from './secrets.js';
