import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Runtime } from '../../src/pipeline/runtime.js';
import { openRegistry, openRuntime } from '../../src/platform/public.js';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { Registry } from '../../src/registry/registry.js';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { statekeepInProcess } from '../cli/helpers.js';
import { sandbox } from './helpers.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/iris', import.meta.url));
const EARLY = path.join(EXAMPLE, 'data', 'iris-early.csv');
const DATA = path.join(EXAMPLE, 'data', 'iris.csv');
const ROW = { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 };

describe('a Runtime opened from platform.yaml runs a registered project by name', () => {
  it('trains the newest release, or the one named, and applies rows in memory', async () => {
    const box = sandbox();
    expect((await statekeepInProcess(['train', EXAMPLE, '--data', EARLY], box)).code).toBe(0);
    const where = { cwd: box.cwd, env: {}, home: box.home };
    const registry = await openRegistry(undefined, where);
    const runtime = await openRuntime(registry, where);
    const second = await runtime.train({ project: 'iris', data: DATA, sinceLast: true });
    expect(second).toMatchObject({ project: 'iris', release: '1.0.0', generation: 2, parent: 1 });
    const third = await runtime.train({ project: 'iris', release: '1.0.0', data: DATA, fresh: true });
    expect(third).toMatchObject({ generation: 3, parent: null });
    const applied = await runtime.apply({ project: 'iris', data: [ROW], generation: 1 });
    expect(applied.manifest.generation).toBe(1);
    expect(applied.predictions).toEqual(['setosa']);
    await expect(runtime.apply({ project: 'iris', release: '9.0.0', data: [ROW] })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'release', release: '9.0.0' },
    });
    await expect(runtime.apply({ project: 'nothing-here', data: [ROW] })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await registry.close();
  });

  it('a Runtime without project code refuses a project name, and names the way to open one', async () => {
    const runtime = new Runtime(new Registry(new VolatileProvider({})), new CborStateCodec(), () => new Date());
    await expect(runtime.apply({ project: 'iris', data: [ROW] })).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: 'project' },
    });
  });
});
