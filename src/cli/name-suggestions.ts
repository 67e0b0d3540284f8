import { nearest } from '../platform/suggest.js';
import { hasCode, NotFoundError } from '../registry/errors/index.js';
import type { Registry } from '../registry/registry.js';
import type { VerbContext } from './context.js';

/**
 * A NOT_FOUND project, release or alias again, with "did you mean …?" as its hint when the
 * registry holds a near name (data.suggestion names it); any other error, or one with no near
 * name, as it was. Looking up the names must never hide the error: if it fails, the error stays.
 */
export async function withNameSuggestion(error: unknown, ctx: VerbContext): Promise<unknown> {
  if (!hasCode(error, 'NOT_FOUND')) return error;
  const data = error.data as Record<string, unknown>;
  // Only these name things a registry lists; a missing file or registry instance opens none.
  if (!NAMED.has(String(data.what))) return error;
  try {
    const found = await suggestion(data, await ctx.registry());
    if (found === undefined) return error;
    return new NotFoundError(
      { ...(error.data as ConstructorParameters<typeof NotFoundError>[0]), suggestion: found.name },
      `did you mean ${found.text}? ${error.hint}`,
      { cause: error },
    );
  } catch {
    return error;
  }
}

const NAMED: ReadonlySet<string> = new Set(['project', 'release', 'alias']);

async function suggestion(
  data: Record<string, unknown>,
  registry: Registry,
): Promise<{ name: string; text: string } | undefined> {
  const project = typeof data.project === 'string' ? data.project : undefined;
  if (project === undefined) return undefined;
  let name: string | undefined;
  switch (data.what) {
    case 'project':
      name = nearest(project, await registry.projects());
      return name === undefined ? undefined : { name, text: JSON.stringify(name) };
    case 'release': {
      if (typeof data.release !== 'string') return undefined;
      name = nearest(data.release, await registry.releaseVersions(project));
      return name === undefined ? undefined : { name, text: `release ${name}` };
    }
    case 'alias': {
      if (typeof data.name !== 'string') return undefined;
      name = nearest(
        data.name,
        (await registry.aliases(project)).map((a) => a.alias),
      );
      return name === undefined ? undefined : { name, text: `@${name}` };
    }
    default:
      return undefined;
  }
}
