import { ConfigError } from '../registry/errors/index.js';
import { DEFAULT_GC_GRACE_MS, retentionPolicy, type RetentionPolicy } from '../registry/retention.js';
import { isRecord } from '../registry/stored-json.js';
import type { InstanceConfig, Origin } from './platform-config.js';

/** A registry instance's retention: its grace period and each project's policy. */
export interface InstanceRetention {
  /** The gc grace period, which the instance's writers also keep to (RegistryOptions.gcGraceMs). */
  graceMs: number;
  /** A project's policy: the instance's, with the project's overrides; null when there is none. */
  policyFor(project: string): RetentionPolicy | null;
}

/** The `retention:` key of an instance, which the Registry layer reads and the provider never sees. */
export const RETENTION_KEY = 'retention';

/**
 * Reads an instance's `retention:` block:
 *
 *     retention:
 *       keepLast: 10          # the newest 10 generations of each release
 *       keepWithin: 30d       # and every generation committed in the last 30 days
 *       grace: 1h             # gc leaves blobs written within this alone (or gcGraceMs: 3600000)
 *       projects:
 *         iris: { keepLast: 3 }          # overrides, key by key; null drops a rule
 *
 * Absent: nothing is pruned, and the grace period is the default (1 h). The grace period is the
 * instance's only: every writer of the instance keeps to it, whatever project it writes.
 */
export function instanceRetention(
  instance: InstanceConfig,
  origins: Readonly<Record<string, Origin>> = {},
): InstanceRetention {
  const raw = instance.options[RETENTION_KEY];
  const key = `registry.instances.${instance.name}.${RETENTION_KEY}`;
  if (raw === undefined || raw === null) return { graceMs: DEFAULT_GC_GRACE_MS, policyFor: () => null };
  const file = fileOf(origins, key);
  if (!isRecord(raw))
    throw new ConfigError(
      { ...(file === undefined ? {} : { file }), key, problem: 'is not a mapping' },
      'write it as { keepLast: 10, keepWithin: 30d }, or leave it out',
    );
  const { projects, ...base } = raw;
  const policy = retentionPolicy(base, key, `registry ${instance.name}`, file);
  const overrides = new Map<string, RetentionPolicy>();
  if (projects !== undefined && projects !== null) {
    if (!isRecord(projects))
      throw new ConfigError(
        {
          ...(file === undefined ? {} : { file }),
          key: `${key}.projects`,
          problem: 'is not a mapping of project names',
        },
        'write it as projects: { iris: { keepLast: 3 } }',
      );
    for (const [project, override] of Object.entries(projects)) {
      const at = `${key}.projects.${project}`;
      if (isRecord(override) && ('grace' in override || 'gcGraceMs' in override))
        throw new ConfigError(
          { ...(file === undefined ? {} : { file }), key: at, problem: 'sets a grace period' },
          `set grace once for the instance, under ${key}: every writer of the registry keeps to it`,
        );
      const merged = isRecord(override) ? { ...base, ...override } : override;
      overrides.set(project, retentionPolicy(merged, at, `project ${project} of registry ${instance.name}`, file));
    }
  }
  return {
    graceMs: policy.graceMs,
    policyFor: (project) => overrides.get(project) ?? policy,
  };
}

function fileOf(origins: Readonly<Record<string, Origin>>, key: string): string | undefined {
  const origin = Object.entries(origins).find(([k]) => k === key || k.startsWith(`${key}.`))?.[1];
  return origin === undefined || origin.kind === 'flag' ? undefined : origin.file;
}
