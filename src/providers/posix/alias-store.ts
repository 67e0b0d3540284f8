import { readFile } from 'node:fs/promises';
import { AlreadyExistsError, IntegrityError, NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import { publishNew, replaceFile } from './durable-write.js';
import { exists, listDir } from './file-reads.js';
import { isErrno } from './fs-errors.js';
import { manifestNumber, type Layout } from './layout.js';
import { highestPublished } from './latest-search.js';

/**
 * Alias logs: one file per entry, `<n>.json`, published by the same exclusive link(2) that
 * numbers generations, so of the writers that saw n as the newest entry exactly one creates n+1:
 * a compare-and-swap without a lock. The Registry only ever writes n+1 after reading n, so the
 * entries are exactly 1..N, and the newest is found from a hint by probing (latest-search.ts).
 *
 * An entry removed by hand breaks that: a search starting below the hole finds an older head, and
 * a move written into the hole would be hidden again by the entries above it. So a move lists the
 * log first and refuses (INTEGRITY, naming the missing entry) unless it is exactly 1..N.
 */
export class AliasStore {
  constructor(private readonly layout: Layout) {}

  async append(project: ProjectName, alias: string, entry: number, bytes: Uint8Array): Promise<void> {
    await this.#checkUnbroken(project, alias, entry);
    if (!(await publishNew(this.layout.aliasEntry(project, alias, entry), bytes))) {
      throw new AlreadyExistsError(
        { what: 'alias entry', project, name: `${alias}#${entry}` },
        'another writer moved the alias first; read it again',
      );
    }
    try {
      // Not fsynced and not ordered with other writers: a stale hint only makes the next probe start lower.
      await replaceFile(this.layout.aliasHint(project, alias), new TextEncoder().encode(`${entry}\n`), {
        durable: false,
      });
    } catch {
      // The entry is published; a missing hint costs a few probes, not correctness.
    }
  }

  /** Refuses a log with a hole at or below its newest entry (or below `entry`, the one to write). */
  async #checkUnbroken(project: ProjectName, alias: string, entry: number): Promise<void> {
    const listed = new Set((await listDir(this.layout.aliasLog(project, alias))).map(manifestNumber));
    const highest = [...listed].reduce<number>((max, n) => (n !== null && n > max ? n : max), entry - 1);
    for (let n = 1; n <= highest; n++) {
      // readdir may miss a name a racing writer created meanwhile; a direct look is conclusive.
      if (listed.has(n) || (await exists(this.layout.aliasEntry(project, alias, n)))) continue;
      throw new IntegrityError(
        {
          project,
          subject: `alias entry ${alias}#${n}`,
          expected: `an entry, since entry ${highest} is published`,
          actual: 'none',
        },
        `restore ${this.layout.aliasEntry(project, alias, n)} from a copy of the registry; until then the alias does not move, so no entry number is used twice`,
      );
    }
  }

  async latest(project: ProjectName, alias: string): Promise<number> {
    let hint = 0;
    try {
      hint = Number.parseInt(await readFile(this.layout.aliasHint(project, alias), 'utf8'), 10);
    } catch {
      // Missing or unreadable: the search starts from nothing and is still correct.
    }
    return highestPublished((n) => exists(this.layout.aliasEntry(project, alias, n)), hint);
  }

  async read(project: ProjectName, alias: string, entry: number): Promise<Uint8Array> {
    try {
      return await readFile(this.layout.aliasEntry(project, alias, entry));
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR'))
        throw new NotFoundError(
          { what: 'alias', project, name: `${alias}#${entry}` },
          'run `statekeep alias history` to see its entries',
          { cause: error },
        );
      throw error;
    }
  }

  /** Aliases with a first entry; a directory a crashed first writer left empty is not one. */
  async list(project: ProjectName): Promise<string[]> {
    const names = await listDir(this.layout.aliases(project));
    const set = await Promise.all(names.map((name) => exists(this.layout.aliasEntry(project, name, 1))));
    return names.filter((_, i) => set[i]);
  }
}
