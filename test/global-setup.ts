import { readFileSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { ensureFreshBuild } from './support/fresh-build.js';
import { launchMlflowServer, SHARED_MLFLOW_MARKER } from './support/mlflow-server.js';
import { ensurePythonEnv } from './support/python-env.js';
import { SHARED_REDIS_MARKER, startRedisServer } from './support/redis-server.js';

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
  return async () => {
    await shared?.stop();
    await redis?.stop();
  };
}

/** Whether a test file of this run asks for the shared server; `vitest run <filter>…` may select none. */
async function needsSharedMlflow(project: TestProject): Promise<boolean> {
  return selectedFilesInclude(project, SHARED_MLFLOW_MARKER);
}

/** Whether a test file selected for this run contains `marker`. */
async function selectedFilesInclude(project: TestProject, marker: string): Promise<boolean> {
  // Filters are vitest's positional arguments; a stray option value only widens the match.
  const run = process.argv.indexOf('run');
  const filters = (run === -1 ? [] : process.argv.slice(run + 1)).filter((a) => !a.startsWith('-'));
  const { testFiles } = await project.globTestFiles(filters);
  return testFiles.some((file) => readFileSync(file, 'utf8').includes(marker));
}
