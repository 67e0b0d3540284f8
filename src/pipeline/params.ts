import { UsageError } from '../registry/errors/index.js';
import { isRecord } from '../registry/stored-json.js';
import type { ParamValue, Params } from './actor.js';
import type { NamedActor } from './actor-names.js';
import { callUser } from './user-code.js';

const HINT = 'address parameters as "<actor name>.<parameter>", e.g. { "model.learningRate": 0.1 }';

/**
 * Hands every actor its own parameters through setParams(): "model.learningRate" goes to the
 * actor named "model" as { learningRate }. Actor names may contain dots, so the longest actor
 * name that prefixes the key wins. A key that reaches no actor, or a parameter the actor's
 * getParams() does not list, is refused: a typo must not silently tune nothing.
 */
export function routeParams(actors: readonly NamedActor[], params: Params): void {
  const byActor = new Map<NamedActor, Params>();
  const names = [...actors].sort((a, b) => b.name.length - a.name.length);
  for (const [key, value] of Object.entries(params)) {
    checkValue(key, value);
    const target = names.find((a) => key.startsWith(`${a.name}.`) && key.length > a.name.length + 1);
    if (target === undefined) {
      throw new UsageError(
        `parameter ${JSON.stringify(key)} names no actor of the pipeline (${actors.map((a) => a.name).join(', ')})`,
        HINT,
        { argument: key },
      );
    }
    const param = key.slice(target.name.length + 1);
    const { actor } = target;
    if (typeof actor.setParams !== 'function') {
      throw new UsageError(
        `actor ${JSON.stringify(target.name)} takes no parameters (it has no setParams()), but ${JSON.stringify(key)} is set`,
        'give the actor getParams() and setParams(), or drop the parameter',
        { argument: key },
      );
    }
    if (typeof actor.getParams === 'function') {
      const getParams = actor.getParams;
      const known = Object.keys(callUser({ step: 'getParams', actor: target.name }, () => getParams.call(actor)));
      if (!known.includes(param)) {
        throw new UsageError(
          `actor ${JSON.stringify(target.name)} has no parameter ${JSON.stringify(param)}; it has ${known.join(', ') || 'none'}`,
          HINT,
          { argument: key },
        );
      }
    }
    byActor.set(target, { ...byActor.get(target), [param]: value });
  }
  for (const [target, own] of byActor)
    callUser({ step: 'setParams', actor: target.name }, () => target.actor.setParams!(own));
}

/** Params as recorded in a manifest's tuning, checked before they reach actors. */
export function paramsOf(recorded: unknown): Params {
  if (recorded === undefined || recorded === null) return {};
  if (!isRecord(recorded))
    throw new UsageError('the recorded tuning parameters are not an object', 'tune the release again');
  for (const [key, value] of Object.entries(recorded)) checkValue(key, value);
  return recorded as Params;
}

function checkValue(key: string, value: unknown): asserts value is ParamValue {
  const ok =
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value));
  if (!ok)
    throw new UsageError(
      `parameter ${JSON.stringify(key)} is ${String(value)}; parameters are finite numbers, strings, booleans or null`,
      HINT,
      { argument: key },
    );
}
