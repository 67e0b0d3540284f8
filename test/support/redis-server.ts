import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, inject } from 'vitest';
import { RedisProvider } from '../../src/providers/redis/redis-provider.js';
import { ensureDebianPackage } from './debian-package.js';
import { freePort } from './free-port.js';

export const REDIS_SERVER = '/usr/bin/redis-server';
const STARTUP_MS = 60_000;
const LOG_KEEP = 32 * 1024;
const live = new Set<ChildProcess>();

// A test process that dies must not leave servers behind.
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface RedisServerOptions {
  /** Extra redis-server arguments, after the durable defaults (a later one wins): ['--proto-max-bulk-len', '1mb']. */
  args?: string[];
}

/**
 * A real redis-server (Debian's package) on a free loopback port, its data in a temporary
 * directory, run as the README says a durable registry needs: AOF on, fsynced before every
 * reply (--appendonly yes --appendfsync always), no RDB snapshots, and a password
 * (requirepass), so wrong credentials can be tested.
 */
export interface RedisServer {
  readonly port: number;
  readonly password: string;
  readonly dir: string;
  /** redis://:password@127.0.0.1:port/db */
  url(database?: number): string;
  /** The server's recent output, for failure messages. */
  log(): string;
  /** SIGKILL now, without waiting: the way a machine or an OOM killer stops it. */
  kill(): void;
  /** Starts it again on the same port and data directory (after kill), resolving once it serves. */
  restart(): Promise<void>;
  /** Kills it and removes its data. */
  stop(): Promise<void>;
}

const log = (line: string): void => {
  process.stderr.write(`[redis] ${line}\n`);
};

/** Starts a server and resolves once it accepts connections. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  await ensureDebianPackage(REDIS_SERVER, ['redis-server'], log);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-redis-'));
  const port = await freePort();
  const password = randomBytes(12).toString('hex');
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--appendonly',
    'yes',
    '--appendfsync',
    'always',
    '--save',
    '',
    '--requirepass',
    password,
    '--daemonize',
    'no',
    '--logfile',
    '',
    ...(options.args ?? []),
  ];
  let output = '';
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();

  const launch = async (): Promise<void> => {
    const started = spawn(REDIS_SERVER, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    live.add(started);
    exited = new Promise((resolve) =>
      started.once('exit', () => {
        live.delete(started);
        resolve();
      }),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        started.kill('SIGKILL');
        reject(new Error(`redis-server did not start within ${STARTUP_MS / 1000} s:\n${output}`));
      }, STARTUP_MS);
      const keep = (chunk: Buffer): void => {
        output = (output + chunk.toString()).slice(-LOG_KEEP);
        // Printed once the data (the AOF, after a restart) is loaded and the port is open.
        if (output.includes('Ready to accept connections')) {
          clearTimeout(timer);
          resolve();
        }
      };
      started.stdout?.on('data', keep);
      started.stderr?.on('data', keep);
      started.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`redis-server exited during startup (${code ?? signal}):\n${output}`));
      });
    });
  };

  await launch();
  return {
    port,
    password,
    dir,
    url: (database = 0) => `redis://:${password}@127.0.0.1:${port}/${database}`,
    log: () => output,
    kill: () => {
      child?.kill('SIGKILL');
    },
    restart: async () => {
      child?.kill('SIGKILL');
      await exited;
      output = '';
      await launch();
    },
    stop: async () => {
      // Its data is removed next, so there is nothing for a graceful shutdown to save.
      child?.kill('SIGKILL');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A test file's server and providers on it, each seeing only its own key prefix. */
export interface RedisHandle {
  readonly server: { readonly url: (database?: number) => string; readonly password: string; readonly port: number };
  provider(prefix: string, options?: Record<string, unknown>): RedisProvider;
}

/**
 * Starts one server for the calling test file before its first test and stops it after its
 * last: for tests that kill or restart it, or need other settings. Everything else uses
 * sharedRedisServer().
 */
export function redisServerForFile(options: RedisServerOptions = {}): RedisHandle & { readonly own: RedisServer } {
  let started: RedisServer | undefined;
  beforeAll(async () => {
    started = await startRedisServer(options);
  }, STARTUP_MS + 120_000);
  afterAll(async () => {
    await started?.stop();
  });
  const own = (): RedisServer => {
    if (started === undefined) throw new Error('the redis server starts in beforeAll: use it inside tests and hooks');
    return started;
  };
  return {
    get own() {
      return own();
    },
    get server() {
      return own();
    },
    provider: (prefix, extra = {}) => new RedisProvider({ url: own().url(), prefix, ...extra }),
  };
}

/** What the global setup tells test files about the run's shared server. */
export interface SharedRedis {
  port: number;
  password: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absent when no selected test file uses the shared server. */
    sharedRedis: SharedRedis | undefined;
  }
}

/** The marker test/global-setup.ts looks for in a test file to know the shared server is needed. */
export const SHARED_REDIS_MARKER = 'sharedRedisServer(';

/**
 * The run's one redis-server, started by test/global-setup.ts and shared by every test file
 * that calls this. Never kill or restart it (that is what redisServerForFile is for), and use key
 * prefixes no other test file uses: other files write to the same database at the same time.
 */
export function sharedRedisServer(): RedisHandle {
  const shared = inject('sharedRedis');
  const get = (): SharedRedis => {
    if (shared === undefined)
      throw new Error(
        `test/global-setup.ts did not start the shared redis server: it looks for ${SHARED_REDIS_MARKER}`,
      );
    return shared;
  };
  const server = {
    url: (database = 0) => `redis://:${get().password}@127.0.0.1:${get().port}/${database}`,
    get password() {
      return get().password;
    },
    get port() {
      return get().port;
    },
  };
  return {
    server,
    provider: (prefix, extra = {}) => new RedisProvider({ url: server.url(), prefix, ...extra }),
  };
}
