import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectName } from '../../src/registry/names.js';
import type { Finding } from '../../src/registry/verify.js';
import type { ReleaseVersion } from '../../src/registry/versions.js';
import { digestOf } from '../../src/registry/digest.js';
import { bytes, commit, publish, registryOf } from '../conformance/fixtures.js';
import { layoutOf, posixAt, scratch } from '../providers/posix/support.js';

const P = 'p' as ProjectName;
const V = '1.0.0' as ReleaseVersion;

describe('verify on posix', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  async function registryWithGap() {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    for (const state of ['s1', 's2', 's3']) await commit(registry, 'p', '1.0.0', { a: state });
    await publish(registry, 'p', '2.0.0');
    await commit(registry, 'p', '2.0.0', { a: 'other' });
    return { registry, layout: layoutOf(provider) };
  }

  const run = async (registry: ReturnType<typeof registryOf>) => {
    const findings: Finding[] = [];
    const summary = await registry.verify({}, (f) => findings.push(f));
    return { findings, summary };
  };

  it('reports a lost manifest as missing and checks the rest of the registry', async () => {
    const { registry, layout } = await registryWithGap();
    unlinkSync(layout.manifest(P, V, 2));
    const { findings, summary } = await run(registryOf(posixAt(space.root)));
    expect(findings.map((f) => [f.code, f.place, f.digest])).toEqual([
      ['MANIFEST_MISSING', { project: 'p', release: '1.0.0', generation: 2 }, undefined],
      // As a damaged manifest's blob does, the blob only the lost one named shows as orphaned.
      ['ORPHANED_BLOB', { project: 'p' }, digestOf(bytes('s2'))],
    ]);
    // Two records, two packages, generations 1 and 3 of 1.0.0 and 1 of 2.0.0 with a blob each.
    expect(summary).toMatchObject({ checked: 2 + 2 + 3 + 3, damaged: 0, missing: 1 });
    await expect(registry.generations('p', '1.0.0')).rejects.toMatchObject({ code: 'INTEGRITY' });
  });

  it('of one generation, in a release with another one lost, checks that generation', async () => {
    const { layout } = await registryWithGap();
    unlinkSync(layout.manifest(P, V, 2));
    const findings: Finding[] = [];
    const fresh = registryOf(posixAt(space.root));
    const summary = await fresh.verify({ project: 'p', release: '1.0.0', generation: 3 }, (f) => findings.push(f));
    expect(findings).toEqual([]);
    expect(summary).toMatchObject({ checked: 1 + 1 + 1, damaged: 0, missing: 0 });
    await expect(fresh.verify({ project: 'p', release: '1.0.0', generation: 2 })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'generation', project: 'p', release: '1.0.0', generation: 2 },
    });
  });

  it('reports a lost first manifest with its hint lost too, and counts no orphans it cannot tell', async () => {
    const { layout } = await registryWithGap();
    unlinkSync(layout.manifest(P, V, 1));
    unlinkSync(layout.latestHint(P, V));
    const { findings, summary } = await run(registryOf(posixAt(space.root)));
    expect(findings.map((f) => [f.code, f.place])).toEqual([
      ['MANIFEST_MISSING', { project: 'p', release: '1.0.0', generation: 1 }],
    ]);
    expect(summary).toMatchObject({ damaged: 0, missing: 1 });
  });

  it('checks each reference to a blob against its own size, not only the first one', async () => {
    const provider = posixAt(space.root);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    await commit(registry, 'p', '1.0.0', { a: 'same' });
    await commit(registry, 'p', '1.0.0', { a: 'same' });
    // A manifest written before checksums existed, whose state size is wrong.
    const file = layoutOf(provider).manifest(P, V, 2);
    const { checksum: _, ...legacy } = JSON.parse(readFileSync(file, 'utf8'));
    legacy.states[0].size += 1;
    writeFileSync(file, JSON.stringify(legacy));
    await expect(registry.readState(await registry.manifest('p', '1.0.0', 2), 'a')).rejects.toMatchObject({
      code: 'INTEGRITY',
    });
    const { findings, summary } = await run(registry);
    expect(findings.map((f) => [f.code, f.place])).toEqual([
      ['BLOB_DAMAGED', { project: 'p', release: '1.0.0', generation: 2, actor: 'a' }],
    ]);
    expect(summary).toMatchObject({ damaged: 1, missing: 0 });
  });
});
