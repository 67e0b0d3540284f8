import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PosixProvider } from '../../src/providers/posix/posix-provider.js';
import { Registry } from '../../src/registry/registry.js';
import { Runtime } from '../../src/pipeline/runtime.js';
import { bench, EPOCH, irisData } from './fixtures.js';

describe('the runtime over a posix registry', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'statekeep-pipeline-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('trains, trains since the last generation, rolls back, and applies the same from a second registry on the same directory', async () => {
    const b = await bench(undefined, new PosixProvider({ path: dir }));
    const data = await irisData();
    const one = await b.runtime.train({ project: b.project, data: await irisData('iris-early.csv') });
    const two = await b.runtime.train({ project: b.project, data, sinceLast: true });
    expect(two).toMatchObject({ parent: 1, training: { rows: 50 } });
    const applied = await b.runtime.apply({ project: b.project, data });

    // Another registry (as another process would open it) sees and loads the same generations.
    const reopened = new Registry(new PosixProvider({ path: dir }), { clock: () => EPOCH });
    const runtime = new Runtime(reopened, b.codec, () => EPOCH);
    expect((await runtime.apply({ project: b.project, data })).predictions).toEqual(applied.predictions);
    const three = await reopened.rollback('iris', '1.0.0', 1);
    expect(three.states).toEqual(one.states);
    expect((await runtime.apply({ project: b.project, data })).predictions).toEqual(
      (await b.runtime.apply({ project: b.project, data, generation: 1 })).predictions,
    );
  });
});
