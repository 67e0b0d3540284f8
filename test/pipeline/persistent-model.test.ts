import { describe, expect, it } from 'vitest';
import { PersistentModel, VolatileProvider, Registry } from '../../src/index.js';

/** A tiny linear model whose state is its weights, as raw float32. */
class Linear {
  weights: Float32Array = new Float32Array([0, 0]);
  stateVersion = 1;
  getState(): { weights: Float32Array; note: string } {
    return { weights: this.weights, note: 'w' };
  }
  setState(state: { weights: Float32Array }): void {
    this.weights = state.weights;
  }
  predict(x: number): number {
    return this.weights[0]! * x + this.weights[1]!;
  }
}

const open = (): Registry => new Registry(new VolatileProvider());
const create = (): Linear => new Linear();

describe('PersistentModel', () => {
  it('on a new project loads a fresh object; the first save creates the project and release 1.0.0 without a package', async () => {
    const registry = open();
    const fresh = await PersistentModel.load(registry, 'm', { create });
    expect(fresh.generation).toBeNull();
    expect(fresh.release).toBe('1.0.0');
    expect(Array.from(fresh.model.weights)).toEqual([0, 0]);
    expect(await registry.projects()).toEqual([]);
    fresh.model.weights = new Float32Array([2.5, -1]);
    const first = await fresh.save({ metrics: { loss: 0.25 } });
    expect(first).toMatchObject({ project: 'm', release: '1.0.0', generation: 1, parent: null, mode: 'train' });
    expect(first).toMatchObject({ package: null, metrics: { loss: 0.25 } });
    expect(first.states.map((s) => [s.actor, s.codec])).toEqual([['model', 'cbor']]);
    expect((await registry.release('m', '1.0.0')).package).toBeNull();

    const loaded = await PersistentModel.load(registry, 'm', { create });
    expect(loaded.generation?.generation).toBe(1);
    expect(loaded.model.weights).toBeInstanceOf(Float32Array);
    expect(Array.from(loaded.model.weights)).toEqual([2.5, -1]);
    expect(loaded.model.predict(2)).toBe(4);
  });

  it('saves with the loaded generation as parent, or the one given; at picks latest, a number or an @alias', async () => {
    const registry = open();
    const model = await PersistentModel.load(registry, 'm', { create });
    for (const w of [1, 2, 3]) {
      model.model.weights = new Float32Array([w, 0]);
      await model.save();
    }
    expect((await registry.manifests('m', '1.0.0')).map((m) => m.parent)).toEqual([null, 1, 2]);
    const orphan = await model.save({ parent: null });
    expect(orphan).toMatchObject({ generation: 4, parent: null });

    const second = await PersistentModel.load(registry, 'm', { create, at: 2 });
    expect(Array.from(second.model.weights)).toEqual([2, 0]);
    expect(await second.save()).toMatchObject({ generation: 5, parent: 2 });
    await registry.setAlias('m', 'production', { release: '1.0.0', generation: 3 });
    const production = await PersistentModel.load(registry, 'm', { create, at: '@production' });
    expect(production.generation?.generation).toBe(3);
    expect(Array.from(production.model.weights)).toEqual([3, 0]);
    const latest = await PersistentModel.load(registry, 'm', { create, at: 'latest' });
    expect(Array.from(latest.model.weights)).toEqual([2, 0]);
  });

  it('saves to the release given, or the newest one; order rules still apply to a new one', async () => {
    const registry = open();
    const named = await PersistentModel.load(registry, 'n', { create, release: '2.0.0' });
    expect((await named.save()).release).toBe('2.0.0');
    await registry.createRelease('n', '2.1.0');
    const newest = await PersistentModel.load(registry, 'n', { create });
    expect(newest.generation).toBeNull();
    expect((await newest.save()).release).toBe('2.1.0');
    const older = await PersistentModel.load(registry, 'n', { create, release: '1.0.0' });
    await expect(older.save()).rejects.toMatchObject({ code: 'RELEASE_ORDER' });
  });

  it('refuses a state of another stateVersion with INCOMPATIBLE_FORMAT', async () => {
    const registry = open();
    await (await PersistentModel.load(registry, 'm', { create })).save();
    const newer = (): Linear => Object.assign(new Linear(), { stateVersion: 2 });
    await expect(PersistentModel.load(registry, 'm', { create: newer })).rejects.toMatchObject({
      code: 'INCOMPATIBLE_FORMAT',
    });
  });

  it("reports the user's own exceptions as USER_CODE naming the step and the actor model", async () => {
    const registry = open();
    const boom = (): never => {
      throw new Error('boom');
    };
    await expect(PersistentModel.load(registry, 'm', { create: boom })).rejects.toMatchObject({
      code: 'USER_CODE',
      data: { step: 'create', detail: 'boom' },
    });
    const failingGet = await PersistentModel.load(registry, 'm', {
      create: () => Object.assign(new Linear(), { getState: boom }),
    });
    await expect(failingGet.save()).rejects.toMatchObject({
      code: 'USER_CODE',
      data: { step: 'getState', actor: 'model' },
    });
    expect(await registry.projects()).toEqual([]);
    await (await PersistentModel.load(registry, 'm', { create })).save();
    await expect(
      PersistentModel.load(registry, 'm', { create: () => Object.assign(new Linear(), { setState: boom }) }),
    ).rejects.toMatchObject({ code: 'USER_CODE', data: { step: 'setState', actor: 'model', project: 'm' } });
  });

  it('refuses bad input clearly, writing nothing', async () => {
    const registry = open();
    const unstorable = await PersistentModel.load(registry, 'm', {
      create: () => Object.assign(new Linear(), { getState: () => ({ f: () => 1 }) }),
    });
    await expect(unstorable.save()).rejects.toMatchObject({ code: 'NOT_SERIALIZABLE' });
    expect(await registry.projects()).toEqual([]);
    await expect(PersistentModel.load(registry, 'm', { create, at: 0 })).rejects.toMatchObject({ code: 'USAGE' });
    await expect(PersistentModel.load(registry, 'm', { create, at: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(PersistentModel.load(registry, 'm', { create, at: '@production' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(
      PersistentModel.load(registry, 'm', { create: () => ({}) as unknown as Linear }),
    ).rejects.toMatchObject({ code: 'USAGE', data: { argument: 'create' } });
    await expect(PersistentModel.load(registry, '../m', { create })).rejects.toMatchObject({ code: 'INVALID_NAME' });
  });
});
