import { afterEach, describe, expect, it } from 'vitest';
import { digestOf } from '../../src/registry/digest.js';
import { decodeManifest, encodeManifest } from '../../src/registry/manifest.js';
import { projectName } from '../../src/registry/names.js';
import type { Provider } from '../../src/registry/spi.js';
import { generationNumber, releaseVersion } from '../../src/registry/versions.js';
import { bytes, commit, publish, registryOf } from '../conformance/fixtures.js';
import { edited, flipped, posixTarget, volatileTarget, type StoredTarget } from './stored-targets.js';

// Damage to stored bytes must be caught on every read and never be carried into a new
// generation, on every provider. (These belong in the conformance kit; they live here until the
// kit takes them.)
const integrity = { code: 'INTEGRITY' };

describe.each([volatileTarget(), posixTarget()])('stored damage on $name', (target: StoredTarget) => {
  afterEach(() => target.dispose());

  /** A release 1.0.0 of p with three generations, and a second release 1.1.0. */
  async function seeded(): Promise<Provider> {
    const provider = await target.create();
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    await publish(registry, 'p', '1.1.0');
    await commit(registry, 'p', '1.0.0', { a: 'a1', b: 'b1' });
    await commit(registry, 'p', '1.0.0', { a: 'a2', b: 'b1' }, { parent: 1 });
    await commit(registry, 'p', '1.0.0', { a: 'a3', b: 'b1' }, { parent: 2 });
    return provider;
  }

  it.each(['flip', 'truncate'] as const)(
    'a commit of a state whose stored blob is damaged (%s) stores it again instead of naming the damaged one',
    async (how) => {
      const provider = await seeded();
      const blob = target.blob(provider, 'p', digestOf(bytes('b1')));
      blob.set(how === 'flip' ? flipped(blob.get()) : blob.get().subarray(0, 1));
      // A fresh Registry, as every CLI command has: the same state, committed again.
      const registry = registryOf(provider);
      const again = await commit(registry, 'p', '1.0.0', { a: 'a4', b: 'b1' });
      const states = await registryOf(provider).readStates(again);
      expect(new TextDecoder().decode(states.get('b' as never))).toBe('b1');
      // The earlier generations that name it read again too: the blob was repaired in place.
      await expect(registryOf(provider).readStates(await registry.manifest('p', '1.0.0', 1))).resolves.toBeDefined();
    },
  );

  it.each([
    ['a metric', '"accuracy": 0.5', '"accuracy": 0.6'],
    ['a digit of rows', '"rows": 10', '"rows": 19'],
    ['the parent', '"parent": 2', '"parent": 1'],
  ])('a manifest with %s edited is refused by every read, and rollback copies nothing', async (_, from, to) => {
    const provider = await seeded();
    const stored = target.manifest(provider, 'p', '1.0.0', 3);
    stored.set(edited(stored.get(), from, to));
    const registry = registryOf(provider);
    await expect(registry.manifest('p', '1.0.0', 3)).rejects.toMatchObject(integrity);
    await expect(registry.manifest('p', '1.0.0')).rejects.toMatchObject(integrity);
    await expect(registry.manifests('p', '1.0.0')).rejects.toMatchObject(integrity);
    await expect(registry.rollback('p', '1.0.0', 3)).rejects.toMatchObject(integrity);
    expect(await registry.generations('p', '1.0.0')).toEqual([1, 2, 3]);
  });

  it("a manifest copied over another generation's is refused", async () => {
    const provider = await seeded();
    target.manifest(provider, 'p', '1.0.0', 3).set(target.manifest(provider, 'p', '1.0.0', 2).get());
    const registry = registryOf(provider);
    await expect(registry.manifest('p', '1.0.0', 3)).rejects.toMatchObject({
      ...integrity,
      data: { generation: 3 },
    });
    await expect(registry.rollback('p', '1.0.0', 3)).rejects.toMatchObject(integrity);
    expect(await registry.generations('p', '1.0.0')).toEqual([1, 2, 3]);
  });

  it('a release record that is damaged, edited, or copied from another release or project is refused wherever it is read or written into', async () => {
    const provider = await seeded();
    const registry = registryOf(provider);
    await publish(registry, 'q', '1.0.0');
    const own = target.record(provider, 'p', '1.0.0');
    const original = own.get();
    const other = target.record(provider, 'p', '1.1.0').get();
    const created = new TextDecoder().decode(original).match(/"created": "([^"]+)"/)![1]!;
    const damages: [string, Uint8Array][] = [
      ['flipped', flipped(original)],
      [
        'created edited',
        edited(
          original,
          created,
          created.replace(/\d(?=Z)/, (d) => String((Number(d) + 1) % 10)),
        ),
      ],
      ['copied from 1.1.0', other],
      ['copied from 1.1.0 and relabelled', edited(other, '"version": "1.1.0"', '"version": "1.0.0"')],
      ['copied from project q', target.record(provider, 'q', '1.0.0').get()],
    ];
    for (const [how, damaged] of damages) {
      own.set(damaged);
      const fresh = registryOf(provider);
      const refused = { ...integrity, data: { project: 'p', release: '1.0.0', subject: 'release record' } };
      await expect(fresh.release('p', '1.0.0'), how).rejects.toMatchObject(refused);
      await expect(fresh.releases('p'), how).rejects.toMatchObject(refused);
      await expect(fresh.releasesWithGenerations('p'), how).rejects.toMatchObject(refused);
      await expect(fresh.pullRelease('p', '1.0.0'), how).rejects.toMatchObject(refused);
      await expect(fresh.rollback('p', '1.0.0', 1), how).rejects.toMatchObject(refused);
      await expect(commit(fresh, 'p', '1.0.0', { a: 'new' }), how).rejects.toMatchObject(refused);
      expect(await fresh.generations('p', '1.0.0'), how).toEqual([1, 2, 3]);
    }
    own.set(original);
    expect((await registry.rollback('p', '1.0.0', 1)).generation).toBe(4);
  });

  it('documents written before checksums existed still read, as they are', async () => {
    const provider = await seeded();
    const registry = registryOf(provider);
    const manifest = await registry.manifest('p', '1.0.0', 2);
    const record = await registry.release('p', '1.0.0');
    const legacy = (doc: object) => new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
    target.manifest(provider, 'p', '1.0.0', 2).set(legacy(manifest));
    target.record(provider, 'p', '1.0.0').set(legacy(record));
    const fresh = registryOf(provider);
    expect(await fresh.manifest('p', '1.0.0', 2)).toEqual(manifest);
    expect(await fresh.release('p', '1.0.0')).toEqual(record);
    expect((await fresh.rollback('p', '1.0.0', 2)).rollbackOf).toBe(2);
  });

  it("a manifest that lists an actor twice, or gives a state a size other than its blob's, is refused", async () => {
    const provider = await seeded();
    const at = { project: projectName('p'), release: releaseVersion('1.0.0'), generation: generationNumber(3) };
    const stored = target.manifest(provider, 'p', '1.0.0', 3);
    const manifest = decodeManifest(stored.get(), at);
    // Sealed with a valid checksum, so only the check of the content itself can catch them.
    stored.set(encodeManifest({ ...manifest, states: [manifest.states[0]!, manifest.states[0]!] }));
    await expect(registryOf(provider).manifest('p', '1.0.0', 3)).rejects.toMatchObject(integrity);
    stored.set(encodeManifest({ ...manifest, states: [{ ...manifest.states[0]!, size: 7 }, manifest.states[1]!] }));
    const sized = await registryOf(provider).manifest('p', '1.0.0', 3);
    await expect(registryOf(provider).readStates(sized)).rejects.toMatchObject({
      ...integrity,
      data: { subject: 'generation manifest', actor: 'a', generation: 3 },
    });
    await expect(registryOf(provider).rollback('p', '1.0.0', 3)).rejects.toMatchObject(integrity);
    // The commit path never writes either.
    await expect(
      registryOf(provider).commit({
        project: 'p',
        release: '1.0.0',
        mode: 'train',
        parent: null,
        states: [
          { actor: 'a', bytes: bytes('x'), codec: 'raw' },
          { actor: 'a', bytes: bytes('y'), codec: 'raw' },
        ],
      }),
    ).rejects.toMatchObject({ code: 'USAGE' });
    expect(await registryOf(provider).generations('p', '1.0.0')).toEqual([1, 2, 3]);
  });
});
