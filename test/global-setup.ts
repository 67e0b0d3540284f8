import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureFreshBuild } from './support/fresh-build.js';
import { launchMlflowServer, SHARED_MLFLOW_MARKER } from './support/mlflow-server.js';
import { ensurePythonEnv } from './support/python-env.js';
import { SHARED_REDIS_MARKER, startRedisServer } from './support/redis-server.js';
import { launchPostgresServer, SHARED_POSTGRES_MARKER } from './support/postgres-server.js';
import { ensureS3Env, launchS3Server, SHARED_S3_MARKER } from './support/s3-server.js';

const log = (line: string): void => {
  process.stderr.write(`[setup] ${line}\n`);
};

// Runs once before any test file, in vitest's own process.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // The pinned Python environment (MLflow server and client, cbor2) for the MLflow and codec interop tests.
  await ensurePythonEnv(log);
  // Child processes and the CLI binary run dist/: never a build older than src/.
  await ensureFreshBuild(log);
  // One plain MLflow server for the whole run, booting while the first tests run; test files
  // that stop or pause a server, or need another backend, start their own.
  const shared = (await needsSharedMlflow(project)) ? await launchMlflowServer() : undefined;
  project.provide('sharedMlflow', shared === undefined ? undefined : { uri: shared.uri, logFile: shared.logFile });
  // One redis-server (AOF, appendfsync always, a password) for the files that ask for it.
  const redis = (await selectedFilesInclude(project, SHARED_REDIS_MARKER)) ? await startRedisServer() : undefined;
  project.provide('sharedRedis', redis === undefined ? undefined : { port: redis.port, password: redis.password });
  // One PostgreSQL cluster and one S3 server (moto, pinned in .venv-s3) for the sql provider's
  // test files, only when a selected file asks for them.
  const postgres = (await selectedFilesInclude(project, SHARED_POSTGRES_MARKER))
    ? await launchPostgresServer()
    : undefined;
  const needsS3 = await selectedFilesInclude(project, SHARED_S3_MARKER);
  if (needsS3) await ensureS3Env(log);
  const s3 = needsS3 ? await launchS3Server() : undefined;
  await postgres?.ready;
  await s3?.ready;
  project.provide(
    'sharedPostgres',
    postgres === undefined
      ? undefined
      : {
          host: postgres.host,
          port: postgres.port,
          user: postgres.user,
          password: postgres.password,
          database: postgres.database,
        },
  );
  project.provide('sharedS3', s3 === undefined ? undefined : { endpoint: s3.endpoint });
  return async () => {
    await shared?.stop();
    await postgres?.stop();
    await s3?.stop();
    await redis?.stop();
  };
}

/** Whether a test file of this run asks for the shared server; `vitest run <filter>…` may select none. */
async function needsSharedMlflow(project: TestProject): Promise<boolean> {
  return selectedFilesInclude(project, SHARED_MLFLOW_MARKER);
}

/** Whether a selected test file contains `marker` (the call that asks for a shared server). */
async function selectedFilesInclude(project: TestProject, marker: string): Promise<boolean> {
  // Filters are vitest's positional arguments; a stray option value only widens the match.
  const run = process.argv.indexOf('run');
  const filters = (run === -1 ? [] : process.argv.slice(run + 1)).filter((a) => !a.startsWith('-'));
  const { testFiles } = await project.globTestFiles(filters);
  return testFiles.some((file) => readFileSync(file, 'utf8').includes(marker));
}
