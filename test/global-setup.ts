import { ensurePythonEnv } from './support/python-env.js';

// Runs once before any test file: the pinned Python environment (MLflow server and client,
// cbor2) is needed by the MLflow and codec interop tests.
export default async function setup(): Promise<void> {
  await ensurePythonEnv((line) => process.stderr.write(`[setup] ${line}\n`));
}
