import { UsageError } from '../../registry/errors/index.js';
import { formatBytes } from '../output.js';
import type { RegisterVerb } from '../verb.js';

export const registerCleanup: RegisterVerb = (program, action) => {
  program
    .command('cleanup')
    .description('remove what crashed writers left behind in the registry, and print how much')
    .option('--older-than <minutes>', 'keep leftovers younger than this; they may belong to a running writer', '15')
    .action(
      action(async (ctx, options: { olderThan: string }) => {
        const minutes = Number(options.olderThan);
        if (options.olderThan.trim() === '' || !Number.isFinite(minutes) || minutes < 0) {
          throw new UsageError(
            `--older-than ${JSON.stringify(options.olderThan)} is not a number of minutes`,
            'give a number of minutes, such as 15 or 0',
            { argument: '--older-than' },
          );
        }
        const registry = await ctx.registry();
        const report = await registry.cleanup({ olderThanMs: minutes * 60_000 });
        const platform = await ctx.platform();
        if (ctx.json)
          return ctx.out.json({ registry: platform.registry.default, removed: report.removed, bytes: report.bytes });
        ctx.out.line(
          `removed ${report.removed} leftover${report.removed === 1 ? '' : 's'} (${formatBytes(report.bytes)}) from ${registry.descriptor.target}`,
        );
      }),
    );
};
