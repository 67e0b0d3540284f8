import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, inject } from 'vitest';
import { freePort } from './free-port.js';
import { ROOT } from './python-env.js';

const run = promisify(execFile);

// moto's S3 server, pinned (s3-requirements.txt), in its own git-ignored venv beside .venv-mlflow.
export const S3_VENV = path.join(ROOT, '.venv-s3');
const MOTO_SERVER = path.join(S3_VENV, 'bin', 'moto_server');
const REQUIREMENTS = fileURLToPath(new URL('./s3-requirements.txt', import.meta.url));
const STAMP = path.join(S3_VENV, '.statekeep-requirements');

/** The dummy credentials every test signs with; moto checks signatures' form, not these keys. */
export const S3_CREDENTIALS: { readonly accessKeyId: string; readonly secretAccessKey: string } = {
  accessKeyId: 'statekeep-test',
  secretAccessKey: 'statekeep-test-secret',
};

/** Makes sure .venv-s3 holds exactly the pinned requirements (created on a fresh clone, reused while unchanged). */
export async function ensureS3Env(log: (line: string) => void = () => {}): Promise<void> {
  const wanted = createHash('sha256').update(readFileSync(REQUIREMENTS)).digest('hex');
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted && existsSync(MOTO_SERVER)) return;
  const python = process.env.STATEKEEP_TEST_PYTHON ?? 'python3';
  log(`creating ${path.relative(ROOT, S3_VENV)} with ${python} (pinned moto S3 server; about a minute) …`);
  await rm(S3_VENV, { recursive: true, force: true });
  await mkdir(S3_VENV, { recursive: true });
  await run(python, ['-m', 'venv', S3_VENV]);
  await run(
    path.join(S3_VENV, 'bin', 'python'),
    ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-r', REQUIREMENTS],
    { maxBuffer: 64 * 2 ** 20 },
  );
  await writeFile(STAMP, wanted);
  log('S3 server environment ready');
}

export interface S3Server {
  readonly endpoint: string;
  log(): string;
  stop(): Promise<void>;
}

const STARTUP_MS = 60_000;
const LOG_KEEP = 64 * 1024;
const live = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // Already gone.
    }
  }
});

/** Starts `moto_server` on a free loopback port and resolves at once; `ready` settles when it answers. */
export async function launchS3Server(): Promise<S3Server & { ready: Promise<void> }> {
  await ensureS3Env();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(MOTO_SERVER, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, MOTO_ALLOW_NONEXISTENT_REGION: 'true' },
  });
  live.add(child);
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-LOG_KEEP);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let gone = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      gone = true;
      live.delete(child);
      resolve();
    }),
  );
  const ready = (async () => {
    const deadline = Date.now() + STARTUP_MS;
    while (Date.now() < deadline) {
      if (gone) throw new Error(`moto_server exited during startup:\n${output}`);
      try {
        const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        return;
      } catch {
        await sleep(200);
      }
    }
    child.kill('SIGKILL');
    throw new Error(`moto_server did not answer within ${STARTUP_MS / 1000} s:\n${output}`);
  })();
  ready.catch(() => undefined);
  return {
    endpoint,
    ready,
    log: () => output,
    stop: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function startS3Server(): Promise<S3Server> {
  const server = await launchS3Server();
  try {
    await server.ready;
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Creates a bucket on the server (path-style, dummy credentials). */
export async function createBucket(endpoint: string, bucket: string): Promise<void> {
  const { S3Client, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { ...S3_CREDENTIALS },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absent when no selected test file uses the shared S3 server. */
    sharedS3: { endpoint: string } | undefined;
  }
}

/** The marker test/global-setup.ts looks for in a test file to know the shared S3 server is needed. */
export const SHARED_S3_MARKER = 'sharedS3Server(';

/** The run's one S3 server, started by test/global-setup.ts; use a bucket of your own. */
export function sharedS3Server(): { readonly endpoint: string } {
  const shared = inject('sharedS3');
  const endpoint = (): string => {
    if (shared === undefined)
      throw new Error(`test/global-setup.ts did not start the shared S3 server: it looks for ${SHARED_S3_MARKER}`);
    return shared.endpoint;
  };
  beforeAll(async () => {
    const deadline = Date.now() + STARTUP_MS;
    for (;;) {
      try {
        const response = await fetch(`${endpoint()}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        await sleep(200);
      }
    }
  }, STARTUP_MS + 10_000);
  return {
    get endpoint() {
      return endpoint();
    },
  };
}
