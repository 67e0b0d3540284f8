import { Matrix } from 'ml-matrix';
import { RandomForestClassifier } from 'ml-random-forest';
import { describe, expect, it } from 'vitest';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
// @ts-expect-error: a plain .mjs fixture, shared with the pipeline tests.
import { madeUpRows } from '../pipeline/models/forest-model.mjs';
import { META, rejection, roundTrip } from './helpers.js';

const codec = new CborStateCodec();

/** Every object in a decoded state is plain data: no prototype but the built-ins the codec reads. */
function prototypesOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value !== 'object' || value === null) return into;
  const prototype = Object.getPrototypeOf(value) as { constructor?: { name: string } } | null;
  into.add(prototype === null ? 'null' : (prototype.constructor?.name ?? '?'));
  if (ArrayBuffer.isView(value)) return into;
  for (const item of Object.values(value)) prototypesOf(item, into);
  return into;
}

class Pair {
  constructor(
    readonly a: number,
    readonly b: number,
  ) {}
  toJSON(): unknown {
    return { a: this.a, b: this.b, sum: new Sum(this.a + this.b) };
  }
}
class Sum {
  constructor(readonly total: number) {}
  toJSON(): unknown {
    return [this.total];
  }
}
class Node {
  constructor(readonly depth: number) {}
  method(): number {
    return this.depth;
  }
}
class Holder {
  constructor(readonly inner: unknown) {}
  toJSON(): unknown {
    return { inner: this.inner };
  }
}

describe('toJSON(): a class instance is stored as what its toJSON returns, and read back as plain data', () => {
  it('an ml.js random forest (TreeNodes and ml-matrix Matrices inside its toJSON) round-trips and loads with identical predictions', async () => {
    const train = madeUpRows(120, 3) as { rows: number[][]; labels: number[] };
    const forest = new RandomForestClassifier({ seed: 7, nEstimators: 8, maxFeatures: 1.0, noOOB: true });
    forest.train(train.rows, train.labels);
    // The state is the library's model object itself, no JSON.parse(JSON.stringify(…)) in between.
    const state = { forest, trainedOn: train.rows.length };
    const decoded = (await roundTrip(state)) as { forest: unknown; trainedOn: number };
    expect(decoded.trainedOn).toBe(120);
    expect([...prototypesOf(decoded)].sort()).toEqual(['Array', 'Object']);
    // What toJSON returned, as data (more faithfully than JSON: Infinity and undefined stay).
    const model = decoded.forest as { name: string; baseModel: { estimators: { root: { maxDepth: number } }[] } };
    expect(model.name).toBe('RFClassifier');
    expect(model.baseModel.estimators).toHaveLength(8);
    expect(model.baseModel.estimators[0]!.root.maxDepth).toBe(Number.POSITIVE_INFINITY);

    const loaded = RandomForestClassifier.load(decoded.forest as never);
    const { rows } = madeUpRows(50, 11) as { rows: number[][] };
    const expected = forest.predict(rows);
    expect(new Set(expected)).toEqual(new Set([0, 1]));
    expect(loaded.predict(rows)).toEqual(expected);
  });

  it('an ml-matrix Matrix alone is stored as its rows', async () => {
    const m = new Matrix([
      [1, 2.5],
      [-0.5, 4],
    ]);
    expect(await roundTrip({ U: m })).toEqual({
      U: [
        [1, 2.5],
        [-0.5, 4],
      ],
    });
  });

  it('toJSON results are encoded recursively, and the bytes equal those of the plain data they return', async () => {
    const plain = { p: { a: 1, b: 2, sum: [3] } };
    expect(await roundTrip({ p: new Pair(1, 2) })).toEqual(plain);
    expect(await codec.encode({ p: new Pair(1, 2) }, META)).toEqual(await codec.encode(plain, META));
  });

  it('a class instance at the top of the state is honoured too', async () => {
    expect(await roundTrip(new Pair(0.5, 1))).toEqual({ a: 0.5, b: 1, sum: [1.5] });
  });

  it('inside a toJSON result, an ordinary instance without toJSON is stored as its own enumerable properties', async () => {
    expect(await roundTrip(new Holder({ node: new Node(3) }))).toEqual({ inner: { node: { depth: 3 } } });
  });

  it('outside a toJSON result, an instance without toJSON is still refused', async () => {
    const error = await rejection(codec.encode({ node: new Node(1) }, META));
    expect(error).toMatchObject({ code: 'NOT_SERIALIZABLE', data: { path: '$.node' } });
  });
});

describe('toJSON(): what cannot be honoured is NOT_SERIALIZABLE with the path', () => {
  const refused: Array<[string, () => unknown, string]> = [
    [
      'a toJSON returning the instance itself',
      () => ({
        m: new (class Self {
          toJSON(): unknown {
            return this;
          }
        })(),
      }),
      '$.m',
    ],
    [
      'a toJSON returning another class instance',
      () => ({
        m: new (class Wrap {
          toJSON(): unknown {
            return new Node(1);
          }
        })(),
      }),
      '$.m',
    ],
    [
      'a toJSON that throws',
      () => ({
        layers: [
          new (class Broken {
            toJSON(): unknown {
              throw new Error('not fitted yet');
            }
          })(),
        ],
      }),
      '$.layers[0]',
    ],
    [
      'a toJSON whose result leads back to the instance (a cycle)',
      () => {
        const h: { inner: unknown } = new Holder(null) as never;
        (h as { inner: unknown }).inner = { back: h };
        return { model: h };
      },
      '$.model.inner.back',
    ],
    ['a function inside a toJSON result', () => ({ h: new Holder({ f: () => 1 }) }), '$.h.inner.f'],
    ['a Promise inside a toJSON result', () => ({ h: new Holder([Promise.resolve(1)]) }), '$.h.inner[0]'],
    ['a Node.js Buffer (whose toJSON is not honoured)', () => ({ raw: Buffer.from('x') }), '$.raw'],
  ];
  for (const [what, make, path] of refused) {
    it(`${what} is refused at ${path}`, async () => {
      const error = await rejection(codec.encode(make(), META));
      expect(error).toMatchObject({ code: 'NOT_SERIALIZABLE', data: { actor: 'scaler', path } });
    });
  }

  it('the reason names the class and what its toJSON did', async () => {
    const threw = await rejection(
      codec.encode(
        new (class Broken {
          toJSON(): unknown {
            throw new Error('not fitted yet');
          }
        })(),
        META,
      ),
    );
    expect(threw.data.reason).toBe('an instance of Broken whose toJSON() threw: not fitted yet');
    const self = await rejection(
      codec.encode(
        new (class Self {
          toJSON(): unknown {
            return this;
          }
        })(),
        META,
      ),
    );
    expect(self.data.reason).toBe('an instance of Self whose toJSON() returned the instance itself, not plain data');
  });
});
