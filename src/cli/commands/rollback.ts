import { UsageError } from '../../registry/errors/index.js';
import type { Registry } from '../../registry/registry.js';
import { isAliasRef } from '../alias-ref.js';
import type { RegisterVerb } from '../verb.js';
import { newestRelease } from '../default-release.js';

export const registerRollback: RegisterVerb = (program, action) => {
  program
    .command('rollback')
    .description('create a new generation holding the states of generation N, and print its number')
    .argument('<project>', 'project name')
    .argument('[release]', "release version (default: @ALIAS's release, else the newest release)")
    .requiredOption('--to <generation>', 'the generation whose states to reinstate, or @ALIAS')
    .action(
      action(async (ctx, project: string, named: string | undefined, options: { to: string }) => {
        const registry = await ctx.registry();
        const release = named ?? (await defaultRelease(registry, project, options.to));
        const manifest = await registry.rollback(
          project,
          release,
          await rollbackTarget(registry, project, release, options.to),
        );
        if (ctx.json) return ctx.out.json(manifest);
        ctx.out.line(String(manifest.generation));
        ctx.err.line(
          `${manifest.project} ${manifest.release}: generation ${manifest.generation} holds the states of generation ${manifest.rollbackOf}`,
        );
      }),
    );
};

/** Without a release: the one --to @ALIAS points into, or else the newest. */
async function defaultRelease(registry: Registry, project: string, to: string): Promise<string> {
  if (isAliasRef(to)) return (await registry.resolveAlias(project, to.slice(1))).release;
  return newestRelease(registry, project);
}

/** The generation number --to names; an @ALIAS must point into the release being rolled back. */
async function rollbackTarget(registry: Registry, project: string, release: string, to: string): Promise<string> {
  if (!isAliasRef(to)) return to;
  const target = await registry.resolveAlias(project, to.slice(1));
  if (target.release !== release)
    throw new UsageError(
      `${to} points at ${target.release} #${target.generation}, not into release ${release}`,
      `roll back ${project} ${target.release}, or apply ${to} directly`,
      { argument: '--to' },
    );
  return String(target.generation);
}
