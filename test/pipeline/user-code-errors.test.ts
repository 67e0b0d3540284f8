import { describe, expect, it } from 'vitest';
import { tableFromRecords } from '../../src/pipeline/data/table.js';
import type { Params, ProjectDefinition } from '../../src/pipeline/index.js';
import { bench } from './fixtures.js';
import { probeRows } from './probe-project.js';

type Step = 'train' | 'apply' | 'inverse' | 'getState' | 'setState' | 'getParams' | 'setParams';

class Oops extends Error {}

/** A stateful actor "model" (and a label actor "encoder") that throw an Oops in one step. */
function failing(step: Step | 'score' | 'pipeline' | 'none', rejects = false): ProjectDefinition<number> {
  const fail = (at: Step | 'score' | 'pipeline'): void => {
    if (at === step) throw new Oops(`${at} went wrong`);
  };
  class Model {
    readonly name = 'model';
    #k = 1;
    train(): void | Promise<void> {
      if (rejects && step === 'train') return Promise.reject(new Oops('train went wrong'));
      fail('train');
    }
    apply(rows: unknown[]): number[] {
      fail('apply');
      return rows.map(() => this.#k);
    }
    getState(): { k: number } {
      fail('getState');
      return { k: this.#k };
    }
    setState(state: { k: number }): void {
      fail('setState');
      this.#k = state.k;
    }
    getParams(): Params {
      fail('getParams');
      return { k: this.#k };
    }
    setParams(params: Params): void {
      fail('setParams');
      if (typeof params.k === 'number') this.#k = params.k;
    }
  }
  const encoder = () => ({
    name: 'encoder',
    apply: (labels: unknown) => labels,
    inverse: (encoded: unknown) => {
      fail('inverse');
      return encoded;
    },
  });
  return {
    label: 'y',
    features: ['x'],
    metric: {
      name: 'closeness',
      direction: 'max',
      score: () => {
        fail('score');
        return 1;
      },
    },
    pipeline: () => {
      fail('pipeline');
      return { labels: [encoder()], steps: [new Model()] };
    },
    tuning: { space: { 'model.k': [1, 2] } },
  };
}

const rows = () => tableFromRecords(probeRows(4));

describe("an exception from the project's own code", () => {
  it('is USER_CODE naming the actor, the step and the message, with the original as cause; nothing is committed', async () => {
    const cases: [Step | 'score' | 'pipeline', Record<string, unknown>][] = [
      ['pipeline', { step: 'pipeline' }],
      ['train', { step: 'train', actor: 'model' }],
      ['apply', { step: 'apply', actor: 'model' }],
      ['inverse', { step: 'inverse', actor: 'encoder' }],
      ['getState', { step: 'getState', actor: 'model' }],
      ['score', { step: 'score', metric: 'closeness' }],
    ];
    for (const [step, data] of cases) {
      const b = await bench(failing(step) as never, undefined, 'oops');
      const error = await b.runtime.train({ project: b.project, data: rows() }).catch((e: unknown) => e);
      expect({ step, error }).toMatchObject({
        step,
        error: { code: 'USER_CODE', data: { ...data, detail: `${step} went wrong` } },
      });
      expect((error as Error).cause).toBeInstanceOf(Oops);
      expect(await b.registry.generations('oops', '1.0.0')).toEqual([]);
    }
  });

  it('names the actor in the message, and a rejected promise counts the same as a throw', async () => {
    const b = await bench(failing('train', true) as never, undefined, 'oops');
    const error = (await b.runtime.train({ project: b.project, data: rows() }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'USER_CODE', data: { step: 'train', actor: 'model' } });
    expect(error.message).toBe('actor "model" train() threw: train went wrong');
  });

  it('setState on apply and on a warm start, setParams and getParams while tuning', async () => {
    // A generation to load, made by code that works.
    const b = await bench(failing('none') as never, undefined, 'oops');
    await b.runtime.train({ project: b.project, data: rows() });
    const broken = { ...b.project, definition: failing('setState') };
    for (const run of [
      () => b.runtime.apply({ project: broken, data: rows() }),
      () => b.runtime.train({ project: broken, data: rows() }),
    ]) {
      await expect(run()).rejects.toMatchObject({ code: 'USER_CODE', data: { step: 'setState', actor: 'model' } });
    }
    for (const step of ['setParams', 'getParams'] as const) {
      await expect(
        b.runtime.tune({ project: { ...b.project, definition: failing(step) }, data: rows() }),
      ).rejects.toMatchObject({
        code: 'USER_CODE',
        data: { step, actor: 'model' },
      });
    }
    expect(await b.registry.generations('oops', '1.0.0')).toEqual([1]);
  });

  it('a metric returning NaN stays a USAGE error naming the metric', async () => {
    const definition = { ...failing('none'), metric: { name: 'closeness', direction: 'max', score: () => Number.NaN } };
    const b = await bench(definition as never, undefined, 'oops');
    const error = (await b.runtime.train({ project: b.project, data: rows() }).catch((e: unknown) => e)) as Error;
    expect(error).toMatchObject({ code: 'USAGE' });
    expect(error.message).toContain('"closeness"');
  });
});
