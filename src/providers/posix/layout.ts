import { join } from 'node:path';
import { digestHex, type Digest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import type { GenerationNumber, ReleaseVersion } from '../../registry/versions.js';

/**
 * The on-disk format this provider writes and reads. It is recorded in the root's marker and
 * names the data directory (`v1/`), so a later format can be written beside this one instead of
 * rewriting it in place.
 */
export const POSIX_FORMAT = 1;

/** The format marker's name at the root. Its presence is what makes a directory a registry. */
export const MARKER_NAME = 'statekeep-registry.json';

const RELEASE_RECORD = 'release.json';
// Not a `<n>.json` name, so listings never take the hint for a manifest.
const LATEST_HINT = 'latest.hint';
const ALIAS_HINT = 'head.hint';
const MANIFEST_NAME = /^([1-9][0-9]{0,9})\.json$/;

/**
 * Every path of a registry, computed in one place so that the provider, the cleanup walk and the
 * tests cannot disagree about where anything lives:
 *
 *     <root>/statekeep-registry.json                        format marker {"format":1}
 *     <root>/v1/projects/<project>/blobs/sha256/<2>/<62>      content-addressed blobs
 *     <root>/v1/projects/<project>/releases/<version>/release.json
 *     <root>/v1/projects/<project>/releases/<version>/generations/<n>.json
 *     <root>/v1/projects/<project>/releases/<version>/generations/latest.hint
 *     <root>/v1/projects/<project>/aliases/<alias>/<n>.json    alias log entry n (1, 2, 3 …)
 *     <root>/v1/projects/<project>/aliases/<alias>/head.hint
 */
export class Layout {
  constructor(readonly root: string) {}

  get marker(): string {
    return join(this.root, MARKER_NAME);
  }

  /** The directory holding everything written in POSIX_FORMAT. */
  get data(): string {
    return join(this.root, `v${POSIX_FORMAT}`);
  }

  get projects(): string {
    return join(this.data, 'projects');
  }

  project(project: ProjectName | string): string {
    return join(this.projects, project);
  }

  /** Where a project's blob shards live. */
  blobRoot(project: ProjectName | string): string {
    return join(this.project(project), 'blobs', 'sha256');
  }

  /** Blobs are shared by every release of a project, so an unchanged state is stored once. */
  blobShard(project: ProjectName | string, digest: Digest): string {
    return join(this.project(project), 'blobs', 'sha256', digestHex(digest).slice(0, 2));
  }

  blob(project: ProjectName | string, digest: Digest): string {
    return join(this.blobShard(project, digest), digestHex(digest).slice(2));
  }

  releases(project: ProjectName | string): string {
    return join(this.project(project), 'releases');
  }

  release(project: ProjectName | string, version: ReleaseVersion | string): string {
    return join(this.releases(project), version);
  }

  /** The release's record; its presence is what makes the release visible. */
  releaseRecord(project: ProjectName | string, version: ReleaseVersion | string): string {
    return join(this.release(project, version), RELEASE_RECORD);
  }

  generations(project: ProjectName, version: ReleaseVersion): string {
    return join(this.release(project, version), 'generations');
  }

  manifest(project: ProjectName, version: ReleaseVersion, generation: GenerationNumber | number): string {
    return join(this.generations(project, version), `${generation}.json`);
  }

  latestHint(project: ProjectName, version: ReleaseVersion): string {
    return join(this.generations(project, version), LATEST_HINT);
  }

  aliases(project: ProjectName | string): string {
    return join(this.project(project), 'aliases');
  }

  /** An alias's log: one `<n>.json` per move, numbered like generations. */
  aliasLog(project: ProjectName | string, alias: string): string {
    return join(this.aliases(project), alias);
  }

  aliasEntry(project: ProjectName | string, alias: string, entry: number): string {
    return join(this.aliasLog(project, alias), `${entry}.json`);
  }

  aliasHint(project: ProjectName | string, alias: string): string {
    return join(this.aliasLog(project, alias), ALIAS_HINT);
  }
}

/** The generation number a file name in a generations directory publishes, or null. */
export function manifestNumber(name: string): number | null {
  const match = MANIFEST_NAME.exec(name);
  return match === null ? null : Number(match[1]);
}
