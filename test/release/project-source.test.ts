import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { tableSpec } from '../../src/pipeline/data/columns.js';
import { readTable } from '../../src/pipeline/data/read-table.js';
import { Runtime } from '../../src/pipeline/runtime.js';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { volatileStore } from '../../src/providers/volatile/volatile-store.js';
import { Registry } from '../../src/registry/registry.js';
import { ProjectSource } from '../../src/release/project-source.js';
import { StagingCache } from '../../src/release/staging-cache.js';

const EXAMPLE = path.resolve('examples/iris');
const DATA = path.join(EXAMPLE, 'data', 'iris.csv');
const clock = (): Date => new Date('2026-05-06T07:08:09.000Z');

async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `statekeep-${prefix}-`));
}

/** A copy of the iris example to edit, as a user edits their project between releases. */
async function copyExample(): Promise<string> {
  const dir = path.join(await tempDir('iris'), 'iris');
  await cp(EXAMPLE, dir, { recursive: true });
  return dir;
}

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  await writeFile(file, text.replace(from, to));
}

async function setup() {
  const provider = new VolatileProvider();
  const registry = new Registry(provider, { clock });
  const staging = new StagingCache(await tempDir('staging'));
  return {
    provider,
    registry,
    staging,
    source: new ProjectSource(registry, staging, clock),
    runtime: new Runtime(registry, new CborStateCodec({}), clock),
  };
}

describe('running released code', () => {
  it('trains each release with its own code, and old generations keep running the old code', async () => {
    const { registry, source, runtime } = await setup();
    const dir = await copyExample();
    const published = await source.publish(dir);
    expect(published).toMatchObject({
      project: 'iris',
      version: '1.0.0',
      info: { entry: 'index.mjs', payload: expect.stringMatching(/^sha256:/) },
    });

    const v1 = await source.resolve('iris');
    const data = await readTable(DATA, tableSpec(v1.definition, 'train'));
    const g1 = await runtime.train({ project: v1, data });
    expect(g1).toMatchObject({ release: '1.0.0', generation: 1, package: published.package.digest });
    const before = await runtime.apply({ project: v1, data });

    // New code: fewer features and a renamed output column, released as 1.1.0.
    await edit(
      path.join(dir, 'src', 'index.ts'),
      "features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']",
      "features: ['sepal_length', 'sepal_width']",
    );
    await edit(path.join(dir, 'src', 'index.ts'), "output: 'predicted_species'", "output: 'species_v2'");
    await edit(path.join(dir, 'package.json'), '"version": "1.0.0"', '"version": "1.1.0"');
    const second = await source.publish(dir);
    expect(second.package.digest).not.toBe(published.package.digest);

    const v2 = await source.resolve('iris');
    expect(v2.release).toBe('1.1.0');
    const g1b = await runtime.train({ project: v2, data: await readTable(DATA, tableSpec(v2.definition, 'train')) });
    expect(g1b).toMatchObject({ release: '1.1.0', generation: 1, parent: null, package: second.package.digest });
    const after = await runtime.apply({ project: v2, data });
    expect(after.column).toBe('species_v2');
    expect(after.predictions).not.toEqual(before.predictions);

    // Generation 1 of 1.0.0 still runs 1.0.0's code and gives exactly the old predictions.
    const old = await source.resolve('iris', '1.0.0');
    const replay = await runtime.apply({ project: old, data, generation: 1 });
    expect(replay.column).toBe('predicted_species');
    expect(replay.predictions).toEqual(before.predictions);
    expect(await registry.releaseVersions('iris')).toEqual(['1.0.0', '1.1.0']);
  });

  it('refuses to release a version twice or backwards, writing nothing', async () => {
    const { registry, source } = await setup();
    const dir = await copyExample();
    await source.publish(dir);
    await expect(source.publish(dir)).rejects.toMatchObject({ code: 'ALREADY_EXISTS', data: { release: '1.0.0' } });
    await edit(path.join(dir, 'package.json'), '"version": "1.0.0"', '"version": "0.9.0"');
    await expect(source.publish(dir)).rejects.toMatchObject({ code: 'RELEASE_ORDER', data: { latest: '1.0.0' } });
    expect(await registry.releaseVersions('iris')).toEqual(['1.0.0']);
  });

  it('refuses a tampered package before importing it', async () => {
    const { provider, registry, source } = await setup();
    const record = await source.publish(await copyExample());
    const blob = volatileStore(provider).get('iris')!.blobs.get(record.package.digest)!;
    blob[blob.length - 30]! ^= 0x20;
    await expect(source.resolve('iris')).rejects.toMatchObject({
      code: 'INTEGRITY',
      data: { project: 'iris', release: '1.0.0', expected: record.package.digest },
    });
    // A truncated one likewise.
    volatileStore(provider).get('iris')!.blobs.set(record.package.digest, blob.slice(0, 64));
    await expect(source.fromRegistry('iris', '1.0.0')).rejects.toMatchObject({ code: 'INTEGRITY' });
    expect(await registry.generations('iris', '1.0.0')).toEqual([]);
  });

  it('runs a project directory through its release: published if new, reused if identical, refused if changed', async () => {
    const { registry, source } = await setup();
    const dir = await copyExample();
    const first = await source.resolve(dir);
    // A new version is pending until the run publishes it, right before its commit.
    expect(await registry.latestRelease('iris')).toBeNull();
    expect(await first.ensureRelease?.()).toMatchObject({ version: '1.0.0' });
    expect(first.mounted.reused).toBe(false);
    const second = await source.resolve(dir);
    expect(second.ensureRelease).toBeUndefined();
    expect(second.packageDigest).toBe(first.packageDigest);
    // The second run found the package unpacked already: no new unpacking.
    expect(second.mounted).toMatchObject({ reused: true, entryPath: first.mounted.entryPath });
    await edit(path.join(dir, 'src', 'index.ts'), "output: 'predicted_species'", "output: 'changed'");
    await expect(source.resolve(dir)).rejects.toMatchObject({ code: 'ALREADY_EXISTS', data: { release: '1.0.0' } });
    await expect(source.resolve(dir, '2.0.0')).rejects.toMatchObject({ code: 'USAGE' });
    expect(await registry.releaseVersions('iris')).toEqual(['1.0.0']);
  });
});
