import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const VENV = path.join(ROOT, '.venv-mlflow');
export const PYTHON = path.join(VENV, 'bin', 'python');
export const MLFLOW = path.join(VENV, 'bin', 'mlflow');
const REQUIREMENTS = fileURLToPath(new URL('./requirements.txt', import.meta.url));
const STAMP = path.join(VENV, '.statekeep-requirements');

/**
 * Makes sure .venv-mlflow holds exactly the pinned requirements: creates it on a fresh clone,
 * reuses it while requirements.txt is unchanged, rebuilds it when the pins change.
 */
export async function ensurePythonEnv(log: (line: string) => void = () => {}): Promise<void> {
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted && existsSync(MLFLOW)) return;
  const python = process.env.STATEKEEP_TEST_PYTHON ?? 'python3';
  log(`creating ${path.relative(ROOT, VENV)} with ${python} (pinned MLflow; about a minute) …`);
  await rm(VENV, { recursive: true, force: true });
  await mkdir(VENV, { recursive: true });
  await run(python, ['-m', 'venv', VENV]);
  await run(PYTHON, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS], {
    maxBuffer: 64 * 2 ** 20,
  });
  await writeFile(STAMP, wanted);
  log('python environment ready');
}
