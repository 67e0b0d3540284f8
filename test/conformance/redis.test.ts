import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import type { Provider } from '../../src/registry/spi.js';
import { damageBlob } from '../providers/redis/server-view.js';
import { sharedRedisServer } from '../support/redis-server.js';
import { runConformance, VITEST } from './kit.js';

// The multi-process area starts 16 writer processes, on two cores that other test files share.
vi.setConfig({ testTimeout: 300_000 });

const BUILT_PROVIDER = fileURLToPath(new URL('../../dist/providers/redis/redis-provider.js', import.meta.url));

// The run's shared server; each test gets a key prefix of its own, which is all it sees.
const redis = sharedRedisServer();
const prefixes = new WeakMap<Provider, string>();
let count = 0;

runConformance(
  VITEST,
  {
    name: 'redis',
    create: async () => {
      const prefix = `conformance-${process.pid}-${++count}:`;
      const provider = redis.provider(prefix);
      prefixes.set(provider, prefix);
      return provider;
    },
    destroy: (provider) => provider.close?.() ?? Promise.resolve(),
    damageBlob: (provider, project, digest, how) =>
      damageBlob(redis.server.url(), prefixes.get(provider)!, project, digest, how),
    recipe: (provider) => ({
      module: BUILT_PROVIDER,
      export: 'RedisProvider',
      options: { url: redis.server.url(), prefix: prefixes.get(provider)! },
    }),
    // Issue 13's bar for every server backend: 16 writer processes × 25 commits on one release.
    processes: { writers: 16, commits: 25 },
  },
  {
    expected: {
      latestGeneration: 'passed',
      cleanup: 'absent',
      processes: 'passed',
      aliases: 'passed',
      aliasProcesses: 'passed',
      lifecycle: 'passed',
      lifecycleProcesses: 'passed',
    },
  },
);
