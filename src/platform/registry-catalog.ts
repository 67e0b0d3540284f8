import { NotFoundError, quote } from '../registry/errors/index.js';
import { Registry } from '../registry/registry.js';
import type { ProviderClass } from '../registry/spi.js';
import type { Clock } from '../registry/clock.js';
import { constructProvider } from './check-provider.js';
import { unsetVariableError } from './interpolate.js';
import type { InstanceConfig, Origin, PlatformConfig } from './platform-config.js';
import { instanceRetention, RETENTION_KEY, type InstanceRetention } from './retention-config.js';
import { didYouMean } from './suggest.js';

/** Resolves the provider class bound under a provider name (TOKENS.ProviderClass, named). */
export type ProviderClassResolver = (provider: string) => Promise<ProviderClass>;

/** Internal to the platform: how the catalog reaches TOKENS.ProviderClass bindings lazily. */
export const PROVIDER_CLASS_RESOLVER = Symbol.for('statekeep.platform.ProviderClassResolver');

/**
 * Every registry instance of the platform, by name (TOKENS.Registries). An instance is opened
 * on first request only, so an unused MLflow instance is never loaded, let alone contacted.
 */
export class RegistryCatalog {
  readonly defaultName: string;
  readonly #instances: Record<string, InstanceConfig>;
  readonly #origins: Readonly<Record<string, Origin>>;
  readonly #opened = new Map<string, Promise<Registry>>();
  readonly #clock: Clock;
  readonly #providerClass: ProviderClassResolver;

  constructor(platform: PlatformConfig, clock: Clock, providerClass: ProviderClassResolver) {
    this.defaultName = platform.registry.default;
    this.#instances = platform.registry.instances;
    this.#origins = platform.origins;
    this.#clock = clock;
    this.#providerClass = providerClass;
  }

  names(): string[] {
    return Object.keys(this.#instances).sort();
  }

  /** The Registry of an instance, opened on first use. NotFoundError for an unknown name. */
  get(name: string): Promise<Registry> {
    let registry = this.#opened.get(name);
    if (registry === undefined) {
      registry = this.#open(name);
      this.#opened.set(name, registry);
      // A failed open is not remembered, so a later call retries it.
      registry.catch(() => this.#opened.delete(name));
    }
    return registry;
  }

  default(): Promise<Registry> {
    return this.get(this.defaultName);
  }

  /** Closes every instance that was opened; unopened ones were never loaded. */
  async close(): Promise<void> {
    const opened = [...this.#opened.values()];
    this.#opened.clear();
    const results = await Promise.allSettled(opened.map(async (registry) => (await registry).close()));
    const failed = results.find((r) => r.status === 'rejected');
    if (failed !== undefined) throw (failed as PromiseRejectedResult).reason;
  }

  /** An instance's retention (platform.yaml's `retention:` block); ConfigError when it is malformed. */
  retention(name: string): InstanceRetention {
    return instanceRetention(this.#instance(name), this.#origins);
  }

  #instance(name: string): InstanceConfig {
    const instance = this.#instances[name];
    if (instance === undefined) {
      const { hint } = didYouMean(name, this.names(), `configured instances: ${this.names().join(', ')}`);
      throw new NotFoundError({ what: 'registry instance', name: quote(name) }, hint);
    }
    return instance;
  }

  async #open(name: string): Promise<Registry> {
    const instance = this.#instance(name);
    const unset = instance.unset?.[0];
    if (unset !== undefined) throw unsetVariableError(unset);
    const cls = await this.#providerClass(instance.provider);
    const origin = this.#origins[`registry.instances.${name}.provider`];
    // retention is the Registry's, not the provider's: gc and the writers' publish bound.
    const retention = instanceRetention(instance, this.#origins);
    const { [RETENTION_KEY]: _retention, ...options } = instance.options;
    const provider = constructProvider(cls, { ...instance, options }, origin, this.#origins);
    return new Registry(provider, { clock: this.#clock, gcGraceMs: retention.graceMs });
  }
}
