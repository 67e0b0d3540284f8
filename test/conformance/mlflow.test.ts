import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import type { Provider } from '../../src/registry/spi.js';
import { damageBlob } from '../providers/mlflow/server-view.js';
import { serverForFile } from '../support/mlflow-server.js';
import { runConformance } from './kit.js';

// Every commit is a dozen round trips to a real server that other test files share the CPU with.
vi.setConfig({ testTimeout: 120_000 });

const BUILT_PROVIDER = fileURLToPath(new URL('../../dist/providers/mlflow/mlflow-provider.js', import.meta.url));

// One server for the file; each test gets a namespace of its own, which is all it sees.
const mlflow = serverForFile();
const namespaces = new WeakMap<Provider, string>();
let count = 0;

runConformance({
  name: 'mlflow',
  create: async () => {
    const namespace = `conformance-${++count}`;
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
  processes: { writers: 8, commits: 3 },
});
