import { leaves } from './settings-tree.js';
import type { Origin, PlatformConfig, PlatformFileVia } from './platform-config.js';
import { maskSecrets, maskValue } from './secrets.js';

export interface Setting {
  key: string;
  value: unknown;
  origin: Origin | null;
}

/** The effective platform as platform.yaml would spell it, secrets masked, with each setting's origin. */
export interface PlatformView {
  file: string | null;
  via: PlatformFileVia;
  defaults: string;
  config: Record<string, unknown>;
  settings: Setting[];
}

export function viewPlatform(platform: PlatformConfig): PlatformView {
  const instances = Object.fromEntries(
    Object.values(platform.registry.instances).map((i) => [
      i.name,
      maskValue('', { provider: i.provider, ...i.options }),
    ]),
  );
  // A secret's value is masked wherever it appears, also in a setting that is not secret.
  const config = maskSecrets(
    {
      registry: { default: platform.registry.default, instances },
      state: { ...platform.state },
      staging: platform.staging,
    },
    platform,
  ) as Record<string, unknown>;
  const settings = [...leaves(config, [])].map(([path, value]) => {
    const key = path.join('.');
    return { key, value, origin: platform.origins[key] ?? null };
  });
  return { file: platform.source.file, via: platform.source.via, defaults: platform.source.defaults, config, settings };
}
