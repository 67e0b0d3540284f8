import type { StateCodec } from '../codec/state-codec.js';
import { IncompatibleFormatError, UsageError } from '../registry/errors/index.js';
import type { GenerationManifest } from '../registry/manifest.js';
import type { Registry } from '../registry/registry.js';
import { isStateful } from './actor.js';
import type { BuiltPipeline } from './build-pipeline.js';
import { stateVersionOf } from './states.js';

/**
 * A warm start from another release's generation (train --from) needs the same stateful actors,
 * by name, each with the state version the generation was written with; otherwise it is
 * refused naming the actor, before anything trains.
 */
export async function checkWarmFrom(
  built: BuiltPipeline,
  from: GenerationManifest,
  registry: Registry,
  codec: StateCodec,
): Promise<void> {
  const where = `${from.project} ${from.release} generation ${from.generation}`;
  const actors = built.actors.filter((named) => isStateful(named.actor));
  const held = from.states.map((s) => s.actor as string);
  const names = actors.map((named) => named.name as string);
  const missing = names.find((name) => !held.includes(name));
  const extra = held.find((name) => !names.includes(name));
  if (missing !== undefined || extra !== undefined) {
    throw new UsageError(
      missing !== undefined
        ? `${where} holds no state for actor ${JSON.stringify(missing)}, so this release cannot warm-start from it`
        : `${where} holds a state of actor ${JSON.stringify(extra)}, which this release's pipeline does not have`,
      `warm-start only from a generation with the same actors (it has ${held.join(', ') || 'none'}; this pipeline has ${names.join(', ') || 'none'}), or train without from`,
      { argument: 'from', actor: missing ?? extra },
    );
  }
  const stored = await registry.readStates(from);
  for (const named of actors) {
    const bytes = stored.get(named.name);
    if (bytes === undefined) continue;
    const found = codec.header(bytes).stateVersion;
    const wanted = stateVersionOf(named);
    if (found !== wanted) {
      throw new IncompatibleFormatError(
        {
          subject: `state of actor ${JSON.stringify(named.name)} in ${where}`,
          found: `stateVersion ${found}`,
          supported: `stateVersion ${wanted}`,
        },
        `actor ${JSON.stringify(named.name)} changed its state version since ${from.release}: train this release without from, or warm-start from a generation written with stateVersion ${wanted}`,
      );
    }
  }
}
