import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { runWriter } from '../../src/conformance/index.js';
import type { Provider } from '../../src/registry/spi.js';
import { damageBlob } from '../providers/mlflow/server-view.js';
import { sharedMlflowServer } from '../support/mlflow-server.js';
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
  { expected: { latestGeneration: 'passed', cleanup: 'passed', processes: 'passed' } },
);
