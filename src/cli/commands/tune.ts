import type { GenerationManifest } from '../../registry/manifest.js';
import { UsageError } from '../../registry/errors/index.js';
import { prepareRun } from '../run-project.js';
import type { RegisterVerb } from '../verb.js';
import { reportGeneration } from './train.js';

export const registerTune: RegisterVerb = (program, action) => {
  program
    .command('tune')
    .description(
      "search the project's hyper-parameter space on a holdout split, retrain the best candidate on all rows, and commit it",
    )
    .argument('<project>', 'a registered project name, or a project directory')
    .option('--release <version>', 'release to tune (default: the latest)')
    .requiredOption('--data <file>', 'data: .csv with a header row, or .jsonl')
    .option('--trials <n>', 'candidates to try (random search)')
    .option('--strategy <name>', "grid or random (default: the project's)")
    .option('--seed <n>', 'seed of the holdout split and random search')
    .action(
      action(
        async (
          ctx,
          ref: string,
          options: { release?: string; data: string; trials?: string; strategy?: string; seed?: string },
        ) => {
          // Options are checked before the project is resolved, which may publish its release.
          const strategy = options.strategy;
          if (strategy !== undefined && strategy !== 'grid' && strategy !== 'random') {
            throw new UsageError(
              `unknown search strategy ${JSON.stringify(strategy)}`,
              'use --strategy grid or --strategy random',
              { argument: '--strategy' },
            );
          }
          const trials = options.trials === undefined ? undefined : whole('--trials', options.trials, 1);
          const seed = options.seed === undefined ? undefined : whole('--seed', options.seed, 0);
          const run = await prepareRun(ctx, ref, options.release, options.data, 'tune');
          let manifest: GenerationManifest;
          try {
            manifest = await run.runtime.tune({
              project: run.project,
              data: run.data,
              ...(strategy !== undefined && { strategy }),
              ...(trials !== undefined && { trials }),
              ...(seed !== undefined && { seed }),
              onProgress: run.onProgress,
            });
          } finally {
            run.done();
          }
          reportGeneration(ctx, manifest);
        },
      ),
    );
};

function whole(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not a whole number from ${min} up`,
      `pass ${flag} as a whole number, e.g. ${flag} 20`,
      { argument: flag },
    );
  }
  return value;
}
