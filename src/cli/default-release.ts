import { NotFoundError } from '../registry/errors/index.js';
import type { Registry } from '../registry/registry.js';

/** The release a verb uses when none is named: the newest by semver, as apply and train take. */
export async function newestRelease(registry: Registry, project: string): Promise<string> {
  const newest = await registry.latestRelease(project);
  if (newest === null)
    throw new NotFoundError(
      { what: 'project', project },
      'run `statekeep list` to see the projects, or publish a release with `statekeep release`',
    );
  return newest;
}
