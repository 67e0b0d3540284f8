import type { Command } from 'commander';
import { UsageError } from '../../registry/errors/index.js';
import type { ActionWrapper } from '../verb.js';

/** `statekeep release rm PROJECT VERSION --yes`: a subcommand of `release`. */
export function registerReleaseRm(release: Command, action: ActionWrapper): void {
  release
    .command('rm')
    .description(
      'remove a release: its record, generations and tombstones (its blobs go at the next gc); refused while an alias points into it, and for the newest release',
    )
    .argument('<project>', 'project name')
    .argument('<version>', 'release version')
    .option('--yes', 'really remove it (without it, nothing is removed)')
    .action(
      action(async (ctx, project: string, version: string, options: { yes?: boolean }) => {
        const registry = await ctx.registry();
        if (options.yes !== true) {
          const generations = await registry.generations(project, version);
          throw new UsageError(
            `release rm would remove ${project} ${version} with its ${generations.length} generation${generations.length === 1 ? '' : 's'}; nothing removed`,
            `run it again with --yes to remove it`,
            { argument: '--yes' },
          );
        }
        const generations = await registry.generations(project, version);
        await registry.removeRelease(project, version);
        if (ctx.json) return ctx.out.json({ project, version, removed: true, generations: generations.length });
        ctx.out.line(
          `removed ${project} ${version} and its ${generations.length} generation${generations.length === 1 ? '' : 's'} from ${registry.descriptor.target}; run \`statekeep gc\` to free its blobs`,
        );
      }),
    );
}
