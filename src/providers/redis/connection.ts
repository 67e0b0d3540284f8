import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { asStatekeepError, classify, describe, unavailable } from './errors.js';
import type { RedisSettings } from './options.js';
import { warnIfNotDurable, type DurabilitySettings } from './durability.js';

export type Arg = string | Buffer;

/** What is known of the server once connected. */
export interface ServerFacts {
  /** The longest value it accepts in one command (proto-max-bulk-len), in bytes. */
  maxValueBytes: number;
  /** Whether maxValueBytes was read from the server (false: CONFIG is not allowed, the default is assumed). */
  maxValueKnown: boolean;
}

/** Redis's default proto-max-bulk-len (512 MiB), assumed when the server does not let CONFIG GET read it. */
export const DEFAULT_MAX_VALUE_BYTES = 512 * 1024 * 1024;

// The few methods of a node-redis client used here; its generic types are far wider than needed.
interface Client {
  connect(): Promise<unknown>;
  sendCommand(args: readonly Arg[], options?: Record<string, unknown>): Promise<unknown>;
  destroy(): void;
  close(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

interface Open {
  client: Client;
  facts: ServerFacts;
}

/** A command the server did not answer within commandTimeoutMs. */
export class CommandTimeoutError extends Error {
  constructor(ms: number) {
    super(`no answer within ${ms} ms`);
    this.name = 'CommandTimeoutError';
  }
}

/** Wraps an error of the caller's own code (a render callback): `retrying` rethrows it as it is. */
export class Passthrough {
  constructor(readonly error: unknown) {}
}

/** A Lua script, sent by EVALSHA and, when the server has not seen it (after a restart), by EVAL. */
export class Script {
  readonly sha: string;
  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }
}

/**
 * One connection to the server, opened on first use (which is when node-redis is loaded) and
 * opened again after it breaks. `attempt` runs one command; `retrying` runs work again, with
 * bounded backoff, when the server is unreachable or loading, and turns what is left into
 * statekeep's errors (UNAVAILABLE, UNAUTHORIZED, PROVIDER). Work that writes must be safe to
 * run again: it resolves an earlier attempt that may have applied by re-reading.
 */
export class RedisConnection {
  readonly #settings: RedisSettings;
  #open: Promise<Open> | null = null;
  #closed = false;
  #bufferMapping: Record<string, unknown> | undefined;

  constructor(settings: RedisSettings) {
    this.#settings = settings;
  }

  get target(): string {
    return this.#settings.target;
  }

  /** The server's facts (connecting if needed). */
  async facts(): Promise<ServerFacts> {
    return (await this.#connection()).facts;
  }

  /** Sends one command; `buffers` returns bulk strings as Buffers instead of text. */
  async command<T>(args: readonly Arg[], buffers = false): Promise<T> {
    const open = await this.#connection();
    const options: Record<string, unknown> = buffers ? { typeMapping: this.#bufferMapping } : {};
    // node-redis's own timeout ends when a command is written, not when it is answered: a server
    // that hangs (or is busy with a long script) would keep the caller waiting for ever.
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new CommandTimeoutError(this.#settings.commandTimeoutMs)),
        this.#settings.commandTimeoutMs,
      );
    });
    try {
      return (await Promise.race([open.client.sendCommand(args, options), deadline])) as T;
    } catch (error) {
      // An unanswered command may still run; dropping the connection means its late answer can
      // never be taken for another command's.
      if (classify(error) === 'unreachable') this.#drop(open);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a script by its digest, and by its source when the server does not know it yet. */
  async script<T>(script: Script, keys: readonly Arg[], args: readonly Arg[], buffers = false): Promise<T> {
    const tail = [String(keys.length), ...keys, ...args];
    try {
      return await this.command<T>(['EVALSHA', script.sha, ...tail], buffers);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return this.command<T>(['EVAL', script.source, ...tail], buffers);
    }
  }

  /**
   * Runs `work(attempt)` until it succeeds, is refused for good, or the server stays unreachable
   * through `retries` waits (100 ms doubling, at most 2 s each). attempt > 0 tells write work
   * that an earlier attempt may have applied.
   */
  async retrying<T>(operation: string, work: (attempt: number) => Promise<T>): Promise<T> {
    const retries = this.#settings.retries;
    for (let attempt = 0; ; attempt++) {
      if (this.#closed) throw unavailable(this.#settings.target, 'the provider was closed', undefined);
      try {
        return await work(attempt);
      } catch (error) {
        if (error instanceof Passthrough) throw error.error;
        const failure = classify(error);
        const transient = failure === 'unreachable' || failure === 'busy';
        if (!transient || attempt >= retries) {
          if (transient)
            throw unavailable(
              this.#settings.target,
              `${describe(error)} (${operation}; tried ${attempt + 1} times)`,
              error,
            );
          throw asStatekeepError(error, operation, this.#settings.target);
        }
        await sleep(Math.min(2_000, 100 * 2 ** attempt) * (0.75 + Math.random() / 2));
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    const open = this.#open;
    this.#open = null;
    if (open === null) return;
    try {
      await (await open).client.close();
    } catch {
      // Never connected, or already gone: nothing to release.
    }
  }

  #connection(): Promise<Open> {
    if (this.#closed) return Promise.reject(new Error('the provider was closed'));
    if (this.#open === null) {
      const opening = this.#connect();
      this.#open = opening;
      // A failed open is forgotten, so the next attempt dials again.
      opening.catch(() => {
        if (this.#open === opening) this.#open = null;
      });
    }
    return this.#open;
  }

  async #connect(): Promise<Open> {
    const lib = await import('@redis/client');
    this.#bufferMapping ??= { [lib.RESP_TYPES.BLOB_STRING]: Buffer };
    const s = this.#settings;
    const client = lib.createClient({
      socket: {
        host: s.host,
        port: s.port,
        ...(s.tls ? { tls: true as const } : {}),
        connectTimeout: s.connectTimeoutMs,
        // statekeep retries itself, deciding per operation what is safe to run again.
        reconnectStrategy: false,
      },
      ...(s.username === null ? {} : { username: s.username }),
      ...(s.password === null ? {} : { password: s.password }),
      database: s.database,
      RESP: 2,
      disableOfflineQueue: true,
    }) as unknown as Client;
    let open: Open | undefined;
    // A broken socket is reported here as well as to the command waiting on it.
    client.on('error', () => {
      if (open !== undefined) this.#drop(open);
    });
    try {
      await client.connect();
      const facts = await readFacts(client, s.server);
      open = { client, facts };
      return open;
    } catch (error) {
      try {
        client.destroy();
      } catch {
        // Never opened.
      }
      throw error;
    }
  }

  #drop(open: Open): void {
    void this.#open?.then(
      (current) => {
        if (current === open) this.#open = null;
      },
      () => undefined,
    );
    try {
      open.client.destroy();
    } catch {
      // Already closed.
    }
  }
}

/** Reads the value-size limit and the persistence settings; a server that forbids CONFIG gets the defaults. */
async function readFacts(client: Client, server: string): Promise<ServerFacts> {
  let reply: unknown;
  try {
    reply = await client.sendCommand([
      'CONFIG',
      'GET',
      'proto-max-bulk-len',
      'appendonly',
      'appendfsync',
      'maxmemory-policy',
    ]);
  } catch (error) {
    const failure = classify(error);
    if (failure === 'unreachable' || failure === 'busy') throw error;
    // CONFIG renamed away, or not granted to this ACL user (NOPERM): assume Redis's default limit.
    return { maxValueBytes: DEFAULT_MAX_VALUE_BYTES, maxValueKnown: false };
  }
  const config = new Map<string, string>();
  const flat = Array.isArray(reply) ? (reply as unknown[]).map(String) : [];
  for (let i = 0; i + 1 < flat.length; i += 2) config.set(flat[i]!.toLowerCase(), flat[i + 1]!);
  const limit = Number(config.get('proto-max-bulk-len'));
  const durability: DurabilitySettings = {
    appendonly: config.get('appendonly') ?? null,
    appendfsync: config.get('appendfsync') ?? null,
    maxmemoryPolicy: config.get('maxmemory-policy') ?? null,
  };
  warnIfNotDurable(server, durability);
  return Number.isSafeInteger(limit) && limit > 0
    ? { maxValueBytes: limit, maxValueKnown: true }
    : { maxValueBytes: DEFAULT_MAX_VALUE_BYTES, maxValueKnown: false };
}
