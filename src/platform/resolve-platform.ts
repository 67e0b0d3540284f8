import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { quote, UsageError } from '../registry/errors/index.js';
import type { Compression } from '../codec/state-codec.js';
import type { Layer, Merged } from './layers.js';
import {
  dotted,
  type InstanceConfig,
  type Origin,
  type PlatformConfig,
  type PlatformSource,
  type SettingPath,
} from './platform-config.js';
import { BUILTIN_PROVIDERS } from '../providers/index.js';
import { BUILTIN_PROVIDER_NAMES, providerNames } from './platform-schema.js';
import { didYouMean } from './suggest.js';
import { configErrorAt } from './yaml-source.js';

export interface Resolution {
  cwd: string;
  home: string;
  /** --registry NAME */
  registry?: string | undefined;
}

/** Turns merged settings into a PlatformConfig: instances checked, paths and provider modules resolved. */
export function resolvePlatform(merged: Merged, source: PlatformSource, how: Resolution): PlatformConfig {
  const layerOf = (p: SettingPath): Layer => merged.layers.get(dotted(p))!.layer;
  const baseOf = (p: SettingPath): string =>
    layerOf(p).originOf(p).kind === 'defaults' ? how.cwd : path.dirname(layerOf(p).source.file);
  const toPath = (p: SettingPath, value: string): string => {
    if (value === '~' || value.startsWith('~/')) return path.join(how.home, value.slice(1));
    return path.resolve(baseOf(p), value);
  };

  const registry = merged.value.registry as { default: string; instances: Record<string, Record<string, unknown>> };
  const instances: Record<string, InstanceConfig> = {};
  for (const [name, raw] of Object.entries(registry.instances)) {
    const { provider, ...options } = raw as { provider: string } & Record<string, unknown>;
    const at: SettingPath = ['registry', 'instances', name];
    // An instance comes whole from one layer; its unset variables are reported when it is opened.
    const unset = [...layerOf([...at, 'provider']).unset.values()].filter((u) => u.key.startsWith(`${dotted(at)}.`));
    // Options of built-in providers that are paths, resolved against the file that sets them.
    // A dotted key (artifacts.path) names an option inside a mapping option.
    for (const key of BUILTIN_PROVIDERS.find((p) => p.name === provider)?.pathOptions ?? []) {
      const steps = key.split('.');
      const [outer, inner] = steps.length === 2 ? steps : [undefined, key];
      // A copy of the mapping, so the merged settings keep what the file says.
      const holder = outer === undefined ? options : isRecord(options[outer]) ? { ...options[outer] } : undefined;
      if (holder === undefined || inner === undefined) continue;
      if (outer !== undefined) options[outer] = holder;
      const unresolved = unset.some((u) => u.key === dotted([...at, ...steps]));
      if (typeof holder[inner] === 'string' && !unresolved) holder[inner] = toPath([...at, ...steps], holder[inner]);
    }
    const module = isBuiltin(provider)
      ? null
      : providerModule([...at, 'provider'], provider, layerOf([...at, 'provider']), baseOf([...at, 'provider']));
    instances[name] = { name, provider, module, options, ...(unset.length > 0 && { unset }) };
  }

  const origins: Record<string, Origin> = {};
  for (const [key, { layer, path: p }] of merged.layers) origins[key] = layer.originOf(p);
  let chosen = registry.default;
  const names = Object.keys(instances);
  if (!(chosen in instances)) {
    const p = ['registry', 'default'];
    const layer = layerOf(p);
    const { hint, suggestion } = didYouMean(chosen, names, `name one of the instances: ${names.join(', ')}`);
    throw configErrorAt(
      layer.source,
      p,
      layer.source.valueAt(p),
      `no registry instance named ${quote(chosen)}`,
      hint,
      suggestion === undefined ? {} : { suggestion },
    );
  }
  if (how.registry !== undefined) {
    if (!(how.registry in instances)) {
      const { hint, suggestion } = didYouMean(how.registry, names, `configured instances: ${names.join(', ')}`);
      throw new UsageError(`no registry instance named ${quote(how.registry)}`, hint, {
        argument: '--registry',
        ...(suggestion === undefined ? {} : { suggestion }),
      });
    }
    chosen = how.registry;
    origins['registry.default'] = { kind: 'flag', flag: '--registry' };
  }

  const state = merged.value.state as { codec: 'cbor'; compression: Compression };
  return {
    registry: { default: chosen, instances },
    state: { codec: state.codec, compression: state.compression },
    staging: toPath(['staging'], merged.value.staging as string),
    source,
    origins,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBuiltin(provider: string): boolean {
  return BUILTIN_PROVIDER_NAMES.includes(provider);
}

/** The file a third-party provider is imported from; checked now so that a mistake points at its line. */
function providerModule(p: SettingPath, ref: string, layer: Layer, base: string): string {
  const at = layer.source.valueAt(p);
  if (/^(\.\.?\/|\/)/.test(ref)) {
    const file = path.resolve(base, ref);
    if (!existsSync(file))
      throw configErrorAt(
        layer.source,
        p,
        at,
        `provider module not found: ${file}`,
        'module paths are relative to the platform file; check the path',
        { module: file },
      );
    return file;
  }
  try {
    return createRequire(path.join(base, 'platform.yaml')).resolve(ref);
  } catch {
    const { hint, suggestion } = didYouMean(
      ref,
      BUILTIN_PROVIDER_NAMES,
      `install it next to the platform file (npm install ${ref}), or use ${providerNames()}`,
    );
    throw configErrorAt(
      layer.source,
      p,
      at,
      `unknown provider ${quote(ref)}`,
      hint,
      suggestion === undefined ? {} : { suggestion },
    );
  }
}
