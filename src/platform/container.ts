import 'reflect-metadata';
import { Container, ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import { Runtime } from '../pipeline/runtime.js';
import type { Registry } from '../registry/registry.js';
import { ProjectSource } from '../release/project-source.js';
import { StagingCache } from '../release/staging-cache.js';
import type { ProviderClass } from '../registry/spi.js';
import { TOKENS, type Clock } from '../tokens.js';
import { loadCodec } from './codec-loader.js';
import type { PlatformConfig } from './platform-config.js';
import { BUILTIN_PROVIDERS, loadProviderClass } from './provider-loader.js';
import { PROVIDER_CLASS_RESOLVER, RegistryCatalog, type ProviderClassResolver } from './registry-catalog.js';

/** What a caller (usually a test) puts in place of the production bindings. */
export interface ContainerOverrides {
  /** Provider classes by provider name, bound instead of the ones platform.yaml names: { posix: VolatileProvider }. */
  providers?: Readonly<Record<string, ProviderClass>>;
  clock?: Clock;
  /** Further modules, loaded after the platform's own; they may add bindings or rebind single ones. */
  modules?: readonly ContainerModule[];
}

/** One part of the wiring. To bind a new token, write a Binder and add it to BINDERS. */
export type Binder = (
  options: ContainerModuleLoadOptions,
  platform: PlatformConfig,
  overrides: ContainerOverrides,
) => void;

const bindPlatform: Binder = ({ bind }, platform) => {
  bind(TOKENS.Platform).toConstantValue(platform);
};

const bindClock: Binder = ({ bind }, _platform, overrides) => {
  bind<Clock>(TOKENS.Clock).toConstantValue(overrides.clock ?? (() => new Date()));
};

// Every built-in provider plus every third-party one the platform names, each under its
// provider name. A class is imported when first resolved, not when bound.
const bindProviders: Binder = ({ bind }, platform, overrides) => {
  const modules = new Map<string, string | null>(Object.keys(BUILTIN_PROVIDERS).map((name) => [name, null]));
  for (const instance of Object.values(platform.registry.instances)) modules.set(instance.provider, instance.module);
  for (const [provider, module] of modules) {
    const replacement = overrides.providers?.[provider];
    const binding = bind<ProviderClass>(TOKENS.ProviderClass);
    if (replacement !== undefined) binding.toConstantValue(replacement).whenNamed(provider);
    else
      binding
        .toDynamicValue(() => loadProviderClass({ provider, module }))
        .inSingletonScope()
        .whenNamed(provider);
  }
  bind<ProviderClassResolver>(PROVIDER_CLASS_RESOLVER).toDynamicValue(
    (context) => (provider) => context.getAsync<ProviderClass>(TOKENS.ProviderClass, { name: provider }),
  );
};

// TOKENS.Registry resolves asynchronously (its provider may need importing): use getAsync.
const bindRegistries: Binder = ({ bind }) => {
  bind(TOKENS.Registries).to(RegistryCatalog).inSingletonScope();
  bind<Registry>(TOKENS.Registry)
    .toDynamicValue((context) => context.get<RegistryCatalog>(TOKENS.Registries).default())
    .inSingletonScope();
};

const bindCodec: Binder = ({ bind }, platform) => {
  bind(TOKENS.Codec)
    .toDynamicValue(() => loadCodec(platform.state))
    .inSingletonScope();
};

// The runtime gets the registry, codec and clock injected; project code reaches it only
// through the ProjectSource, from verified release packages unpacked under `staging`.
const bindRuntime: Binder = ({ bind }, platform) => {
  bind(TOKENS.Runtime).to(Runtime).inSingletonScope();
  bind(TOKENS.ProjectSource)
    .toDynamicValue(
      async (context) =>
        new ProjectSource(
          await context.getAsync<Registry>(TOKENS.Registry),
          new StagingCache(platform.staging),
          context.get<Clock>(TOKENS.Clock),
        ),
    )
    .inSingletonScope();
};

const BINDERS: readonly Binder[] = [bindPlatform, bindClock, bindProviders, bindRegistries, bindCodec, bindRuntime];

/** The one place statekeep is wired: every token of src/tokens.ts that exists so far, from a platform. */
export function platformModule(platform: PlatformConfig, overrides: ContainerOverrides = {}): ContainerModule {
  return new ContainerModule((options) => {
    for (const binder of BINDERS) binder(options, platform, overrides);
  });
}

/** A container wired for a loaded platform. Nothing is imported or opened until resolved. */
export function createContainer(platform: PlatformConfig, overrides: ContainerOverrides = {}): Container {
  const container = new Container();
  container.load(platformModule(platform, overrides));
  if (overrides.modules !== undefined) container.load(...overrides.modules);
  return container;
}
