import { vi } from 'vitest';
import { sqlProviders } from '../providers/sql/support.js';
import { sharedPostgresServer } from '../support/postgres-server.js';
import { sharedS3Server } from '../support/s3-server.js';
import { runConformance, VITEST } from './kit.js';

// The multi-process area starts 16 writer processes, on two cores that other test files share.
vi.setConfig({ testTimeout: 240_000 });

// The run's shared PostgreSQL and S3 servers; each test gets a schema and a key prefix of its own.
const pg = sharedPostgresServer();
const s3 = sharedS3Server();
const sql = sqlProviders(
  's3',
  'conf_s3',
  () => pg.access,
  () => s3.endpoint,
);

runConformance(VITEST, sql.target('sql+s3', { writers: 16, commits: 25 }), {
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
