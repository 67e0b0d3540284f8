import { STATEKEEP_VERSION } from '../version.js';
import {
  decodeAliasEntry,
  describeTarget,
  encodeAliasEntry,
  isAliasName,
  sameTarget,
  ALIAS_FORMAT,
  type AliasEntry,
  type AliasName,
  type AliasTarget,
} from './aliases.js';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError, hasCode, NotFoundError, ProviderError, UnsupportedError, UsageError } from './errors/index.js';
import type { ProjectName } from './names.js';
import type { Provider } from './spi.js';

/** Long enough for a sentence and a ticket link; short enough for any backend's tag. */
const MAX_REASON = 1000;

type AliasProvider = Provider &
  Required<Pick<Provider, 'appendAliasEntry' | 'latestAliasEntry' | 'readAliasEntry' | 'listAliases'>>;

export interface MoveOptions {
  /** Move only if the alias holds this now (null: only if it is unset). Left out: move unconditionally. */
  expect?: AliasTarget | null;
  reason?: string | null;
}

/**
 * The aliases of a registry over the provider's entry logs: reading the newest entry, and moving
 * by compare-and-swap ("read head n, check the expectation, create entry n+1"). A writer that
 * loses the race for n+1 re-reads: without an expectation it simply tries again on the new head;
 * with one, it fails with ConflictError unless the new head still matches.
 */
export class AliasBook {
  readonly #provider: Provider;
  readonly #clock: () => Date;
  /** Throws NotFoundError unless the target generation exists. */
  readonly #check: (p: ProjectName, target: AliasTarget) => Promise<void>;

  constructor(provider: Provider, clock: () => Date, check: (p: ProjectName, target: AliasTarget) => Promise<void>) {
    this.#provider = provider;
    this.#clock = clock;
    this.#check = check;
  }

  /** The newest entry, or null for an alias never set. Two reads, however long the log. */
  async head(p: ProjectName, a: AliasName): Promise<AliasEntry | null> {
    const provider = this.#aliasProvider();
    const n = await provider.latestAliasEntry(p, a);
    return n === 0 ? null : this.#read(provider, p, a, n);
  }

  /** The heads of the aliases that are set now, by name. */
  async list(p: ProjectName): Promise<AliasEntry[]> {
    const provider = this.#aliasProvider();
    const names = (await provider.listAliases(p)).filter(isAliasName).sort();
    const heads = await Promise.all(names.map((a) => this.head(p, a)));
    return heads.filter((h): h is AliasEntry => h !== null && h.to !== null);
  }

  /** Every entry, newest first, read one at a time. */
  async *history(p: ProjectName, a: AliasName): AsyncGenerator<AliasEntry> {
    const provider = this.#aliasProvider();
    for (let n = await provider.latestAliasEntry(p, a); n >= 1; n--) yield await this.#read(provider, p, a, n);
  }

  /**
   * Moves the alias to `to` (null removes it; 'previous' moves it back to where it pointed before
   * its last move). Returns the entry that recorded the move.
   */
  async move(
    p: ProjectName,
    a: AliasName,
    to: AliasTarget | null | 'previous',
    options: MoveOptions = {},
  ): Promise<AliasEntry> {
    const provider = this.#aliasProvider();
    const reason = options.reason ?? null;
    if (reason !== null && (typeof reason !== 'string' || reason.length > MAX_REASON))
      throw new UsageError(
        `a reason is text of at most ${MAX_REASON} characters, got ${typeof reason === 'string' ? `${reason.length}` : typeof reason}`,
        'give a shorter --reason; the history keeps it with the move',
        { argument: '--reason' },
      );
    let expect = options.expect;
    if (to !== null && to !== 'previous') await this.#check(p, to);
    // A lost race means someone else's entry took the number, so the head moves past it. A head
    // that does not (a provider whose lookups lag its creates) is waited for, a few times only.
    let lostAt = 0;
    let stale = 0;
    for (;;) {
      const head = await this.head(p, a);
      if ((head?.entry ?? 0) < lostAt) {
        if (++stale > STALE_HEAD_TRIES)
          throw new ProviderError(
            {
              provider: this.#provider.descriptor.name,
              operation: `move alias ${a}`,
              detail: `entry ${lostAt} exists, but the newest entry the provider reports is ${head?.entry ?? 'none'}`,
            },
            'the backend reports an older alias log than it holds; retry, and check its caches',
          );
        await sleep(10 * stale);
        continue;
      }
      const current = head?.to ?? null;
      if (expect !== undefined && !sameTarget(expect, current)) throw conflict(p, a, expect, current);
      let target = to;
      if (target === 'previous') {
        if (head === null || head.from === null)
          throw new NotFoundError(
            { what: 'alias', project: p, name: `${a} (previous target)` },
            head === null
              ? `alias ${a} has never been set; set it with a release and generation`
              : `alias ${a} was unset before its last move; use \`statekeep alias rm\` to unset it again`,
          );
        target = head.from;
        // Undoing "the last move" must not undo a different one made meanwhile.
        expect ??= current;
        await this.#check(p, target);
      }
      if (target === null && current === null)
        throw new NotFoundError(
          { what: 'alias', project: p, name: a },
          `run \`statekeep alias list ${p}\` to see its aliases`,
        );
      const entry: AliasEntry = {
        format: ALIAS_FORMAT,
        project: p,
        alias: a,
        entry: (head?.entry ?? 0) + 1,
        action: target === null ? 'rm' : 'set',
        time: this.#clock().toISOString(),
        from: current,
        to: target,
        reason,
        statekeep: STATEKEEP_VERSION,
      };
      try {
        await provider.appendAliasEntry(p, a, entry.entry, encodeAliasEntry(entry));
        return entry;
      } catch (error) {
        if (!hasCode(error, 'ALREADY_EXISTS')) throw error;
        lostAt = entry.entry;
      }
    }
  }

  async #read(provider: AliasProvider, p: ProjectName, a: AliasName, n: number): Promise<AliasEntry> {
    return decodeAliasEntry(await provider.readAliasEntry(p, a, n), { project: p, alias: a, entry: n });
  }

  #aliasProvider(): AliasProvider {
    const provider = this.#provider;
    if (
      provider.appendAliasEntry === undefined ||
      provider.latestAliasEntry === undefined ||
      provider.readAliasEntry === undefined ||
      provider.listAliases === undefined
    )
      throw new UnsupportedError(
        { provider: provider.descriptor.name, operation: 'aliases' },
        'use a registry whose provider keeps aliases (posix, volatile, mlflow), or upgrade the provider',
      );
    return provider as AliasProvider;
  }
}

function conflict(
  p: ProjectName,
  a: AliasName,
  expected: AliasTarget | null,
  actual: AliasTarget | null,
): ConflictError {
  return new ConflictError({
    project: p,
    alias: a,
    expected: describeTarget(expected),
    actual: describeTarget(actual),
  });
}

// How often a head that lags an entry known to exist is read again before the move gives up.
const STALE_HEAD_TRIES = 20;
