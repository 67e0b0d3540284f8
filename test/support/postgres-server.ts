import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { beforeAll, inject } from 'vitest';
import { freePort } from './free-port.js';

const run = promisify(execFile);

/** Where a test reaches the cluster: password auth over loopback TCP as a superuser. */
export interface PostgresAccess {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/**
 * A real PostgreSQL (the machine's `initdb` and `postgres`) in a fresh cluster in a temporary
 * directory, on a free loopback port, with password (scram-sha-256) authentication so that wrong
 * credentials can be tested. PostgreSQL refuses to run as root, so as root (CI) it runs as the
 * machine's `postgres` user through `runuser -u postgres --`.
 */
export interface PostgresServer extends PostgresAccess {
  readonly dir: string;
  /** postgres://user:password@127.0.0.1:port/database (or another database). */
  url(database?: string, credentials?: { user: string; password: string }): string;
  log(): string;
  /** SIGKILL to the postmaster and every backend at once: what a machine crash or the OOM killer does. */
  kill(): void;
  /** Starts it again on the same port and data (after kill); it recovers from its WAL. */
  restart(): Promise<void>;
  /** Kills it and removes its data. */
  stop(): Promise<void>;
}

const STARTUP_MS = 60_000;
const LOG_KEEP = 64 * 1024;
const SUPERUSER = 'statekeep';
const DATABASE = 'registry';
const live = new Set<ChildProcess>();

const clusters = new Map<ChildProcess, string>();
process.once('exit', () => {
  for (const child of live) killCluster(child, clusters.get(child) ?? '');
});

const asRoot = process.getuid?.() === 0;
/** The command line that runs a PostgreSQL binary as a user it accepts. */
const asPostgres = (binary: string, args: string[]): [string, string[]] =>
  asRoot ? ['runuser', ['-u', 'postgres', '--', binary, ...args]] : [binary, args];

export async function startPostgresServer(): Promise<PostgresServer> {
  const server = await launchPostgresServer();
  try {
    await server.ready;
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Creates the cluster, starts it, and resolves at once; `ready` settles once it accepts connections. */
export async function launchPostgresServer(): Promise<PostgresServer & { ready: Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-pg-'));
  const data = path.join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const port = await freePort();
  let output = '';
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  // Processes killed and not yet seen gone: a restart waits for them.
  const killed: number[] = [];
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-LOG_KEEP);
  };

  const init = async (): Promise<void> => {
    if (asRoot) await chown(dir, await uidOf('postgres'), await gidOf('postgres'));
    await chmod(dir, 0o700);
    const pwfile = path.join(dir, 'pwfile');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (asRoot) await chown(pwfile, await uidOf('postgres'), await gidOf('postgres'));
    const [cmd, args] = asPostgres('initdb', [
      '-D',
      data,
      '-U',
      SUPERUSER,
      `--pwfile=${pwfile}`,
      '--auth-host=scram-sha-256',
      '--auth-local=trust',
      '-E',
      'UTF8',
      '--locale=C',
      // The cluster is thrown away afterwards; the server itself still fsyncs every commit.
      '--no-sync',
    ]);
    await run(cmd, args, { maxBuffer: 16 << 20 });
    await rm(pwfile);
  };

  const launch = async (): Promise<void> => {
    const [cmd, args] = asPostgres('postgres', [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      dir,
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=300',
      '-c',
      'shared_buffers=32MB',
    ]);
    const started = spawn(cmd, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    live.add(started);
    clusters.set(started, data);
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    let gone = false;
    exited = new Promise((resolve) =>
      started.once('close', (code, signal) => {
        keep(Buffer.from(`[exited: ${code ?? signal}]\n`));
        gone = true;
        live.delete(started);
        resolve();
      }),
    );
    const deadline = Date.now() + STARTUP_MS;
    while (Date.now() < deadline) {
      if (gone) throw new Error(`postgres exited during startup:\n${output}`);
      if (await accepting(port)) return;
      await sleep(100);
    }
    killCluster(started, data);
    throw new Error(`postgres did not accept connections within ${STARTUP_MS / 1000} s:\n${output}`);
  };

  const ready = (async () => {
    await init();
    await launch();
    await admin({ host: '127.0.0.1', port, user: SUPERUSER, password, database: 'postgres' }, [
      `CREATE DATABASE ${DATABASE}`,
    ]);
  })();
  ready.catch(() => undefined);
  const access = { host: '127.0.0.1', port, user: SUPERUSER, password, database: DATABASE };
  return {
    ...access,
    dir,
    ready,
    url: (database = DATABASE, credentials = { user: SUPERUSER, password }) =>
      pgUrl({ ...access, ...credentials, database }),
    log: () => output,
    kill: () => {
      if (child !== null) killed.push(...killCluster(child, data));
    },
    restart: async () => {
      if (child !== null) killed.push(...killCluster(child, data));
      await exited;
      await waitGone(killed.splice(0));
      await launch();
    },
    stop: async () => {
      const gone = child !== null ? killCluster(child, data) : [];
      await exited;
      await waitGone(gone);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function pgUrl(access: PostgresAccess): string {
  return `postgres://${encodeURIComponent(access.user)}:${encodeURIComponent(access.password)}@${access.host}:${access.port}/${access.database}`;
}

/** Runs statements as the superuser on one connection (setting up roles, dropping schemas). */
export async function admin(access: PostgresAccess, statements: string[]): Promise<unknown[][]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: pgUrl(access) });
  await client.connect();
  try {
    const rows: unknown[][] = [];
    for (const sql of statements) rows.push((await client.query(sql)).rows);
    return rows;
  } finally {
    await client.end();
  }
}

async function accepting(port: number): Promise<boolean> {
  const [cmd, args] = ['pg_isready', ['-h', '127.0.0.1', '-p', String(port), '-q', '-t', '2']] as const;
  try {
    await run(findBinary(cmd), [...args]);
    return true;
  } catch {
    return false;
  }
}

// pg_isready is not linked onto the PATH on every image; it sits beside postgres.
function findBinary(name: string): string {
  return path.join('/usr/lib/postgresql/15/bin', name);
}

async function uidOf(user: string): Promise<number> {
  return Number((await run('id', ['-u', user])).stdout.trim());
}

async function gidOf(user: string): Promise<number> {
  return Number((await run('id', ['-g', user])).stdout.trim());
}

/**
 * SIGKILL, at once, to the postmaster and every one of its children (backends, checkpointer, WAL
 * writer …). Each child of the postmaster runs in a session of its own (it calls setsid), so
 * killing the process group would leave the backends running; and runuser is left alive to reap
 * the postmaster, since a postmaster reparented to a pid 1 that never reaps would stay a zombie
 * whose pid, still in postmaster.pid, makes the next start refuse. Returns the pids.
 */
function killCluster(child: ChildProcess, data: string): number[] {
  const pids: number[] = [];
  let postmaster: number | undefined;
  try {
    postmaster = Number(readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    // Not started, or already gone.
  }
  if (postmaster !== undefined && postmaster > 0) pids.push(postmaster, ...childPids(postmaster));
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  // Not started as far as a pid file tells: the group is all there is.
  if (pids.length === 0) killGroup(child);
  return pids;
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** Waits until none of the processes exists any more (a restart must not meet the old shared memory). */
async function waitGone(pids: number[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (pids.some((pid) => existsSync(`/proc/${pid}`) && !isZombie(pid)) && Date.now() < deadline) await sleep(20);
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/** Pids of a process's children, from /proc. */
function childPids(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) found.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return found;
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absent when no selected test file uses the shared cluster. */
    sharedPostgres: PostgresAccess | undefined;
  }
}

/** The marker test/global-setup.ts looks for in a test file to know the shared cluster is needed. */
export const SHARED_POSTGRES_MARKER = 'sharedPostgresServer(';

/**
 * The run's one PostgreSQL cluster, started by test/global-setup.ts and shared by every test file
 * that calls this. Never kill or restart it (start one of your own with startPostgresServer),
 * and keep to schemas no other file uses.
 */
export function sharedPostgresServer(): { readonly access: PostgresAccess; url(): string } {
  const shared = inject('sharedPostgres');
  const access = (): PostgresAccess => {
    if (shared === undefined)
      throw new Error(
        `test/global-setup.ts did not start the shared PostgreSQL: it looks for ${SHARED_POSTGRES_MARKER}`,
      );
    return shared;
  };
  beforeAll(() => {
    access();
  });
  return {
    get access() {
      return access();
    },
    url: () => pgUrl(access()),
  };
}
