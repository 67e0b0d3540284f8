import { describe, expect, it } from 'vitest';
import type { Label, Params, ProjectDefinition, StatefulActor } from '../../src/pipeline/index.js';
import { columnsOf } from '../../src/pipeline/data/feature-rows.js';
import { tableFromRecords } from '../../src/pipeline/data/table.js';
import { buildPipeline } from '../../src/pipeline/build-pipeline.js';
import { joinOutputs } from '../../src/pipeline/join.js';
import type { BranchesNode } from '../../src/pipeline/graph.js';
import { bench, stateOf } from './fixtures.js';

type Row = (number | string | boolean | null)[];

interface SeenState {
  /** What train() received: the rows, and the column names they were described with. */
  rows: Row[];
  columns: string[] | null;
  /** Hyper-parameter: added to every number on apply. */
  shift: number;
  trained: number;
}

/** Remembers what it was trained on; apply() adds `shift` to every number (text becomes its length). */
class Seen implements StatefulActor<Row[], number[][], SeenState> {
  readonly name: string;
  #state: SeenState = { rows: [], columns: null, shift: 0, trained: 0 };

  constructor(name: string) {
    this.name = name;
  }

  train(rows: Row[]): void {
    this.#state = {
      ...this.#state,
      rows: rows.map((r) => [...r]),
      columns: columnsOf(rows)?.map((c) => c.name) ?? null,
      trained: this.#state.trained + 1,
    };
  }

  apply(rows: Row[]): number[][] {
    return rows.map((row) =>
      row.map((cell) => (typeof cell === 'string' ? cell.length : Number(cell ?? 0)) + this.#state.shift),
    );
  }

  getState(): SeenState {
    return structuredClone(this.#state);
  }

  setState(state: SeenState): void {
    this.#state = structuredClone(state);
  }

  getParams(): Params {
    return { shift: this.#state.shift };
  }

  setParams(params: Params): void {
    this.#state = { ...this.#state, shift: Number(params.shift) };
  }
}

/** Predicts the sum of each row (a stateful "model" remembering what it saw). */
class SumModel extends Seen {
  override apply(rows: Row[]): number[][] {
    return rows.map((row) => [row.reduce<number>((s, c) => s + Number(c), 0)]);
  }
}

/** A stateless actor returning one constant per row. */
const constant = (name: string, value: unknown) => ({ name, apply: (rows: unknown[]) => rows.map(() => value) });

const metric = {
  name: 'rows',
  direction: 'max' as const,
  score: (predicted: readonly unknown[], _actual: readonly Label[]) => predicted.length,
};

function project(pipeline: ProjectDefinition<unknown>['pipeline'], features?: string[]): ProjectDefinition<never> {
  return {
    label: 'y',
    ...(features === undefined ? {} : { features }),
    metric,
    pipeline,
  } as unknown as ProjectDefinition<never>;
}

const rows = () =>
  tableFromRecords([
    { a: 1, b: 10, t: 'xy', y: 0 },
    { a: 2, b: 20, t: 'xyz', y: 1 },
    { a: 3, b: null, t: null, y: 0 },
  ]);

const branching = () => ({
  steps: [
    {
      branches: {
        nums: { columns: ['b', 'a'], steps: [new Seen('seen')] },
        text: { columns: ['t'], steps: [new Seen('seen')] },
      },
    },
    new SumModel('model'),
  ],
});

describe('branching pipelines', () => {
  it('route named columns to each branch, join them side by side, and key every state by its dotted name', async () => {
    const b = await bench(project(branching, ['a', 'b', 't']), undefined, 'graph');
    const manifest = await b.runtime.train({ project: b.project, data: rows() });
    expect(manifest.states.map((s) => s.actor)).toEqual(['nums.seen', 'text.seen', 'model']);
    const nums = await stateOf<SeenState>(b, manifest, 'nums.seen');
    expect(nums).toMatchObject({
      columns: ['b', 'a'],
      rows: [
        [10, 1],
        [20, 2],
        [null, 3],
      ],
    });
    const text = await stateOf<SeenState>(b, manifest, 'text.seen');
    expect(text).toMatchObject({ columns: ['t'], rows: [['xy'], ['xyz'], [null]] });
    // The model trained on the union: the numeric branch's outputs, then the text branch's.
    const model = await stateOf<SeenState>(b, manifest, 'model');
    expect(model.rows).toEqual([
      [10, 1, 2],
      [20, 2, 3],
      [0, 3, 0],
    ]);
    const { predictions } = await b.runtime.apply({ project: b.project, data: rows() });
    expect(predictions).toEqual([[13], [25], [3]]);
    expect(manifest.structure).toMatchObject({
      kind: 'pipeline',
      children: [
        { kind: 'labels', children: [] },
        {
          kind: 'steps',
          children: [
            {
              kind: 'branches',
              name: 'steps[0]',
              attributes: { join: 'union' },
              children: [
                {
                  kind: 'branch',
                  name: 'nums',
                  attributes: { columns: ['b', 'a'] },
                  children: [{ actor: 'nums.seen' }],
                },
                { kind: 'branch', name: 'text', attributes: { columns: ['t'] }, children: [{ actor: 'text.seen' }] },
              ],
            },
            { kind: 'actor', actor: 'model' },
          ],
        },
      ],
    });
  });

  it('address hyper-parameters by dotted name, and warm-start every branch from its own state', async () => {
    const b = await bench(project(branching, ['a', 'b', 't']), undefined, 'graph');
    const one = await b.runtime.train({ project: b.project, data: rows() });
    const two = await b.runtime.train({ project: b.project, data: rows() });
    expect(two.parent).toBe(one.generation);
    for (const actor of ['nums.seen', 'text.seen', 'model'])
      expect((await stateOf<SeenState>(b, two, actor)).trained).toBe(2);
    const built = buildPipeline(project(branching, ['a', 'b', 't']), { 'nums.seen.shift': 5 });
    const shifted = built.actors.find((a) => a.name === 'nums.seen')!.actor as Seen;
    expect(shifted.getState().shift).toBe(5);
    expect((built.actors.find((a) => a.name === 'text.seen')!.actor as Seen).getState().shift).toBe(0);
    expect(() => buildPipeline(project(branching), { 'seen.shift': 1 })).toThrow(
      expect.objectContaining({ code: 'USAGE', data: expect.objectContaining({ argument: 'seen.shift' }) }),
    );
  });

  it('average numbers (and arrays of them) and vote on labels, a tie going to the earliest branch', async () => {
    const node = (join: BranchesNode['join'], names: string[]): BranchesNode => ({
      kind: 'branches',
      join,
      place: 'steps[1]',
      branches: names.map((name) => ({ name, path: name, place: `steps[1].${name}`, columns: null, steps: [] })),
    });
    expect(
      joinOutputs(node('average', ['a', 'b']), [
        [1, 4],
        [3, 8],
      ]),
    ).toEqual([2, 6]);
    expect(joinOutputs(node('average', ['a', 'b']), [[[0.2, 0.8]], [[0.6, 0.4]]])).toEqual([[0.4, 0.6000000000000001]]);
    expect(
      joinOutputs(node('vote', ['a', 'b', 'c']), [
        ['x', 'x'],
        ['y', 'y'],
        ['y', 'x'],
      ]),
    ).toEqual(['y', 'x']);
    expect(joinOutputs(node('vote', ['a', 'b']), [['x'], ['y']])).toEqual(['x']);
    expect(() => joinOutputs(node('average', ['a', 'b']), [[1], ['high']])).toThrow(
      expect.objectContaining({ code: 'USAGE', data: expect.objectContaining({ branch: 'b', row: 1 }) }),
    );

    // Through the runtime: three models vote, two of them say 7.
    const voting = () => ({
      steps: [
        {
          branches: {
            one: { steps: [constant('model', 7)] },
            two: { steps: [constant('model', 9)] },
            three: { steps: [new Seen('scaler'), constant('model', 7)] },
          },
          join: 'vote' as const,
        },
      ],
    });
    const b = await bench(project(voting, ['a']), undefined, 'voting');
    const manifest = await b.runtime.train({ project: b.project, data: rows() });
    expect(manifest.states.map((s) => s.actor)).toEqual(['three.scaler']);
    expect((await b.runtime.apply({ project: b.project, data: rows() })).predictions).toEqual([7, 7, 7]);
  });

  it('refuse colliding names, naming the actor and both places', () => {
    const colliding = () => ({
      steps: [{ branches: { nums: { columns: ['a'], steps: [new Seen('seen')] } } }, new Seen('nums.seen')],
    });
    expect(() => buildPipeline(project(colliding), {})).toThrow(
      expect.objectContaining({
        code: 'USAGE',
        data: expect.objectContaining({ actor: 'nums.seen', places: ['steps[0].nums[0]', 'steps[1]'] }),
      }),
    );
    const shared = new Seen('seen');
    const twice = () => ({
      steps: [{ branches: { a: { steps: [shared] }, b: { steps: [shared] } } }],
    });
    expect(() => buildPipeline(project(twice), {})).toThrow(expect.objectContaining({ code: 'USAGE' }));
    const badName = () => ({ steps: [{ branches: { 'a.b': { steps: [new Seen('x')] } } }] });
    expect(() => buildPipeline(project(badName), {})).toThrow(expect.objectContaining({ code: 'USAGE' }));
    const badJoin = () => ({ steps: [{ branches: { a: { steps: [new Seen('x')] } }, join: 'concat' as never }] });
    expect(() => buildPipeline(project(badJoin), {})).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('refuse branches that do not line up: a missing column at load (or at the first data), unnamed input, mismatched rows', async () => {
    const missing = () => ({
      steps: [{ branches: { nums: { columns: ['a', 'c'], steps: [new Seen('seen')] } } }, new SumModel('model')],
    });
    // With declared features the load refuses it, before any data is read.
    expect(() => buildPipeline(project(missing, ['a', 'b']), {})).toThrow(
      expect.objectContaining({
        code: 'USAGE',
        data: expect.objectContaining({ branch: 'nums', place: 'steps[0]', column: 'c' }),
      }),
    );
    // Without, the first data tells, and nothing is committed.
    const b = await bench(project(missing), undefined, 'missing');
    await expect(b.runtime.train({ project: b.project, data: rows() })).rejects.toMatchObject({
      code: 'USAGE',
      data: { branch: 'nums', place: 'steps[0]', column: 'c' },
    });
    expect(await b.registry.generations('missing', '1.0.0')).toEqual([]);

    const unnamed = () => ({
      steps: [new Seen('first'), { branches: { nums: { columns: ['a'], steps: [new Seen('seen')] } } }],
    });
    expect(() => buildPipeline(project(unnamed), {})).toThrow(
      expect.objectContaining({
        code: 'USAGE',
        data: expect.objectContaining({ branch: 'nums', place: 'steps[1]', actor: 'first' }),
      }),
    );

    const short = () => ({
      steps: [
        {
          branches: {
            all: { steps: [new Seen('seen')] },
            fewer: { steps: [{ name: 'dropper', apply: (r: unknown[]) => r.slice(1) }] },
          },
        },
        new SumModel('model'),
      ],
    });
    const c = await bench(project(short), undefined, 'short');
    await expect(c.runtime.train({ project: c.project, data: rows() })).rejects.toMatchObject({
      code: 'USAGE',
      data: { branch: 'fewer', place: 'steps[0]', actor: 'fewer.dropper', rows: 2, expected: 3 },
    });
    expect(await c.registry.generations('short', '1.0.0')).toEqual([]);
  });

  it('tune a branch actor by its dotted name', async () => {
    const tunable = {
      ...project(branching, ['a', 'b', 't']),
      metric: {
        name: 'low',
        direction: 'min' as const,
        score: (predicted: readonly unknown[]) =>
          (predicted as number[][]).reduce((s, [p]) => s + Math.abs(p! - 40), 0),
      },
      tuning: { space: { 'nums.seen.shift': [0, 5, 10] }, holdout: 0.34, seed: 1 },
    } as unknown as ProjectDefinition<never>;
    const b = await bench(tunable, undefined, 'tunable');
    const rowsMany = tableFromRecords(
      Array.from({ length: 9 }, (_, i) => ({ a: i, b: 10 * i, t: 'x'.repeat(i % 3), y: i % 2 })),
    );
    const manifest = await b.runtime.tune({ project: b.project, data: rowsMany });
    expect(manifest.tuning).toMatchObject({ trials: 3 });
    expect(Object.keys(manifest.tuning!.params)).toEqual(['nums.seen.shift']);
    expect((await stateOf<SeenState>(b, manifest, 'nums.seen')).shift).toBe(manifest.tuning!.params['nums.seen.shift']);
  });
});
