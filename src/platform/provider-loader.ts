import { pathToFileURL } from 'node:url';
import { BUILTIN_PROVIDERS } from '../providers/index.js';
import { ConfigError, ProviderError } from '../registry/errors/index.js';
import type { ProviderClass } from '../registry/spi.js';
import type { InstanceConfig } from './platform-config.js';
import { BUILTIN_PROVIDER_NAMES } from './platform-schema.js';

/**
 * Imports the class of a built-in provider (from its description, on first use, so that a
 * platform that does not select MLflow never loads its client), or of a third-party one from its module file.
 */
export async function loadProviderClass(instance: Pick<InstanceConfig, 'provider' | 'module'>): Promise<ProviderClass> {
  const builtin = BUILTIN_PROVIDERS.find((p) => p.name === instance.provider);
  if (builtin !== undefined && instance.module === null) {
    let cls: unknown;
    try {
      cls = await builtin.load();
    } catch (error) {
      const detail = `cannot load the ${builtin.name} provider: ${firstLine(error)}`;
      throw new ProviderError(
        { provider: instance.provider, operation: 'load', detail },
        'statekeep is installed incompletely; reinstall it (npm ci)',
        { cause: error },
      );
    }
    if (typeof cls !== 'function')
      throw new ProviderError(
        { provider: instance.provider, operation: 'load', detail: `the ${builtin.name} provider exports no class` },
        'reinstall statekeep',
      );
    return cls as ProviderClass;
  }
  if (instance.module === null)
    throw new ConfigError(
      { problem: `unknown provider ${JSON.stringify(instance.provider)}` },
      `use ${BUILTIN_PROVIDER_NAMES.join(', ')} or a module path`,
    );
  const file = instance.module;
  const loaded = await importModule(pathToFileURL(file).href, instance.provider, () => `fix or rebuild ${file}`);
  return pickClass(loaded, instance.provider, file);
}

function firstLine(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

async function importModule(specifier: string, provider: string, hint: () => string): Promise<Record<string, unknown>> {
  try {
    return (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    const detail = `cannot load ${specifier}: ${firstLine(error)}`;
    throw new ProviderError({ provider, operation: 'load', detail }, hint(), { cause: error });
  }
}

/** The provider class of a third-party module: its default export, or its only exported class. */
function pickClass(loaded: Record<string, unknown>, provider: string, file: string): ProviderClass {
  if (typeof loaded.default === 'function') return loaded.default as ProviderClass;
  const classes = Object.entries(loaded).filter(([, value]) => typeof value === 'function');
  if (classes.length === 1) return classes[0]![1] as ProviderClass;
  const names = classes.map(([name]) => name).join(', ') || 'no classes';
  throw new ConfigError(
    { file, provider, problem: `module exports ${names}; statekeep cannot tell which is the provider` },
    'export the provider class as the default export',
  );
}
