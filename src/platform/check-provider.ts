import * as Errors from '../registry/errors/index.js';
import { ConfigError, hasCode, isStatekeepError, ProviderError } from '../registry/errors/index.js';
import { REQUIRED_PROVIDER_METHODS, SPI_VERSION, type Provider, type ProviderClass } from '../registry/spi.js';
import type { InstanceConfig, Origin } from './platform-config.js';

/**
 * Constructs an instance's provider and checks that it keeps the SPI it claims: a third-party
 * class is only known to be a provider once it stands up and declares a matching SPI version.
 * `origin` is where the platform file names the provider, so a refusal points at that line.
 */
export function constructProvider(
  cls: ProviderClass,
  instance: InstanceConfig,
  origin?: Origin,
  origins: Readonly<Record<string, Origin>> = {},
): Provider {
  const place = placeOf(origin);
  const where = { ...place, key: `registry.instances.${instance.name}`, provider: instance.provider };
  let provider: Provider;
  try {
    provider = new cls({ ...instance.options }, { instance: instance.name, errors: Errors });
  } catch (error) {
    if (hasCode(error, 'CONFIG') && typeof error.data.key === 'string' && error.data.file === undefined) {
      // The provider names one of its options: point at the line that sets it (or names the provider).
      const key = `registry.instances.${instance.name}.${error.data.key}`;
      const at = placeOf(origins[key]);
      throw new ConfigError({ problem: error.message, ...error.data, ...place, ...at, key }, error.hint, {
        cause: error,
      });
    }
    if (isStatekeepError(error)) throw error;
    const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new ProviderError(
      { provider: instance.provider, operation: `open registry instance ${instance.name}`, detail },
      "check the instance's options in the platform file",
      { cause: error },
    );
  }
  const version = (provider as Partial<Provider>).descriptor?.spiVersion;
  if (version !== SPI_VERSION) {
    throw new ConfigError(
      { ...where, problem: `provider implements SPI version ${String(version)}; this statekeep needs ${SPI_VERSION}` },
      'use a provider release built for this statekeep (descriptor.spiVersion)',
    );
  }
  const missing = REQUIRED_PROVIDER_METHODS.filter((method) => typeof provider[method] !== 'function');
  if (missing.length > 0) {
    throw new ConfigError(
      { ...where, problem: `provider does not implement ${missing.join(', ')}`, missing },
      'implement every required method of the Provider SPI',
    );
  }
  return provider;
}

function placeOf(origin: Origin | undefined): { file?: string; line?: number; column?: number } {
  return origin === undefined || origin.kind === 'flag'
    ? {}
    : { file: origin.file, line: origin.line, column: origin.column };
}
