import type { Pool, PoolClient, QueryResultRow } from 'pg';
import { setTimeout as sleep } from 'node:timers/promises';
import { isStatekeepError } from '../../registry/errors/index.js';
import {
  isConnectionFailure,
  isTransientConflict,
  translatePgError,
  unavailable,
  type DatabaseSite,
} from './pg-errors.js';

export interface DatabaseSettings extends DatabaseSite {
  url: string;
  maxConnections: number;
  connectTimeoutMs: number;
  /** Repeats of an operation that failed for the connection's sake, with a doubling pause (100 ms … 2 s). */
  retries: number;
}

/** What a statement runs on: the pool (one statement) or a transaction's connection. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
}

/**
 * The answer of `confirm` after a COMMIT whose outcome is unknown (the connection broke while it
 * was on its way): the result if the transaction was applied, or NOT_APPLIED to run it again.
 */
export const NOT_APPLIED = Symbol('not applied');

const FIRST_PAUSE_MS = 100;
const MAX_PAUSE_MS = 2_000;

/**
 * One PostgreSQL pool (node-postgres, imported on first use) and the two ways statekeep talks
 * through it: `read` for statements that may be repeated, and `transaction` for writes.
 *
 * Failures of the connection (refused, reset, the server restarting) are retried with a bounded
 * backoff. A write is never applied twice: a failure before COMMIT was sent means the server
 * rolled the transaction back, so it runs again; a failure of the COMMIT itself is ambiguous and
 * is settled by `confirm`, which re-reads what the transaction would have written, instead of
 * by writing again.
 */
export class Database {
  readonly site: DatabaseSite;
  readonly #settings: DatabaseSettings;
  #pool: Promise<Pool> | undefined;
  #bookkeepingPool: Promise<Pool> | undefined;
  #closed = false;

  constructor(settings: DatabaseSettings) {
    this.#settings = settings;
    this.site = { target: settings.target, secrets: settings.secrets };
  }

  #poolOf(): Promise<Pool> {
    this.#pool ??= this.#newPool(undefined);
    return this.#pool;
  }

  #bookkeepingPoolOf(): Promise<Pool> {
    this.#bookkeepingPool ??= this.#newPool('-c synchronous_commit=off');
    return this.#bookkeepingPool;
  }

  async #newPool(options: string | undefined): Promise<Pool> {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({
      connectionString: this.#settings.url,
      max: this.#settings.maxConnections,
      connectionTimeoutMillis: this.#settings.connectTimeoutMs,
      idleTimeoutMillis: 10_000,
      keepAlive: true,
      application_name: 'statekeep',
      ...(options !== undefined && { options }),
    });
    // An idle connection that dies (a server restart) is dropped from the pool; the next
    // statement opens a fresh one. Without a listener the error would end the process.
    pool.on('error', () => undefined);
    return pool;
  }

  /** Runs statements that may be repeated as they are (reads, and writes that are idempotent). */
  async read<T>(operation: string, body: (db: Queryable) => Promise<T>): Promise<T> {
    return this.#retrying(operation, async () => body(await this.#poolOf()));
  }

  /**
   * Like `read`, on connections whose commits do not wait for the WAL flush
   * (synchronous_commit off): for the blob rows a writeBlob announces and confirms. Their records
   * come before, in the one WAL stream, the commit record of any generation published after
   * them, so that generation's (synchronous) commit makes them durable too; a crash before it
   * can lose only rows no published generation relies on (writeBlob then finds its row gone and
   * writes again). This saves two WAL flushes per blob.
   */
  async bookkeep<T>(operation: string, body: (db: Queryable) => Promise<T>): Promise<T> {
    return this.#retrying(operation, async () => body(await this.#bookkeepingPoolOf()));
  }

  /**
   * Runs `body` in one transaction (READ COMMITTED) and commits it. `confirm` settles a COMMIT
   * whose outcome is unknown by reading; without one, such a failure is reported as unavailable
   * with a note that the write may have been applied.
   */
  async transaction<T>(
    operation: string,
    body: (db: Queryable) => Promise<T>,
    confirm?: (db: Queryable, result: T) => Promise<T | typeof NOT_APPLIED>,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.#retrying(operation, () => this.#once(body), attempt);
      if (outcome.kind === 'done') return outcome.value;
      if (confirm === undefined)
        throw unavailable(this.site, outcome.error, '; the write may or may not have been applied');
      const { value, error } = outcome;
      let settled: T | typeof NOT_APPLIED;
      try {
        settled = await this.read(`${operation} (confirming after a lost COMMIT)`, (db) => confirm(db, value));
      } catch (cause) {
        if (isStatekeepError(cause) && cause.code === 'UNAVAILABLE')
          throw unavailable(this.site, error, '; the write may or may not have been applied (it could not be re-read)');
        throw cause;
      }
      if (settled !== NOT_APPLIED) return settled;
      if (attempt >= this.#settings.retries) throw unavailable(this.site, error);
    }
  }

  async #once<T>(
    body: (db: Queryable) => Promise<T>,
  ): Promise<{ kind: 'done'; value: T } | { kind: 'ambiguous'; value: T; error: unknown }> {
    const pool = await this.#poolOf();
    const client: PoolClient = await pool.connect();
    // A connection that breaks between two statements (the server killed while `body` computes)
    // reports it as an event, not through a query; the next statement fails and says so.
    const onError = (): void => undefined;
    client.on('error', onError);
    let broken: unknown;
    try {
      await client.query('BEGIN');
      let value: T;
      try {
        value = await body(client);
      } catch (error) {
        // The server has already rolled back a transaction whose connection broke.
        if (isConnectionFailure(error)) broken = error;
        else await client.query('ROLLBACK').catch((e: unknown) => (broken = e));
        throw error;
      }
      try {
        await client.query('COMMIT');
      } catch (error) {
        if (!isConnectionFailure(error)) throw error;
        broken = error;
        return { kind: 'ambiguous', value, error };
      }
      return { kind: 'done', value };
    } finally {
      client.off('error', onError);
      // A connection that failed is destroyed rather than handed to the next caller.
      client.release(broken === undefined ? undefined : broken instanceof Error ? broken : true);
    }
  }

  /** Runs `step`, repeating it after connection failures (and aborted races) with a doubling pause. */
  async #retrying<T>(operation: string, step: () => Promise<T>, already = 0): Promise<T> {
    for (let attempt = already; ; attempt++) {
      try {
        return await step();
      } catch (error) {
        const retryable = isConnectionFailure(error) || isTransientConflict(error);
        if (!retryable || this.#closed || attempt >= this.#settings.retries)
          throw translatePgError(error, this.site, operation);
        await sleep(Math.min(MAX_PAUSE_MS, FIRST_PAUSE_MS * 2 ** attempt));
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pending = [this.#pool, this.#bookkeepingPool];
    this.#pool = undefined;
    this.#bookkeepingPool = undefined;
    for (const pool of pending) if (pool !== undefined) await (await pool.catch(() => undefined))?.end();
  }
}
