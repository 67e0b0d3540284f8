import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runWriter } from '../../src/conformance/index.js';
import { seedCopySource, snapshotRegistry } from '../../src/conformance/copy-fixtures.js';
import { commit, registryOf } from '../../src/conformance/fixtures.js';
import { copyRegistry } from '../../src/registry/copy.js';
import type { GenerationManifest } from '../../src/registry/manifest.js';
import type { Registry } from '../../src/registry/registry.js';
import { posixAt, scratch } from '../providers/posix/support.js';
import { sharedMlflowServer } from '../support/mlflow-server.js';

// Every copy is a few dozen round trips to a server other test files share the CPU with.
vi.setConfig({ testTimeout: 180_000 });

const mlflow = sharedMlflowServer();
const BUILT_PROVIDER = fileURLToPath(new URL('../../dist/providers/mlflow/mlflow-provider.js', import.meta.url));
let namespaces = 0;
const disposals: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const dispose of disposals.splice(0)) await dispose();
});

async function posix(): Promise<Registry> {
  const box = await scratch();
  disposals.push(box.dispose);
  return registryOf(posixAt(box.root));
}

function onMlflow(): { registry: Registry; namespace: string } {
  const namespace = `copy-${process.pid}-${++namespaces}`;
  return { registry: registryOf(mlflow.provider(namespace)), namespace };
}

describe('copy posix → MLflow → posix', () => {
  it('carries every digest, manifest field, alias target and alias history there and back', async () => {
    const laptop = await posix();
    const { registry: team } = onMlflow();
    const back = await posix();
    await seedCopySource(laptop);
    const expected = await snapshotRegistry(laptop);

    const there = await copyRegistry({ registry: laptop, name: 'laptop' }, { registry: team, name: 'team' });
    expect(there.copied).toMatchObject({ releases: 3, generations: 5, aliasEntries: 4, blobs: 7 });
    expect(there.releases.flatMap((r) => r.renumbered)).toEqual([]);
    const onTeam = new Map<string, GenerationManifest['copiedFrom']>();
    expect(await snapshotRegistry(team, onTeam)).toEqual(expected);
    expect(onTeam.get('iris/1.0.0/3')).toMatchObject({ registry: 'laptop', source: laptop.descriptor.target });

    const home = await copyRegistry({ registry: team, name: 'team' }, { registry: back, name: 'back' });
    expect(home.copied).toEqual(there.copied);
    const onBack = new Map<string, GenerationManifest['copiedFrom']>();
    expect(await snapshotRegistry(back, onBack)).toEqual(expected);
    const { digest } = await team.storedManifest('iris', '1.0.0', 3);
    expect(onBack.get('iris/1.0.0/3')).toMatchObject({
      registry: 'team',
      source: team.descriptor.target,
      generation: 3,
      manifest: digest,
    });

    // Again, both ways: nothing to copy.
    const none = { releases: 0, generations: 0, tombstones: 0, aliasEntries: 0, blobs: 0, bytes: 0 };
    expect((await copyRegistry({ registry: laptop, name: 'laptop' }, { registry: team, name: 'team' })).copied).toEqual(
      none,
    );
    expect((await copyRegistry({ registry: team, name: 'team' }, { registry: back, name: 'back' })).copied).toEqual(
      none,
    );
  });

  it('follows MLflow where it skips a number a crashed writer took, and posix numbers them back', async () => {
    const laptop = await posix();
    const { registry: team, namespace } = onMlflow();
    const back = await posix();
    await laptop.publishRelease('p', '1.0.0', { payload: new TextEncoder().encode('p') });
    await copyRegistry({ registry: laptop, name: 'laptop' }, { registry: team, name: 'team' });
    // A real process dies by SIGKILL holding version 1 of the release's model: MLflow never hands it out again.
    await runWriter({
      recipe: { module: BUILT_PROVIDER, export: 'MlflowProvider', options: { uri: mlflow.server.uri, namespace } },
      project: 'p',
      release: '1.0.0',
      commits: 1,
      crash: true,
    });
    await commit(laptop, 'p', '1.0.0', { a: 'a1' });
    await commit(laptop, 'p', '1.0.0', { a: 'a2' }, { mode: 'tune', parent: 1 });
    await laptop.setAlias('p', 'production', { release: '1.0.0', generation: 2 });

    const there = await copyRegistry({ registry: laptop, name: 'laptop' }, { registry: team, name: 'team' });
    expect(there.releases[0]!.renumbered).toEqual([
      { from: 1, to: 2 },
      { from: 2, to: 3 },
    ]);
    expect(await team.generations('p', '1.0.0')).toEqual([2, 3]);
    expect((await team.manifest('p', '1.0.0', 3)).parent).toBe(2);
    expect(await team.resolveAlias('p', 'production')).toEqual({ release: '1.0.0', generation: 3 });
    // A rerun knows both by their provenance, whatever their numbers.
    expect(
      (await copyRegistry({ registry: laptop, name: 'laptop' }, { registry: team, name: 'team' })).present,
    ).toMatchObject({ generations: 2, aliasEntries: 1 });

    const home = await copyRegistry({ registry: team, name: 'team' }, { registry: back, name: 'back' });
    expect(home.releases[0]!.renumbered).toEqual([
      { from: 2, to: 1 },
      { from: 3, to: 2 },
    ]);
    expect(await snapshotRegistry(back)).toEqual(await snapshotRegistry(laptop));
  });
});
