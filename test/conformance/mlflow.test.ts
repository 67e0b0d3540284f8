import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { runWriter } from '../../src/conformance/index.js';
import type { Provider } from '../../src/registry/spi.js';
import { damageBlob, query, rest } from '../providers/mlflow/server-view.js';
import { sharedMlflowServer } from '../support/mlflow-server.js';
import { commit, publish, registryOf } from './fixtures.js';
import { runConformance, VITEST } from './kit.js';

// Every commit is a dozen round trips to a real server that other test files share the CPU with.
vi.setConfig({ testTimeout: 120_000 });

const BUILT_PROVIDER = fileURLToPath(new URL('../../dist/providers/mlflow/mlflow-provider.js', import.meta.url));

// The run's shared server; each test gets a namespace of its own, which is all it sees.
const mlflow = sharedMlflowServer();
const namespaces = new WeakMap<Provider, string>();
let count = 0;

const recipe = (provider: Provider) => ({
  module: BUILT_PROVIDER,
  export: 'MlflowProvider',
  options: { uri: mlflow.server.uri, namespace: namespaces.get(provider)! },
});

runConformance(
  VITEST,
  {
    name: 'mlflow',
    create: async () => {
      const namespace = `conformance-${++count}`;
      const provider = mlflow.provider(namespace);
      namespaces.set(provider, namespace);
      return provider;
    },
    damageBlob: (provider, project, digest, how) =>
      damageBlob(mlflow.server.uri, namespaces.get(provider)!, project, digest, how),
    // A real writer process, killed by SIGKILL once its generation number is allocated: it leaves
    // a pending model version.
    leaveLeftovers: async (provider, at) => {
      await runWriter({ recipe: recipe(provider), ...at, commits: 1, crash: true });
      return 1;
    },
    recipe,
    processes: { writers: 8, commits: 3 },
  },
  {
    expected: {
      latestGeneration: 'passed',
      cleanup: 'passed',
      processes: 'passed',
      aliases: 'passed',
      aliasProcesses: 'passed',
      lifecycle: 'passed',
      lifecycleProcesses: 'passed',
    },
  },
);

// Not part of the contract: how MLflow shows statekeep's aliases to the people using its UI.
const UI = `aliases-ui-${process.pid}`;

describe('mlflow aliases in the UI', () => {
  it("shows the alias as a model version alias on the release's model, moved between models across releases", async () => {
    const provider = mlflow.provider(UI);
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    await commit(registry, 'p', '1.0.0', { a: 'a1' });
    await commit(registry, 'p', '1.0.0', { a: 'a2' });
    await publish(registry, 'p', '1.1.0');
    await commit(registry, 'p', '1.1.0', { a: 'b1' });
    const holder = async (release: string): Promise<string | null> => {
      const { registered_model } = await rest<{ registered_model: { aliases?: { alias: string; version: string }[] } }>(
        mlflow.server.uri,
        'GET',
        `registered-models/get?${query({ name: `${UI}~p~${release}` })}`,
      );
      return registered_model.aliases?.find((a) => a.alias === 'production')?.version ?? null;
    };
    await registry.setAlias('p', 'production', { release: '1.0.0', generation: 2 });
    expect([await holder('1.0.0'), await holder('1.1.0')]).toEqual(['2', null]);
    await registry.setAlias('p', 'production', { release: '1.1.0', generation: 1 });
    expect([await holder('1.0.0'), await holder('1.1.0')]).toEqual([null, '1']);
    await registry.removeAlias('p', 'production');
    expect([await holder('1.0.0'), await holder('1.1.0')]).toEqual([null, null]);
    // The history is there for people too: one registered model per entry, described in words.
    const { registered_model } = await rest<{ registered_model: { description: string } }>(
      mlflow.server.uri,
      'GET',
      `registered-models/get?${query({ name: `${UI}~p~alias~production~0000000002` })}`,
    );
    expect(registered_model.description).toMatch(
      /^statekeep alias production of project p, entry 2: 1\.0\.0 #2 → 1\.1\.0 #1/,
    );
  });
});
