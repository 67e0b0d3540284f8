import { vi } from 'vitest';
import { sqlProviders } from '../providers/sql/support.js';
import { sharedPostgresServer } from '../support/postgres-server.js';
import { runConformance, VITEST } from './kit.js';

// The multi-process area starts 8 writer processes, on two cores that other test files share.
vi.setConfig({ testTimeout: 240_000 });

// The run's shared PostgreSQL; each test gets a schema and a blob directory of its own.
const pg = sharedPostgresServer();
const sql = sqlProviders(
  'posix',
  'conf_posix',
  () => pg.access,
  () => {
    throw new Error('the posix store needs no S3 server');
  },
);

runConformance(VITEST, sql.target('sql+posix', { writers: 8, commits: 10 }), {
  expected: {
    latestGeneration: 'passed',
    cleanup: 'passed',
    processes: 'passed',
    aliases: 'passed',
    aliasProcesses: 'passed',
    lifecycle: 'passed',
    lifecycleProcesses: 'passed',
  },
});
