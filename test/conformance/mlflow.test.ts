import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, vi } from 'vitest';
import { MlflowProvider } from '../../src/providers/mlflow/mlflow-provider.js';
import type { Provider } from '../../src/registry/spi.js';
import { damageBlob } from '../providers/mlflow/server-view.js';
import { startMlflowServer, type MlflowServer } from '../support/mlflow-server.js';
import { runConformance } from './kit.js';

// Every commit is a dozen round trips to a real server that other test files share the CPU with.
vi.setConfig({ testTimeout: 120_000 });

const BUILT_PROVIDER = fileURLToPath(new URL('../../dist/providers/mlflow/mlflow-provider.js', import.meta.url));

let server: MlflowServer;
beforeAll(async () => {
  server = await startMlflowServer();
});
afterAll(async () => {
  await server?.stop();
});

// One server for the file; each test gets a namespace of its own, which is all it sees.
const namespaces = new WeakMap<Provider, string>();
let count = 0;

runConformance({
  name: 'mlflow',
  create: async () => {
    const namespace = `conformance-${++count}`;
    const provider = new MlflowProvider({ uri: server.uri, namespace }, { instance: 'conformance' });
    namespaces.set(provider, namespace);
    return provider;
  },
  damageBlob: (provider, project, digest, how) => damageBlob(server.uri, namespaces.get(provider)!, project, digest, how),
  recipe: (provider) => ({ module: BUILT_PROVIDER, export: 'MlflowProvider', options: { uri: server.uri, namespace: namespaces.get(provider)! } }),
  processes: { writers: 8, commits: 3 },
});
