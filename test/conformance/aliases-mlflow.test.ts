import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { Provider } from '../../src/registry/spi.js';
import { damageBlob, query, rest } from '../providers/mlflow/server-view.js';
import { serverForFile } from '../support/mlflow-server.js';
import { commit, publish, registryOf } from './fixtures.js';
import type { ConformanceTarget } from './kit.js';
import { aliasesSpec } from './spec/aliases.js';
import { verifySpec } from './spec/verify.js';

// Every move is a few round trips to a real server that other test files share the CPU with.
vi.setConfig({ testTimeout: 120_000 });

const BUILT_PROVIDER = fileURLToPath(new URL('../../dist/providers/mlflow/mlflow-provider.js', import.meta.url));

const mlflow = serverForFile();
const namespaces = new WeakMap<Provider, string>();
let count = 0;

const target: ConformanceTarget = {
  name: 'mlflow',
  create: async () => {
    const namespace = `aliases-${++count}`;
    const provider = mlflow.provider(namespace);
    namespaces.set(provider, namespace);
    return provider;
  },
  damageBlob: (provider, project, digest, how) =>
    damageBlob(mlflow.server.uri, namespaces.get(provider)!, project, digest, how),
  recipe: (provider) => ({
    module: BUILT_PROVIDER,
    export: 'MlflowProvider',
    options: { uri: mlflow.server.uri, namespace: namespaces.get(provider)! },
  }),
};

describe('mlflow conformance: aliases', () => aliasesSpec(target));
describe('mlflow conformance: verify', () => verifySpec(target));

describe('mlflow aliases in the UI', () => {
  it("shows the alias as a model version alias on the release's model, moved between models across releases", async () => {
    const provider = mlflow.provider('aliases-ui');
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
        `registered-models/get?${query({ name: `aliases-ui~p~${release}` })}`,
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
      `registered-models/get?${query({ name: 'aliases-ui~p~alias~production~0000000002' })}`,
    );
    expect(registered_model.description).toMatch(
      /^statekeep alias production of project p, entry 2: 1\.0\.0 #2 → 1\.1\.0 #1/,
    );
  });
});
