import { describe, expect, it } from 'vitest';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { MAX_DEPTH } from '../../src/codec/state-encoder.js';
import { actorName } from '../../src/registry/names.js';
import { META, rejection } from './helpers.js';

class Scaler {
  mean = 1;
  transform(x: number): number {
    return x - this.mean;
  }
}
class DataOnly {
  weights = [1, 2];
}
class Floats extends Float64Array {}
class Rows extends Array<number> {}

const cyclic = (): unknown => {
  const tree: { left: { parent?: unknown } } = { left: {} };
  tree.left.parent = tree;
  return tree;
};

// [what, state, path]: each must be refused at encode time with the actor and this exact path.
const REFUSED: Array<[string, () => unknown, string]> = [
  ['a function at the top', () => () => 1, '$'],
  ['a method in a plain object', () => ({ model: { predict() {} } }), '$.model.predict'],
  ['an arrow function in an array', () => ({ steps: [1, 2, (x: number) => x] }), '$.steps[2]'],
  ['a symbol value', () => ({ tag: Symbol('t') }), '$.tag'],
  ['a symbol-keyed property', () => ({ inner: { [Symbol('hidden')]: 1, shown: 2 } }), '$.inner'],
  ['a class instance with behaviour', () => ({ scaler: new Scaler() }), '$.scaler'],
  ['a class instance without methods', () => [new DataOnly()], '$[0]'],
  ['a typed array subclass', () => ({ w: new Floats(2) }), '$.w'],
  ['an Array subclass', () => ({ rows: Rows.from([1]) }), '$.rows'],
  ['a Node.js Buffer', () => ({ raw: Buffer.from('x') }), '$.raw'],
  ['an ArrayBuffer', () => ({ raw: new ArrayBuffer(8) }), '$.raw'],
  ['a DataView', () => ({ raw: new DataView(new ArrayBuffer(8)) }), '$.raw'],
  ['a RegExp', () => ({ pattern: /a+/g }), '$.pattern'],
  ['an Error', () => ({ last: new Error('x') }), '$.last'],
  ['a WeakMap', () => ({ cache: new WeakMap() }), '$.cache'],
  ['a Promise', () => ({ pending: Promise.resolve(1) }), '$.pending'],
  ['a boxed number', () => ({ n: Object(1) as unknown }), '$.n'],
  ['an invalid Date', () => ({ at: new Date(NaN) }), '$.at'],
  // biome-ignore lint/suspicious/noSparseArray: the hole is the case under test
  ['a hole in a sparse array', () => ({ xs: [1, , 3] }), '$.xs[1]'],
  ['a cycle through objects', cyclic, '$.left.parent'],
  [
    'an object containing itself',
    () => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    },
    '$.self',
  ],
  [
    'a cycle through an array',
    () => {
      const a: unknown[] = [1];
      a.push({ back: a });
      return { a };
    },
    '$.a[1].back',
  ],
  [
    'a cycle through a Map value',
    () => {
      const m = new Map<string, unknown>();
      m.set('me', [m]);
      return m;
    },
    '$.me[0]',
  ],
  ['a Map with an object key', () => ({ index: new Map([[{}, 1]]) }), '$.index'],
  ['a Map with a boolean key', () => ({ index: new Map([[true, 1]]) }), '$.index'],
  ['a Set with an array member', () => ({ seen: new Set([[1]]) }), '$.seen'],
  ['a function inside a Map value', () => ({ handlers: new Map([['on', () => 1]]) }), '$.handlers.on'],
  ['a symbol inside a Set at position 1', () => ({ s: new Set(['a', Symbol('b')]) }), '$.s'],
  ['a lone surrogate in a string', () => ({ text: 'ok\uD800' }), '$.text'],
  ['a lone surrogate in a long string', () => ({ text: `${'x'.repeat(100)}\uDC00` }), '$.text'],
  ['a lone surrogate in a key', () => ({ 'k\uDFFF': 1 }), '$["k\\udfff"]'],
  ['an odd key on the way, quoted', () => ({ 'a b': { '0': [new Scaler()] } }), '$["a b"]["0"][0]'],
  ['a Map entry with a number key', () => ({ m: new Map([[2, new Scaler()]]) }), '$.m[2]'],
];

describe('refusals: what the codec cannot store faithfully fails at encode, naming actor and path', () => {
  const codec = new CborStateCodec();
  for (const [what, make, path] of REFUSED) {
    it(`${what} is NOT_SERIALIZABLE at ${path}`, async () => {
      const error = await rejection(codec.encode(make(), META));
      expect(error).toMatchObject({ code: 'NOT_SERIALIZABLE', data: { actor: 'scaler', path } });
      expect(typeof error.data.reason).toBe('string');
      expect(error.data.reason).not.toBe('');
    });
  }

  it(`nesting deeper than ${MAX_DEPTH} levels is NOT_SERIALIZABLE, not a stack overflow`, async () => {
    let state: unknown = {};
    for (let i = 0; i < MAX_DEPTH; i++) state = [state];
    const error = await rejection(codec.encode(state, META));
    expect(error).toMatchObject({
      code: 'NOT_SERIALIZABLE',
      data: { actor: 'scaler', path: `$${'[0]'.repeat(MAX_DEPTH)}` },
    });
  });

  it('the actor named is the one encoding, and the codec stays usable after a refusal', async () => {
    const other = { actor: actorName('imputer'), stateVersion: 0 };
    await expect(codec.encode({ f: () => 1 }, other)).rejects.toMatchObject({
      code: 'NOT_SERIALIZABLE',
      data: { actor: 'imputer', path: '$.f' },
    });
    const blob = await codec.encode({ ok: [1] }, other);
    expect(await codec.decode(blob, other)).toEqual({ ok: [1] });
  });

  it('an invalid actor name or stateVersion is refused before any encoding', async () => {
    await expect(codec.encode({}, { actor: 'no spaces' as never, stateVersion: 0 })).rejects.toMatchObject({
      code: 'INVALID_NAME',
    });
    for (const stateVersion of [-1, 1.5, NaN, 2 ** 53]) {
      await expect(codec.encode({}, { actor: META.actor, stateVersion })).rejects.toMatchObject({
        code: 'USAGE',
        data: { argument: 'stateVersion' },
      });
    }
  });
});
