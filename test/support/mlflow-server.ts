import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, inject } from 'vitest';
import { MlflowProvider } from '../../src/providers/mlflow/mlflow-provider.js';
import { freePort } from './free-port.js';
import { MLFLOW } from './python-env.js';

export interface BasicAuth {
  username: string;
  password: string;
}

export interface MlflowServerOptions {
  /** Start the basic-auth app with this admin (`--app-name basic-auth`). */
  auth?: BasicAuth;
}

/**
 * A real `mlflow server` from .venv-mlflow on a free loopback port, with a sqlite backend and
 * an artifact destination in its own temporary directory. It runs in its own process group,
 * so stopping or killing it takes its workers along.
 */
export interface MlflowServer {
  readonly uri: string;
  readonly dir: string;
  /** The server's recent output, for failure messages. */
  log(): string;
  /** SIGKILL now, without waiting: the way a machine or an OOM killer stops it. */
  kill(): void;
  /** Starts it again on the same port and data (after kill or stop). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a server that hangs without closing its connections. */
  pause(): void;
  resume(): void;
  /** Kills it (paused or not) and removes its data. */
  stop(): Promise<void>;
}

const STARTUP_MS = 150_000;
const LOG_KEEP = 64 * 1024;
const live = new Set<ChildProcess>();

// A test process that dies must not leave servers behind.
process.once('exit', () => {
  for (const child of live) killGroup(child, 'SIGKILL');
});

/** Starts a server and resolves once it answers /health. */
export async function startMlflowServer(options: MlflowServerOptions = {}): Promise<MlflowServer> {
  const server = await launchMlflowServer(options);
  try {
    await server.ready;
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/**
 * Starts a server and resolves at once, with `ready` settling when it answers /health (or fails
 * to): the global setup starts the shared server this way, so it boots while the first tests run.
 * Its output also goes to `log()` and to server.log in its directory.
 */
export async function launchMlflowServer(
  options: MlflowServerOptions = {},
): Promise<MlflowServer & { ready: Promise<void>; logFile: string }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-mlflow-'));
  const port = await freePort();
  const uri = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    MLFLOW_DISABLE_TELEMETRY: 'true',
    DO_NOT_TRACK: 'true',
    // Over-long values fail loudly instead of being cut short, so a missed check shows up.
    MLFLOW_TRUNCATE_LONG_VALUES: 'false',
    // The job runner (six huey worker processes) serves features statekeep does not use.
    MLFLOW_SERVER_ENABLE_JOB_EXECUTION: 'false',
  };
  const args = [
    'server',
    '--backend-store-uri',
    `sqlite:///${path.join(dir, 'mlflow.db')}`,
    '--artifacts-destination',
    path.join(dir, 'artifacts'),
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--workers',
    '1',
  ];
  if (options.auth !== undefined) {
    const ini = path.join(dir, 'basic_auth.ini');
    await writeFile(
      ini,
      [
        '[mlflow]',
        'default_permission = READ',
        `database_uri = sqlite:///${path.join(dir, 'basic_auth.db')}`,
        `admin_username = ${options.auth.username}`,
        `admin_password = ${options.auth.password}`,
        'authorization_function = mlflow.server.auth:authenticate_request_basic_auth',
        '',
      ].join('\n'),
    );
    Object.assign(env, { MLFLOW_AUTH_CONFIG_PATH: ini, MLFLOW_FLASK_SERVER_SECRET_KEY: 'statekeep-tests' });
    args.push('--app-name', 'basic-auth');
  }

  let output = '';
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const logFile = path.join(dir, 'server.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const launch = async (): Promise<void> => {
    const started = spawn(MLFLOW, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    live.add(started);
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-LOG_KEEP);
      logStream.write(chunk);
    };
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    let gone = false;
    exited = new Promise((resolve) =>
      started.once('exit', () => {
        gone = true;
        live.delete(started);
        resolve();
      }),
    );
    const deadline = Date.now() + STARTUP_MS;
    while (Date.now() < deadline) {
      if (gone) throw new Error(`mlflow server exited during startup:\n${output}`);
      if (await healthy(uri)) return;
      await sleep(250);
    }
    killGroup(started, 'SIGKILL');
    throw new Error(`mlflow server did not answer /health within ${STARTUP_MS / 1000} s:\n${output}`);
  };

  const ready = launch();
  // Settled by whoever waits on it; this only keeps a failed start from going unhandled meanwhile.
  ready.catch(() => undefined);
  return {
    uri,
    dir,
    ready,
    logFile,
    log: () => output,
    kill: () => {
      if (child !== null) killGroup(child, 'SIGKILL');
    },
    restart: async () => {
      if (child !== null) killGroup(child, 'SIGKILL');
      await exited;
      await launch();
    },
    pause: () => {
      if (child !== null) killGroup(child, 'SIGSTOP');
    },
    resume: () => {
      if (child !== null) killGroup(child, 'SIGCONT');
    },
    stop: async () => {
      // Its data is removed next, so there is nothing for a graceful shutdown to save.
      if (child !== null) killGroup(child, 'SIGKILL');
      await exited;
      logStream.end();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A test file's server, and providers on it that each see only their own namespace. */
export interface FileServer {
  /** The running server; only inside tests and hooks, since it starts in beforeAll. */
  readonly server: MlflowServer;
  provider(namespace: string, options?: Record<string, unknown>): MlflowProvider;
}

/**
 * Starts one server for the calling test file before its first test and stops it after its last:
 * for tests that kill, pause or restart it, or need a backend of their own (basic auth).
 * Everything else uses sharedMlflowServer().
 */
export function serverForFile(options: MlflowServerOptions = {}): FileServer {
  let started: MlflowServer | undefined;
  beforeAll(async () => {
    started = await startMlflowServer(options);
  });
  afterAll(async () => {
    await started?.stop();
  });
  const handle: FileServer = {
    get server() {
      if (started === undefined)
        throw new Error('the MLflow server starts in beforeAll: use it inside tests and hooks');
      return started;
    },
    provider: (namespace, extra = {}) => new MlflowProvider({ uri: handle.server.uri, namespace, ...extra }),
  };
  return handle;
}

/** What the global setup tells test files about the run's shared server. */
export interface SharedMlflow {
  uri: string;
  logFile: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absent when no selected test file uses the shared server. */
    sharedMlflow: SharedMlflow | undefined;
  }
}

/** The marker test/global-setup.ts looks for in a test file to know the shared server is needed. */
export const SHARED_MLFLOW_MARKER = 'sharedMlflowServer(';

/**
 * The run's one plain MLflow server (sqlite backend), started by test/global-setup.ts and shared
 * by every test file that calls this; it waits, before the file's first test, until the server
 * answers. Never stop, pause or restart it (that is what serverForFile is for), and use namespaces
 * no other test file uses: other files write to the same server at the same time.
 */
export function sharedMlflowServer(): { readonly server: { readonly uri: string }; provider: FileServer['provider'] } {
  const shared = inject('sharedMlflow');
  beforeAll(async () => {
    if (shared === undefined)
      throw new Error(
        `test/global-setup.ts did not start the shared MLflow server: it looks for ${SHARED_MLFLOW_MARKER}`,
      );
    const deadline = Date.now() + STARTUP_MS;
    while (!(await healthy(shared.uri))) {
      if (Date.now() > deadline)
        throw new Error(
          `the shared MLflow server at ${shared.uri} did not answer /health; its output: ${shared.logFile}`,
        );
      await sleep(250);
    }
  }, STARTUP_MS + 10_000);
  const uri = (): string => {
    if (shared === undefined) throw new Error('the shared MLflow server was not started');
    return shared.uri;
  };
  return {
    server: {
      get uri() {
        return uri();
      },
    },
    provider: (namespace, extra = {}) => new MlflowProvider({ uri: uri(), namespace, ...extra }),
  };
}

async function healthy(uri: string): Promise<boolean> {
  try {
    const response = await fetch(`${uri}/health`, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  // The whole group: the CLI's workers outlive it otherwise.
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
