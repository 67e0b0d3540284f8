import 'reflect-metadata';
import { Container, ContainerModule, type ContainerModuleLoadOptions } from 'inversify';
import type { StateCodec } from '../codec/state-codec.js';
import type { Runtime } from '../pipeline/runtime.js';
import type { Clock } from '../registry/clock.js';
import type { Registry } from '../registry/registry.js';
import type { ProviderClass } from '../registry/spi.js';
import type { ProjectSource } from '../release/project-source.js';
import { loadCodec } from './codec-loader.js';
import type { PlatformConfig } from './platform-config.js';
import { BUILTIN_PROVIDER_NAMES } from './platform-schema.js';
import { loadProviderClass } from './provider-loader.js';
import { PROVIDER_CLASS_RESOLVER, RegistryCatalog, type ProviderClassResolver } from './registry-catalog.js';
import { TOKENS } from './tokens.js';

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
  const modules = new Map<string, string | null>(BUILTIN_PROVIDER_NAMES.map((name) => [name, null]));
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
  bind(TOKENS.Registries)
    .toResolvedValue(
      (platform: PlatformConfig, clock: Clock, providerClass: ProviderClassResolver) =>
        new RegistryCatalog(platform, clock, providerClass),
      [TOKENS.Platform, TOKENS.Clock, PROVIDER_CLASS_RESOLVER],
    )
    .inSingletonScope();
  bind<Registry>(TOKENS.Registry)
    .toDynamicValue((context) => context.get<RegistryCatalog>(TOKENS.Registries).default())
    .inSingletonScope();
};

const bindCodec: Binder = ({ bind }, platform) => {
  bind(TOKENS.Codec)
    .toDynamicValue(() => loadCodec(platform.state))
    .inSingletonScope();
};

// The runtime gets the registry, codec and clock; project code reaches it only through the
// ProjectSource, from verified release packages unpacked under `staging`. Both are imported when
// first resolved: the project source brings esbuild and tar, which `list` or `show` never need.
const bindRuntime: Binder = ({ bind }, platform) => {
  bind<Runtime>(TOKENS.Runtime)
    .toResolvedValue(
      async (registry: Registry, codec: StateCodec, clock: Clock) => {
        const { Runtime } = await import('../pipeline/runtime.js');
        return new Runtime(registry, codec, clock);
      },
      [TOKENS.Registry, TOKENS.Codec, TOKENS.Clock],
    )
    .inSingletonScope();
  bind<ProjectSource>(TOKENS.ProjectSource)
    .toResolvedValue(
      async (registry: Registry, clock: Clock) => {
        const [{ ProjectSource }, { StagingCache }] = await Promise.all([
          import('../release/project-source.js'),
          import('../release/staging-cache.js'),
        ]);
        return new ProjectSource(registry, new StagingCache(platform.staging), clock);
      },
      [TOKENS.Registry, TOKENS.Clock],
    )
    .inSingletonScope();
};

const BINDERS: readonly Binder[] = [bindPlatform, bindClock, bindProviders, bindRegistries, bindCodec, bindRuntime];

/** The one place statekeep is wired: every token of ./tokens.ts, from a platform. */
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
