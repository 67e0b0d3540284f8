/**
 * The dependency-injection vocabulary of the container in src/platform/container.ts. Domain
 * classes never see these: they take plain constructor arguments, and the container binds them.
 */
export const TOKENS = {
  /** The default Registry (platform.yaml `registry.default`). */
  Registry: Symbol.for('statekeep.Registry'),
  /** Every configured Registry, by instance name (a RegistryCatalog). */
  Registries: Symbol.for('statekeep.Registries'),
  /** Provider classes, bound by provider name (posix, volatile, mlflow, or a module path). */
  ProviderClass: Symbol.for('statekeep.ProviderClass'),
  /** The loaded, validated platform configuration. */
  Platform: Symbol.for('statekeep.Platform'),
  /** The StateCodec configured in platform.yaml. */
  Codec: Symbol.for('statekeep.Codec'),
  /** `() => Date`: the time stamped on generations. */
  Clock: Symbol.for('statekeep.Clock'),
  /** The pipeline runtime (train, tune, apply). */
  Runtime: Symbol.for('statekeep.Runtime'),
  /** Resolves a project name or directory to runnable pipeline code. */
  ProjectSource: Symbol.for('statekeep.ProjectSource'),
} as const;
