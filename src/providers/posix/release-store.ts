import { readFile } from 'node:fs/promises';
import { AlreadyExistsError, NotFoundError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import type { ReleaseVersion } from '../../registry/versions.js';
import { makeDirs, publishNew } from './durable-write.js';
import { exists, listDir } from './file-reads.js';
import { isErrno } from './fs-errors.js';
import type { Layout } from './layout.js';

/**
 * Projects and their releases. A release directory is only a place; the release exists once its
 * record is published in it, so a writer that crashed after mkdir leaves nothing visible, and a
 * later writer of the same version simply reuses the directory.
 */
export class ReleaseStore {
  constructor(private readonly layout: Layout) {}

  // Temp files never live at these levels: only directories and release records do.
  async listProjects(): Promise<string[]> {
    const names = await listDir(this.layout.projects);
    const held = await Promise.all(names.map(async (name) => (await this.listReleases(name)).length > 0));
    return names.filter((_, i) => held[i]);
  }

  async listReleases(project: ProjectName | string): Promise<string[]> {
    const names = await listDir(this.layout.releases(project));
    const published = await Promise.all(names.map((name) => exists(this.layout.releaseRecord(project, name))));
    return names.filter((_, i) => published[i]);
  }

  async read(project: ProjectName, version: ReleaseVersion): Promise<Uint8Array> {
    try {
      return await readFile(this.layout.releaseRecord(project, version));
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) throw releaseNotFound(project, version, error);
      throw error;
    }
  }

  /** Whether the release exists, without reading its record. */
  has(project: ProjectName, version: ReleaseVersion): Promise<boolean> {
    return exists(this.layout.releaseRecord(project, version));
  }

  /**
   * The generations directory is made before the record is published, so a visible release
   * always has one; the record's exclusive publish is what makes two creators of one version
   * get one success and one AlreadyExistsError.
   */
  async write(project: ProjectName, version: ReleaseVersion, record: Uint8Array): Promise<void> {
    await makeDirs(this.layout.generations(project, version));
    if (!(await publishNew(this.layout.releaseRecord(project, version), record))) {
      throw new AlreadyExistsError(
        { what: 'release', project, release: version },
        'releases are immutable; bump the version',
      );
    }
  }
}

export function releaseNotFound(project: ProjectName, version: ReleaseVersion, cause?: unknown): NotFoundError {
  return new NotFoundError({ what: 'release', project, release: version }, 'publish the release first', { cause });
}
