import type { Compression } from '../codec/state-codec.js';

/** A setting's path in platform.yaml, one segment per key: ['registry', 'instances', 'local', 'path']. */
export type SettingPath = readonly string[];

/** Where a setting's value came from; `statekeep config` shows it next to the value. */
export type Origin =
  | { kind: 'defaults'; file: string; line: number; column: number }
  | { kind: 'file'; file: string; line: number; column: number }
  | { kind: 'env'; variables: string[]; file: string; line: number; column: number; unset?: string[] }
  | { kind: 'flag'; flag: string };

/** How the platform file in effect was found, in lookup order. */
export type PlatformFileVia = 'flag' | 'env' | 'cwd' | 'home' | 'none';

export interface PlatformSource {
  /** The platform file merged over the defaults; null when no file was found. */
  file: string | null;
  via: PlatformFileVia;
  /** The built-in defaults file. */
  defaults: string;
}

/** A setting that needs an environment variable that is not set; reported where the setting is used. */
export interface UnsetVariable {
  file: string;
  line: number;
  column: number;
  /** The setting's dotted path. */
  key: string;
  variable: string;
}

/** One named registry instance: which provider, and the options its constructor receives. */
export interface InstanceConfig {
  name: string;
  /** As platform.yaml spells it: posix, volatile, mlflow, a module path or a package name. */
  provider: string;
  /** For a third-party provider, the absolute file its class is imported from; null for a built-in. */
  module: string | null;
  /** Every key of the instance except `provider`, with ${VAR} filled in and paths resolved. */
  options: Record<string, unknown>;
  /**
   * Options left as written because a variable they need is unset; present only then. Opening
   * the instance reports the first (a ConfigError at its place); other instances are unaffected.
   */
  unset?: UnsetVariable[];
}

export interface StateSettings {
  codec: 'cbor';
  compression: Compression;
}

/** The loaded, validated, resolved platform: defaults, then the platform file, then CLI flags. */
export interface PlatformConfig {
  registry: {
    /** The instance the runtime and the CLI use (registry.default, or --registry). */
    default: string;
    instances: Record<string, InstanceConfig>;
  };
  state: StateSettings;
  /** Absolute path of the local cache where release packages are unpacked, keyed by digest. */
  staging: string;
  source: PlatformSource;
  /** Origin of every setting, keyed by its dotted path (registry.instances.local.path). */
  origins: Record<string, Origin>;
}

export function dotted(path: SettingPath): string {
  return path.join('.');
}
