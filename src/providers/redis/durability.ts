/** The Redis settings that decide whether an acknowledged commit survives a crash of the server or the machine. */
export interface DurabilitySettings {
  appendonly: string | null;
  appendfsync: string | null;
  /** Anything but noeviction lets the server drop registry keys (a blob, a manifest) when it fills up. */
  maxmemoryPolicy?: string | null;
}

const warned = new Set<string>();

/**
 * What is missing for a commit to be durable when the server acknowledges it, or null: the
 * append-only file must be on and fsynced before every reply (appendfsync always). With
 * everysec a crash of the machine loses up to a second of acknowledged commits; with no AOF,
 * everything since the last RDB snapshot.
 */
export function durabilityGap(settings: DurabilitySettings): string | null {
  if (settings.appendonly === null || settings.appendfsync === null) return null;
  if (settings.appendonly !== 'yes') return 'appendonly is no';
  if (settings.appendfsync !== 'always') return `appendfsync is ${settings.appendfsync}`;
  const policy = settings.maxmemoryPolicy ?? 'noeviction';
  if (policy !== 'noeviction') return `maxmemory-policy is ${policy}, which evicts keys when memory runs out`;
  return null;
}

/** Warns once per process and server, on stderr, when the server does not make commits durable. */
export function warnIfNotDurable(
  target: string,
  settings: DurabilitySettings,
  write = (line: string) => process.stderr.write(line),
): boolean {
  const gap = durabilityGap(settings);
  if (gap === null || warned.has(target)) return false;
  warned.add(target);
  write(
    `statekeep: warning: the redis server at ${target} does not make commits durable (${gap}): a crash can lose acknowledged generations; set appendonly yes, appendfsync always and maxmemory-policy noeviction on the server\n`,
  );
  return true;
}
