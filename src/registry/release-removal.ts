import type { AliasEntry } from './aliases.js';
import { InUseError, UnsupportedError } from './errors/index.js';
import type { ProjectName } from './names.js';
import type { Provider } from './spi.js';
import type { ReleaseVersion } from './versions.js';

/**
 * Removes a release through the provider after the checks that keep a registry whole:
 *   - no alias may point into it (IN_USE naming the alias): an alias must always resolve;
 *   - it may not be the project's newest release (IN_USE): a removed version is then always
 *     older than a release that exists, so the release order refuses to publish it again and its
 *     generation numbers are never handed out a second time, with nothing extra stored.
 * Its blobs stay until the next gc, which finds them unreferenced.
 */
export async function removeReleaseChecked(
  provider: Provider,
  p: ProjectName,
  v: ReleaseVersion,
  versions: readonly ReleaseVersion[],
  aliases: readonly AliasEntry[],
): Promise<void> {
  if (!provider.deleteRelease) {
    throw new UnsupportedError(
      { provider: provider.descriptor.name, operation: 'removing releases (deleteRelease)' },
      'use a provider that offers the lifecycle methods',
    );
  }
  const holding = aliases.find((entry) => entry.to?.release === v);
  if (holding?.to) {
    throw new InUseError(
      { what: 'release', project: p, release: v, by: `alias ${holding.alias} (${p} ${v} #${holding.to.generation})` },
      `move the alias first: \`statekeep alias set ${p} ${holding.alias} RELEASE GENERATION\` or \`statekeep alias rm ${p} ${holding.alias}\``,
    );
  }
  if (versions.at(-1) === v) {
    throw new InUseError(
      { what: 'release', project: p, release: v, by: "being the project's newest release" },
      'publish a newer release first: the newest one stays, so that no version or generation number is ever used twice',
    );
  }
  await provider.deleteRelease(p, v);
}
