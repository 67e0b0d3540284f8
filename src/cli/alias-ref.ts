import type { AliasTarget } from '../registry/aliases.js';
import { UsageError } from '../registry/errors/index.js';
import type { Registry } from '../registry/registry.js';

/** Whether a RELEASE or GENERATION argument names an alias instead: `@production`. */
export function isAliasRef(value: string | undefined): value is string {
  return value?.startsWith('@') === true;
}

/**
 * Resolves a RELEASE [GENERATION] pair where RELEASE may be `@ALIAS`: the alias's release and
 * generation, or the pair as given. An alias already names the generation, so both is a usage error.
 */
export async function resolveGenerationRef(
  registry: Registry,
  project: string,
  release: string | undefined,
  generation: string | undefined,
): Promise<{ release: string | undefined; generation: string | undefined; alias?: AliasTarget }> {
  if (!isAliasRef(release)) return { release, generation };
  if (generation !== undefined)
    throw new UsageError(
      `${release} names a generation already; drop the generation ${generation}`,
      `give either RELEASE GENERATION or @ALIAS`,
      { argument: 'generation' },
    );
  const alias = await registry.resolveAlias(project, release.slice(1));
  return { release: alias.release, generation: String(alias.generation), alias };
}
