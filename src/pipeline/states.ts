import type { StateCodec } from '../codec/state-codec.js';
import { IncompatibleFormatError, NotFoundError, UsageError } from '../registry/errors/index.js';
import { manifestLocation, type GenerationManifest } from '../registry/manifest.js';
import type { ActorName } from '../registry/names.js';
import type { Registry, StateDraft } from '../registry/registry.js';
import { isStateful } from './actor.js';
import type { BuiltPipeline } from './build-pipeline.js';
import { awaitUser } from './user-code.js';

export function stateVersionOf(named: { name: string; actor: { stateVersion?: unknown } }): number {
  const version = named.actor.stateVersion ?? 0;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) {
    throw new UsageError(
      `actor ${JSON.stringify(named.name)} has stateVersion ${String(version)}`,
      'make stateVersion a whole number from 0 up',
    );
  }
  return version;
}

/**
 * Encodes every stateful actor's state, in actor order. It runs before anything is committed,
 * so a state the codec cannot store (NotSerializableError) leaves the registry untouched.
 */
export async function snapshot(built: BuiltPipeline, codec: StateCodec): Promise<StateDraft[]> {
  const drafts: StateDraft[] = [];
  for (const named of built.actors) {
    if (!isStateful(named.actor)) continue;
    const { actor } = named;
    const state = await awaitUser({ step: 'getState', actor: named.name }, () => actor.getState());
    const bytes = await codec.encode(state, {
      actor: named.name,
      stateVersion: stateVersionOf(named),
    });
    drafts.push({ actor: named.name, bytes, codec: codec.name });
  }
  return drafts;
}

export interface Restored {
  loaded: ActorName[];
  /** Stateful actors the generation holds no state for (only possible on a warm start). */
  untrained: ActorName[];
}

/**
 * Loads a generation's states into fresh actors, by actor name. To apply, every stateful actor
 * needs its state; to warm-start, one without a state simply trains from scratch. States of
 * actors the pipeline no longer has are not loaded.
 */
export async function restore(
  built: BuiltPipeline,
  manifest: GenerationManifest,
  registry: Registry,
  codec: StateCodec,
  purpose: 'warm-start' | 'apply',
  /** Actors not to load (a warm start retrains them from scratch). */
  skip: ReadonlySet<string> = new Set(),
): Promise<Restored> {
  const stored = await registry.readStates(manifest);
  const restored: Restored = { loaded: [], untrained: [] };
  for (const named of built.actors) {
    if (!isStateful(named.actor) || skip.has(named.name)) continue;
    const entry = manifest.states.find((s) => s.actor === named.name);
    const bytes = stored.get(named.name);
    if (entry === undefined || bytes === undefined) {
      if (purpose === 'apply') {
        throw new NotFoundError(
          { what: 'state', ...manifestLocation(manifest), actor: named.name },
          `the generation holds states of ${manifest.states.map((s) => s.actor).join(', ') || 'no actors'}; train the release again with this pipeline`,
        );
      }
      restored.untrained.push(named.name);
      continue;
    }
    if (entry.codec !== codec.name) {
      throw new IncompatibleFormatError(
        {
          subject: `state of actor ${JSON.stringify(named.name)} in ${manifest.project} ${manifest.release} generation ${manifest.generation}`,
          found: `codec ${entry.codec}`,
          supported: `codec ${codec.name}`,
        },
        `configure the ${entry.codec} codec to read this generation`,
      );
    }
    const state = await codec.decode(bytes, { actor: named.name, stateVersion: stateVersionOf(named) });
    const { actor } = named;
    await awaitUser({ step: 'setState', actor: named.name }, () => actor.setState(state));
    restored.loaded.push(named.name);
  }
  return restored;
}
