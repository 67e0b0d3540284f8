import { readFile } from 'node:fs/promises';
import { IntegrityError, NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import { generationNumber, type GenerationNumber, type ReleaseVersion } from '../../registry/versions.js';
import { publishNew, replaceFile } from './durable-write.js';
import { exists, listDir } from './file-reads.js';
import { isErrno } from './fs-errors.js';
import { manifestNumber, type Layout } from './layout.js';
import { highestPublished } from './latest-search.js';

/**
 * A release's generations: one manifest file per number, `<n>.json`. Numbers are allocated by
 * publishing the manifest itself with an exclusive link(2): whoever links `<n>.json` first owns
 * n, with no lock and no separate reservation that a crash could strand. A writer only ever
 * tries n after seeing n-1 published, so the published numbers are always exactly 1..L — the
 * property that lets "latest" be found by probing instead of listing.
 *
 * A manifest removed by hand or lost to a disk breaks that property, and a search that starts
 * below the hole would hand out a used number again. Every listing, every commit and a latest
 * that finds nothing therefore check that the names are exactly 1..L, and refuse (INTEGRITY,
 * naming the missing generation) otherwise. A lost newest manifest cannot be told from one never
 * written; every other loss is caught.
 */
export class GenerationStore {
  constructor(private readonly layout: Layout) {}

  /** The published numbers, ascending; IntegrityError if one below the highest is missing. */
  async list(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber[]> {
    const listed = new Set((await listDir(this.layout.generations(project, version))).map(manifestNumber));
    const highest = [...listed].reduce<number>((max, n) => (n !== null && n > max ? n : max), 0);
    for (let n = 1; n < highest; n++) {
      // readdir may miss a name created while it runs, and a writer only creates n after seeing
      // n-1: a hole that a direct look fills was a racing commit, not a loss.
      if (listed.has(n) || (await exists(this.layout.manifest(project, version, n)))) continue;
      throw new IntegrityError(
        {
          project,
          release: version,
          generation: n as GenerationNumber,
          subject: 'generation manifest',
          expected: `a manifest, since generation ${highest} is published`,
          actual: 'none',
        },
        `restore ${this.layout.manifest(project, version, n)} from a copy of the registry; until then no generation is committed to this release, so no number is used twice`,
      );
    }
    return Array.from({ length: highest }, (_, i) => (i + 1) as GenerationNumber);
  }

  async read(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber): Promise<Uint8Array> {
    try {
      return await readFile(this.layout.manifest(project, version, generation));
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) {
        throw new NotFoundError(
          { what: 'generation', project, release: version, generation },
          'list the release to see its generations',
          { cause: error },
        );
      }
      throw error;
    }
  }

  /** The highest published number, or 0. Reads the hint and probes a few names; never lists. */
  async latest(project: ProjectName, version: ReleaseVersion, from?: number): Promise<number> {
    const hint = from ?? (await this.#readHint(project, version));
    const latest = await highestPublished((n) => exists(this.layout.manifest(project, version, n)), hint);
    // Nothing at 1 is either a new release or a lost first manifest; only listing tells, and a
    // new release's directory is empty, so the look is cheap.
    if (latest === 0) await this.list(project, version);
    return latest;
  }

  /**
   * Publishes the manifest `render` makes for the first free number. Losing a race for n costs
   * one rendering and one temp file; the loser then probes forward from n, so under contention
   * it skips the numbers others took meanwhile instead of trying each in turn.
   */
  async publish(
    project: ProjectName,
    version: ReleaseVersion,
    render: (generation: GenerationNumber) => Uint8Array,
  ): Promise<GenerationNumber> {
    // The listing proves the numbers are 1..L, so a lost manifest is refused, not its number
    // reused; and it gives L, so no search is needed on top of it.
    let candidate = ((await this.list(project, version)).at(-1) ?? 0) + 1;
    for (;;) {
      const generation = generationNumber(candidate);
      if (await publishNew(this.layout.manifest(project, version, generation), render(generation))) {
        await this.#writeHint(project, version, generation);
        return generation;
      }
      // Link's EEXIST is authoritative that `candidate` is taken, even where a cached lookup (NFS)
      // still says otherwise, so the next try is never below candidate + 1.
      candidate = Math.max(candidate, await this.latest(project, version, candidate)) + 1;
    }
  }

  async #readHint(project: ProjectName, version: ReleaseVersion): Promise<number> {
    try {
      return Number.parseInt(await readFile(this.layout.latestHint(project, version), 'utf8'), 10);
    } catch {
      // Missing or unreadable: the search starts from nothing and is still correct.
      return 0;
    }
  }

  async #writeHint(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber): Promise<void> {
    try {
      // Not fsynced and not ordered with other writers: a hint lost to a crash, or overwritten by
      // a slower writer's smaller number, only makes the next search start lower.
      await replaceFile(this.layout.latestHint(project, version), new TextEncoder().encode(`${generation}\n`), {
        durable: false,
      });
    } catch {
      // The generation is already published; failing the commit over a hint would be wrong.
    }
  }
}
