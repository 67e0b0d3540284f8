import { readFile } from 'node:fs/promises';
import { NotFoundError } from '../../registry/errors/index.js';
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
 */
export class GenerationStore {
  constructor(private readonly layout: Layout) {}

  async list(project: ProjectName, version: ReleaseVersion): Promise<GenerationNumber[]> {
    const names = await listDir(this.layout.generations(project, version));
    return names.map(manifestNumber).filter((n): n is number => n !== null) as GenerationNumber[];
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
    return highestPublished((n) => exists(this.layout.manifest(project, version, n)), hint);
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
    let candidate = (await this.latest(project, version)) + 1;
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
