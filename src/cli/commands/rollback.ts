import type { RegisterVerb } from '../verb.js';

export const registerRollback: RegisterVerb = (program, action) => {
  program
    .command('rollback')
    .description('create a new generation holding the states of generation N, and print its number')
    .argument('<project>', 'project name')
    .argument('<release>', 'release version')
    .requiredOption('--to <generation>', 'the generation whose states to reinstate')
    .action(
      action(async (ctx, project: string, release: string, options: { to: string }) => {
        const manifest = await (await ctx.registry()).rollback(project, release, options.to);
        if (ctx.json) return ctx.out.json(manifest);
        ctx.out.line(String(manifest.generation));
        ctx.err.line(
          `${manifest.project} ${manifest.release}: generation ${manifest.generation} holds the states of generation ${manifest.rollbackOf}`,
        );
      }),
    );
};
