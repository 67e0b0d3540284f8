import { dotted, type Origin, type SettingPath, type UnsetVariable } from './platform-config.js';
import { interpolate, type Env } from './interpolate.js';
import { checkSchema } from './schema.js';
import { instanceSecrets } from './secrets.js';
import { isMapping, leaves } from './settings-tree.js';
import type { YamlSource } from './yaml-source.js';

/** One source of settings (the defaults or the platform file), checked and interpolated. */
export interface Layer {
  source: YamlSource;
  value: Record<string, unknown>;
  /** Settings left as written because a variable they need is unset, by dotted path. */
  unset: ReadonlyMap<string, UnsetVariable>;
  originOf(path: SettingPath): Origin;
}

export function layerOf(source: YamlSource, kind: 'defaults' | 'file', env: Env): Layer {
  const { value, variables, unset } = interpolate(source, env);
  // A setting still holding its ${VAR} is checked once the variable is set.
  checkSchema(source, value, { skip: (path) => unset.has(dotted(path)), secrets: secretsOf(value) });
  return {
    source,
    value: value as Record<string, unknown>,
    unset,
    originOf: (path) => {
      const at = source.valueAt(path);
      const used = variables.get(dotted(path));
      const missing = unset.get(dotted(path));
      if (used !== undefined)
        return {
          kind: 'env',
          variables: used,
          file: source.file,
          line: at.line,
          column: at.column,
          ...(missing !== undefined && { unset: [missing.variable] }),
        };
      return { kind, file: source.file, line: at.line, column: at.column };
    },
  };
}

// Secrets as written in this layer's instances, so that a problem quoting a value never shows one.
function secretsOf(value: unknown): string[] {
  const instances = isMapping(value) && isMapping(value.registry) ? value.registry.instances : undefined;
  if (!isMapping(instances)) return [];
  return instanceSecrets(
    Object.values(instances)
      .filter(isMapping)
      .map(({ provider, ...options }) => ({ provider, options })),
  );
}

export interface Merged {
  value: Record<string, unknown>;
  /** The layer each setting came from, by dotted path. */
  layers: Map<string, { layer: Layer; path: string[] }>;
}

/**
 * Merges layers, later ones winning: mappings merge key by key, anything else is replaced. A
 * registry instance is replaced as a whole, because options of one provider mean nothing to another.
 */
export function mergeLayers(layers: readonly Layer[]): Merged {
  let value: Record<string, unknown> = {};
  for (const layer of layers) value = merge(value, layer.value, []) as Record<string, unknown>;
  const from = new Map<string, { layer: Layer; path: string[] }>();
  for (const [path] of leaves(value, [])) {
    const layer = [...layers].reverse().find((l) => l.source.has(path));
    if (layer !== undefined) from.set(dotted(path), { layer, path });
  }
  return { value, layers: from };
}

function merge(base: unknown, over: unknown, path: string[]): unknown {
  const whole = path.length === 3 && path[0] === 'registry' && path[1] === 'instances';
  if (whole || !isMapping(base) || !isMapping(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over))
    out[key] = key in base ? merge(base[key], value, [...path, key]) : value;
  return out;
}
