import { InvalidNameError, UsageError } from '../registry/errors/index.js';
import { actorName, type ActorName } from '../registry/names.js';
import { statefulMembers, type LooseActor } from './actor.js';

export type ActorPath = 'steps' | 'labels';

/** An actor of a built pipeline, with the name that keys its state and its parameters. */
export interface NamedActor {
  readonly name: ActorName;
  readonly path: ActorPath;
  readonly actor: LooseActor;
  /** Whether the name was given (`name` property) or derived from the class. */
  readonly given: boolean;
  /** The branches the actor sits in, outermost first; empty on the main chain and the label path. */
  readonly branch: readonly string[];
  /** Where the pipeline holds it, for messages: `steps[0].numeric[1]`. */
  readonly place: string;
}

/** One actor as the pipeline holds it, before it is named. */
export interface PlacedActor {
  actor: unknown;
  path: ActorPath;
  index: number;
  /** The branches it sits in, outermost first (default none). */
  branch?: readonly string[];
  /** Where it is, for messages (default `path[index]`). */
  place?: string;
}

/** StandardScaler → standard-scaler, HTTPFetcher → http-fetcher, Step2Model → step2-model. */
export function kebabCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^[^a-z0-9]+|-+$/g, '');
}

/**
 * Names every actor of a pipeline, keeping order. A name is the actor's own `name`, or the
 * kebab-cased name of its class. The name, never the position, keys the actor's state, so two
 * actors that would share a name are refused rather than numbered.
 */
export function nameActors(actors: readonly PlacedActor[]): NamedActor[] {
  const named = actors.map(({ actor, path, index, branch = [], place = `${path}[${index}]` }) =>
    nameOne(checkActor(actor, place), path, branch, place),
  );
  const byName = new Map<string, NamedActor[]>();
  for (const n of named) byName.set(n.name, [...(byName.get(n.name) ?? []), n]);
  for (const [name, same] of byName) {
    if (same.length > 1) {
      const how = same.every((n) => !n.given) ? 'derive the same name' : 'are named';
      throw new UsageError(
        `${same.length} actors of the pipeline ${how} ${JSON.stringify(name)} (at ${same.map((n) => n.place).join(' and ')})`,
        'give each of them its own `name` property (names key the states, positions never do)',
        { argument: name, actor: name, places: same.map((n) => n.place) },
      );
    }
  }
  return named;
}

function checkActor(actor: unknown, where: string): LooseActor {
  if (typeof actor !== 'object' || actor === null || typeof (actor as LooseActor).apply !== 'function') {
    throw new UsageError(
      `pipeline ${where} is not an actor: it has no apply() method`,
      'every actor needs apply(input); stateful ones also train, getState and setState',
    );
  }
  const { present, missing } = statefulMembers(actor as LooseActor);
  if (present.length > 0 && missing.length > 0) {
    throw new UsageError(
      `pipeline ${where} has ${present.join(', ')} but not ${missing.join(', ')}`,
      'a stateful actor needs train(), getState() and setState(); a stateless one needs none of them',
    );
  }
  return actor as LooseActor;
}

function nameOne(actor: LooseActor, path: ActorPath, branch: readonly string[], place: string): NamedActor {
  // A branch's actors are named within it: numeric.scaler, never a bare scaler that a second branch could share.
  const full = (own: string): ActorName => actorName([...branch, own].join('.'));
  if (actor.name !== undefined) {
    if (typeof actor.name !== 'string')
      throw new InvalidNameError({ kind: 'actor', name: String(actor.name), rule: 'a string' });
    actorName(actor.name);
    return { name: full(actor.name), path, actor, given: true, branch, place };
  }
  const constructorName = (Object.getPrototypeOf(actor) as { constructor?: { name?: unknown } } | null)?.constructor
    ?.name;
  const derived = typeof constructorName === 'string' && constructorName !== 'Object' ? kebabCase(constructorName) : '';
  if (derived === '') {
    throw new UsageError(
      `pipeline ${place} has no name to derive: it is not an instance of a named class`,
      'give it a `name` property, e.g. { name: "scaler", apply(x) { … } }',
    );
  }
  return { name: full(derived), path, actor, given: false, branch, place };
}
