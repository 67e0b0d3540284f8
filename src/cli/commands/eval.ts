import type { CrossValidation, Evaluation } from '../../pipeline/evaluate.js';
import { UsageError } from '../../registry/errors/index.js';
import { TOKENS } from '../../platform/tokens.js';
import type { ProjectSource } from '../../release/project-source.js';
import { isAliasRef, resolveGenerationRef } from '../alias-ref.js';
import { prepareRun } from '../run-project.js';
import type { RegisterVerb } from '../verb.js';

export const registerEval: RegisterVerb = (program, action) => {
  program
    .command('eval')
    .description(
      "score a generation (default: the latest) on labelled data with the project's metric, or cross-validate the pipeline with --folds; nothing is trained into the registry or committed",
    )
    .argument('<project>', 'a registered project name, or a project directory')
    .argument('[release]', 'release version, or @ALIAS (default: the latest)')
    .argument('[generation]', 'generation number (default: the latest)')
    .requiredOption('--data <file>', 'labelled rows: .csv with a header row, or .jsonl, with the label column')
    .option(
      '--folds <k>',
      "K-fold cross-validation of the project's pipeline: fresh actors per fold, with the generation's hyper-parameters",
    )
    .option('--seed <n>', 'seed of the fold shuffle (with --folds)')
    .action(
      action(
        async (
          ctx,
          ref: string,
          release: string | undefined,
          generation: string | undefined,
          options: { data: string; folds?: string; seed?: string },
        ) => {
          const folds = options.folds === undefined ? undefined : whole('--folds', options.folds, 2);
          const seed = options.seed === undefined ? undefined : whole('--seed', options.seed, 0);
          if (seed !== undefined && folds === undefined)
            throw new UsageError('--seed shuffles the folds of --folds', 'add --folds K, or leave out --seed', {
              argument: '--seed',
            });
          if (isAliasRef(release)) {
            const project = await (await ctx.resolve<ProjectSource>(TOKENS.ProjectSource)).projectOf(ref);
            ({ release, generation } = await resolveGenerationRef(await ctx.registry(), project, release, generation));
          }
          // A directory's code is run, never published: an evaluation writes nothing.
          const run = await prepareRun(ctx, ref, release, options.data, 'train', false);
          let result: Evaluation | CrossValidation;
          try {
            result =
              folds === undefined
                ? await run.runtime.evaluate({
                    project: run.project,
                    data: run.data,
                    ...(generation !== undefined && { generation }),
                    onProgress: run.onProgress,
                  })
                : await run.runtime.crossValidate({
                    project: run.project,
                    data: run.data,
                    folds,
                    ...(seed !== undefined && { seed }),
                    ...(generation !== undefined && { generation }),
                    onProgress: run.onProgress,
                  });
          } finally {
            run.done();
          }
          const name = `${run.project.name} ${run.project.release}`;
          if ('manifest' in result) {
            const m = result.manifest;
            if (ctx.json)
              return ctx.out.json({
                project: m.project,
                release: m.release,
                generation: m.generation,
                metric: result.metric.name,
                direction: result.metric.direction,
                score: result.score,
                rows: result.rows,
              });
            ctx.out.line(String(result.score));
            return ctx.err.line(
              `${m.project} ${m.release}: generation ${m.generation} scored ${result.metric.name} ${result.score} on ${result.rows} rows`,
            );
          }
          if (ctx.json)
            return ctx.out.json({
              project: run.project.name,
              release: run.project.release,
              metric: result.metric.name,
              direction: result.metric.direction,
              folds: result.folds,
              mean: result.mean,
              std: result.std,
              min: result.min,
              max: result.max,
              rows: result.rows,
              seed: result.seed,
              params: result.params,
              paramsFrom: result.paramsFrom,
            });
          ctx.out.line(`${result.mean} ${result.std}`);
          const from =
            result.paramsFrom === null
              ? 'default parameters'
              : `the parameters of generation ${result.paramsFrom.generation}`;
          ctx.err.line(
            `${name}: ${result.metric.name} ${result.mean.toPrecision(4)} ± ${result.std.toPrecision(2)} (mean ± sd of ${result.folds.length} folds, ${result.min.toPrecision(4)} to ${result.max.toPrecision(4)}) on ${result.rows} rows, ${from}; nothing committed`,
          );
        },
      ),
    );
};

function whole(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < min) {
    throw new UsageError(
      `${flag} ${JSON.stringify(text)} is not a whole number from ${min} up`,
      `pass ${flag} as a whole number, e.g. ${flag} 5`,
      { argument: flag },
    );
  }
  return value;
}
