import { cp, mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { tableSpec } from '../../src/pipeline/data/columns.js';
import { readTable } from '../../src/pipeline/data/read-table.js';
import { Runtime } from '../../src/pipeline/runtime.js';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { Registry } from '../../src/registry/registry.js';
import { ProjectSource } from '../../src/release/project-source.js';
import { StagingCache } from '../../src/release/staging-cache.js';

const EXAMPLE = path.resolve('examples/iris');
const DATA = path.join(EXAMPLE, 'data', 'iris.csv');
const clock = (): Date => new Date('2026-05-06T07:08:09.000Z');

async function setup() {
  const registry = new Registry(new VolatileProvider(), { clock });
  const staging = new StagingCache(await mkdtemp(path.join(os.tmpdir(), 'statekeep-pending-')));
  const dir = path.join(await mkdtemp(path.join(os.tmpdir(), 'statekeep-pending-iris-')), 'iris');
  await cp(EXAMPLE, dir, { recursive: true });
  return {
    registry,
    dir,
    source: new ProjectSource(registry, staging, clock),
    runtime: new Runtime(registry, new CborStateCodec({}), clock),
  };
}

describe("a directory's new release is pending until the run commits", () => {
  it('the runtime publishes it at the commit; the same resolved project then trains on from it', async () => {
    const { registry, dir, source, runtime } = await setup();
    const project = await source.resolve(dir);
    expect(await registry.projects()).toEqual([]);
    const data = await readTable(DATA, tableSpec(project.definition, 'train'));
    const one = await runtime.train({ project, data });
    expect(one).toMatchObject({ generation: 1, parent: null, package: project.packageDigest });
    expect(await registry.releaseVersions('iris')).toEqual(['1.0.0']);
    // ensureRelease ran once; the release exists now, so the next run warm-starts from generation 1.
    expect(await runtime.train({ project, data })).toMatchObject({ generation: 2, parent: 1 });
  });

  it('tune publishes it too, at its commit', async () => {
    const { registry, dir, source, runtime } = await setup();
    const project = await source.resolve(dir);
    const data = await readTable(DATA, tableSpec(project.definition, 'tune'));
    expect(await runtime.tune({ project, data })).toMatchObject({ generation: 1, mode: 'tune' });
    expect(await registry.releaseVersions('iris')).toEqual(['1.0.0']);
  });

  it('two runs of the same code pending at once: the second accepts the release the first published', async () => {
    const { registry, dir, source } = await setup();
    const first = await source.resolve(dir);
    const second = await source.resolve(dir);
    const published = await first.ensureRelease!();
    expect(await second.ensureRelease!()).toEqual(published);
    expect(await registry.releaseVersions('iris')).toEqual(['1.0.0']);
  });
});
