import { describe, expect, it } from 'vitest';
import { kebabCase, nameActors, type ActorPath } from '../../src/pipeline/actor-names.js';
import { routeParams } from '../../src/pipeline/params.js';

class StandardScaler {
  apply(x: unknown): unknown {
    return x;
  }
}
class HTTPFetcher {
  apply(x: unknown): unknown {
    return x;
  }
}
class Model {
  rate = 0.1;
  depth = 3;
  constructor(readonly name?: string) {}
  apply(x: unknown): unknown {
    return x;
  }
  train(): void {}
  getState(): unknown {
    return {};
  }
  setState(): void {}
  getParams(): Record<string, number> {
    return { rate: this.rate, depth: this.depth };
  }
  setParams(params: Record<string, unknown>): void {
    Object.assign(this, params);
  }
}

const steps = (...actors: unknown[]) => actors.map((actor, index) => ({ actor, path: 'steps' as ActorPath, index }));

describe('actor names', () => {
  it('derives kebab-case names from class names', () => {
    expect(kebabCase('StandardScaler')).toBe('standard-scaler');
    expect(kebabCase('HTTPFetcher')).toBe('http-fetcher');
    expect(kebabCase('Step2Model')).toBe('step2-model');
    expect(kebabCase('_Private$Thing')).toBe('private-thing');
    expect(
      nameActors(steps(new StandardScaler(), new HTTPFetcher(), new Model('m'))).map((a) => [a.name, a.given]),
    ).toEqual([
      ['standard-scaler', false],
      ['http-fetcher', false],
      ['m', true],
    ]);
  });

  it('refuses two actors with the same derived name, asking for names, and never numbers them', () => {
    expect(() => nameActors(steps(new StandardScaler(), new StandardScaler()))).toThrow(
      expect.objectContaining({
        code: 'USAGE',
        data: { argument: 'standard-scaler', actor: 'standard-scaler', places: ['steps[0]', 'steps[1]'] },
      }),
    );
    expect(
      nameActors(steps(Object.assign(new StandardScaler(), { name: 'a' }), new StandardScaler())).map((a) => a.name),
    ).toEqual(['a', 'standard-scaler']);
  });

  it('refuses duplicate given names across the label path and the steps', () => {
    const actors = [{ actor: new Model('x'), path: 'labels' as ActorPath, index: 0 }, ...steps(new Model('x'))];
    expect(() => nameActors(actors)).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('checks given names against the actor name rule', () => {
    expect(() => nameActors(steps(new Model('../x')))).toThrow(expect.objectContaining({ code: 'INVALID_NAME' }));
  });

  it('a plain object needs a name; a non-actor and a half-stateful actor are refused', () => {
    expect(() => nameActors(steps({ apply: (x: unknown) => x }))).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(nameActors(steps({ name: 'identity', apply: (x: unknown) => x }))[0]!.name).toBe('identity');
    expect(() => nameActors(steps({ name: 'x' }))).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => nameActors(steps({ name: 'x', apply: () => 1, train: () => {} }))).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
  });
});

describe('parameter routing', () => {
  it('sends "actor.param" to the actor with that name, the longest matching name winning', () => {
    const plain = new Model('model');
    const dotted = new Model('model.v2');
    routeParams(nameActors(steps(plain, dotted)), { 'model.rate': 0.5, 'model.v2.depth': 7, 'model.depth': 4 });
    expect([plain.rate, plain.depth, dotted.rate, dotted.depth]).toEqual([0.5, 4, 0.1, 7]);
  });

  it('refuses a key that reaches no actor, an unknown parameter, an actor without setParams, and non-plain values', () => {
    const actors = nameActors(steps(new Model('model'), new StandardScaler()));
    expect(() => routeParams(actors, { 'modle.rate': 1 })).toThrow(
      expect.objectContaining({ code: 'USAGE', data: { argument: 'modle.rate' } }),
    );
    expect(() => routeParams(actors, { 'model.speed': 1 })).toThrow(
      expect.objectContaining({ code: 'USAGE', data: { argument: 'model.speed' } }),
    );
    expect(() => routeParams(actors, { 'standard-scaler.k': 1 })).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => routeParams(actors, { 'model.rate': Number.NaN })).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
