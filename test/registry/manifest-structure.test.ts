import { describe, expect, it } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { digestOf } from '../../src/registry/digest.js';
import { decodeManifest, encodeManifest, type GenerationManifest } from '../../src/registry/manifest.js';
import { actorName, projectName } from '../../src/registry/names.js';
import { Registry } from '../../src/registry/registry.js';
import { generationNumber, releaseVersion } from '../../src/registry/versions.js';

const at = { project: projectName('penguins'), release: releaseVersion('1.0.0'), generation: generationNumber(1) };
const base: GenerationManifest = {
  format: 1,
  ...at,
  parent: null,
  mode: 'train',
  created: '2026-01-01T00:00:00.000Z',
  training: null,
  tuning: null,
  metrics: {},
  environment: { statekeep: '0.1.0', node: 'v20.0.0' },
  rollbackOf: null,
  package: null,
  states: [{ actor: actorName('numeric.scaler'), digest: digestOf(new Uint8Array([1])), size: 1, codec: 'cbor' }],
};
const structure = {
  kind: 'pipeline',
  name: 'pipeline',
  children: [
    {
      kind: 'branch',
      name: 'numeric',
      attributes: { columns: ['a', 'b'], join: 'union', depth: 1, stateful: true },
      children: [{ kind: 'actor', name: 'numeric.scaler', actor: actorName('numeric.scaler') }],
    },
  ],
};

describe('a manifest structure', () => {
  it('is optional: a manifest without one reads as before, and one with it round-trips exactly', () => {
    expect(decodeManifest(encodeManifest(base), at)).toEqual(base);
    expect('structure' in decodeManifest(encodeManifest(base), at)).toBe(false);
    const described = { ...base, structure };
    expect(decodeManifest(encodeManifest(described), at)).toEqual(described);
  });

  it('of a malformed shape is damage (INTEGRITY), whatever else the manifest holds', () => {
    const bad: unknown[] = [
      { kind: 'pipeline' },
      { kind: 'pipeline', name: 'p', children: {} },
      { kind: 'pipeline', name: 'p', attributes: { columns: [1] } },
      { kind: 'actor', name: 'x', actor: '../x' },
    ];
    for (const shape of bad)
      expect(() => decodeManifest(encodeManifest({ ...base, structure: shape } as never), at)).toThrow(
        expect.objectContaining({ code: 'INTEGRITY' }),
      );
    let deep: Record<string, unknown> = { kind: 'leaf', name: 'leaf' };
    for (let i = 0; i < 40; i += 1) deep = { kind: 'node', name: `n${i}`, children: [deep] };
    expect(() => decodeManifest(encodeManifest({ ...base, structure: deep } as never), at)).toThrow(
      expect.objectContaining({ code: 'INTEGRITY' }),
    );
  });

  it('is recorded by a commit as given, kept by a rollback, and refused before anything is stored when malformed', async () => {
    const registry = new Registry(new VolatileProvider());
    await registry.publishRelease('penguins', '1.0.0', { payload: new Uint8Array([1]) });
    const draft = {
      project: 'penguins',
      release: '1.0.0',
      mode: 'train' as const,
      parent: null,
      states: [{ actor: 'numeric.scaler', bytes: new Uint8Array([7]), codec: 'cbor' }],
    };
    const one = await registry.commit({ ...draft, structure });
    expect(one.structure).toEqual(structure);
    expect((await registry.manifest('penguins', '1.0.0', 1)).structure).toEqual(structure);
    const two = await registry.commit(draft);
    expect('structure' in two).toBe(false);
    expect((await registry.rollback('penguins', '1.0.0', 1)).structure).toEqual(structure);
    await expect(
      registry.commit({ ...draft, structure: { kind: 'pipeline', name: 'p', children: 'none' } as never }),
    ).rejects.toMatchObject({ code: 'USAGE' });
    expect(await registry.generations('penguins', '1.0.0')).toEqual([1, 2, 3]);
  });
});
