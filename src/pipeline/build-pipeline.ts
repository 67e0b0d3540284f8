import { UsageError } from '../registry/errors/index.js';
import type { StructureNode } from '../registry/manifest.js';
import type { Params } from './actor.js';
import { nameActors, type NamedActor } from './actor-names.js';
import { checkRouting, describeGraph, readSteps, type GraphNode } from './graph.js';
import { routeParams } from './params.js';
import type { ProjectDefinition } from './project.js';
import { callUser } from './user-code.js';

/** A pipeline whose actors are named and parameterised, ready to train or to receive states. */
export interface BuiltPipeline {
  readonly labels: readonly NamedActor[];
  /** Every actor of the steps, branches included, in the order they train. */
  readonly steps: readonly NamedActor[];
  /** The label path, then the steps: the order actors train in and states are listed in. */
  readonly actors: readonly NamedActor[];
  /** The steps as they run: actors and branches. A chain is a list of actor nodes. */
  readonly graph: readonly GraphNode[];
  /** How the actors are arranged, as a generation's manifest records it. */
  readonly structure: StructureNode;
}

// Actors handed out before: a pipeline() that returns the same instances twice would let
// tuning candidates share what they learned, which must not pass silently.
const used = new WeakSet<object>();

export function buildPipeline(definition: ProjectDefinition<unknown>, params: Params): BuiltPipeline {
  const pipeline = callUser({ step: 'pipeline' }, () => definition.pipeline({ ...params })) as unknown;
  const p = pipeline as { steps?: unknown; labels?: unknown } | null;
  if (typeof p !== 'object' || p === null || !Array.isArray(p.steps) || p.steps.length === 0) {
    throw new UsageError(
      'pipeline() did not return { steps: [actor, …] } with at least one step',
      'return { steps: [imputer, scaler, model], labels?: [encoder] }',
    );
  }
  if (p.labels !== undefined && !Array.isArray(p.labels))
    throw new UsageError('pipeline().labels is not a list of actors', 'return labels: [encoder] or leave it out');
  const labels = (p.labels ?? []) as unknown[];
  const steps = readSteps(p.steps);
  const actors = nameActors([
    ...labels.map((actor, index) => ({ actor, path: 'labels' as const, index })),
    ...steps.placed,
  ]);
  const seen = new Set<object>();
  for (const { actor, name, place } of actors) {
    if (seen.has(actor))
      throw new UsageError(
        `pipeline() holds one actor object twice, the second time at ${place} as ${JSON.stringify(name)}`,
        'construct a separate actor for every place in the pipeline: each keeps a state of its own',
      );
    seen.add(actor);
    if (used.has(actor))
      throw new UsageError(
        `pipeline() returned actor ${JSON.stringify(name)} again instead of a fresh one`,
        'construct new actors inside pipeline() on every call',
      );
  }
  for (const { actor } of actors) used.add(actor);
  const labelActors = actors.filter((a) => a.path === 'labels');
  const graph = steps.resolve(actors.slice(labelActors.length));
  checkRouting(graph, definition.features ?? null);
  routeParams(actors, params);
  return {
    labels: labelActors,
    steps: actors.filter((a) => a.path === 'steps'),
    actors,
    graph,
    structure: describeGraph(labelActors, graph),
  };
}
