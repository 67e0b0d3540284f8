import { UsageError } from '../registry/errors/index.js';
import { parentRef, type GenerationManifest, type Ordinal } from '../registry/manifest.js';
import type { Registry } from '../registry/registry.js';
import { isStateful } from './actor.js';
import type { BuiltPipeline } from './build-pipeline.js';
import { ordinalPoint } from './data/ordinal.js';

/** Whether an actor can continue training from a state (the default) or only refits from scratch. */
export function isIncremental(named: { name: string; actor: { incremental?: unknown } }): boolean {
  const flag = named.actor.incremental ?? true;
  if (typeof flag !== 'boolean')
    throw new UsageError(
      `actor ${JSON.stringify(named.name)} has incremental ${String(flag)}`,
      'set incremental to false for an actor whose train() refits from scratch, or leave it out',
    );
  return flag;
}

/**
 * The stateful actors a warm start retrains from scratch on the lineage's rows instead of
 * continuing: each that declares incremental: false, and every stateful actor after the first
 * of those in training order, since what it learned was learned from the retrained actor's
 * old output.
 */
export function retrainedActors(built: BuiltPipeline): Set<string> {
  const retrained = new Set<string>();
  for (const named of built.actors) {
    if (!isStateful(named.actor)) continue;
    if (retrained.size > 0 || !isIncremental(named)) retrained.add(named.name);
  }
  return retrained;
}

/**
 * The lowest ordinal any generation of `start`'s lineage (itself, its parent, …) trained on;
 * null when one of them records none. One manifest read per ancestor.
 */
export async function lineageLower(registry: Registry, start: GenerationManifest, column: string): Promise<Ordinal> {
  let lowest: { value: Ordinal; at: number } | null = null;
  const seen = new Set<string>();
  for (let m: GenerationManifest | null = start; m !== null; ) {
    const key = `${m.release}/${m.generation}`;
    if (seen.has(key)) break;
    seen.add(key);
    const lower = m.training?.lower ?? null;
    if (lower === null) return null;
    const at = ordinalPoint(lower, { file: `generation ${m.generation}`, column }).at;
    if (lowest === null || at < lowest.at) lowest = { value: lower, at };
    const parent = parentRef(m);
    m = parent === null ? null : await registry.manifest(m.project, parent.release, parent.generation);
  }
  return lowest?.value ?? null;
}
