import { Option } from 'commander';
import { NOTHING_NEW } from '../../pipeline/training-rows.js';
import { hasCode, type StatekeepError } from '../../registry/errors/index.js';
import type { GenerationManifest } from '../../registry/manifest.js';
import type { VerbContext } from '../context.js';
import { formatMetrics } from '../output.js';
import { prepareRun } from '../run-project.js';
import type { RegisterVerb } from '../verb.js';

export const registerTrain: RegisterVerb = (program, action) => {
  program
    .command('train')
    .description('train the pipeline, warm-started from the latest generation, and commit a new generation')
    .argument('<project>', 'a registered project name, or a project directory')
    .option('--release <version>', 'release to train (default: the latest)')
    .requiredOption('--data <file>', 'training data: .csv with a header row, or .jsonl')
    .addOption(
      new Option('--fresh', 'start from untrained actors instead of the latest generation').conflicts('sinceLast'),
    )
    .option(
      '--since-last',
      "train only the rows after the latest generation's upper ordinal; with none, say so, commit nothing and exit 0",
    )
    .action(
      action(
        async (ctx, ref: string, options: { release?: string; data: string; fresh?: boolean; sinceLast?: boolean }) => {
          const run = await prepareRun(ctx, ref, options.release, options.data, 'train');
          let manifest: GenerationManifest;
          try {
            manifest = await run.runtime.train({
              project: run.project,
              data: run.data,
              fresh: options.fresh === true,
              sinceLast: options.sinceLast === true,
              onProgress: run.onProgress,
            });
          } catch (error) {
            // No newer rows is the normal case of a scheduled --since-last, not a failure.
            if (hasCode(error, 'BAD_DATA') && error.data.reason === NOTHING_NEW) {
              run.done();
              return reportNothingNew(ctx, run.project.name, run.project.release, error);
            }
            throw error;
          } finally {
            run.done();
          }
          reportGeneration(ctx, manifest);
        },
      ),
    );
};

/**
 * Prints that --since-last found nothing to train on: stdout stays empty (where a commit prints
 * its number), so a scheduled job tells the two apart with exit status 0 either way; --json
 * prints {committed: false, reason: "nothing-new", latest}.
 */
function reportNothingNew(ctx: VerbContext, project: string, release: string, error: StatekeepError): void {
  const { latest, upper } = error.data;
  if (ctx.json) return ctx.out.json({ project, release, committed: false, reason: NOTHING_NEW, latest });
  ctx.err.line(
    `${project} ${release}: ${ctx.err.yellow('nothing to do')}: no rows after ${JSON.stringify(upper)}, where generation ${String(latest)} ended; nothing committed`,
  );
}

/** Prints a committed generation: its number on stdout (the manifest with --json), a summary on stderr. */
export function reportGeneration(ctx: VerbContext, m: GenerationManifest): void {
  if (ctx.json) return ctx.out.json(m);
  ctx.out.line(String(m.generation));
  const parent = m.parent === null ? 'fresh' : `from generation ${m.parent}`;
  const rows = m.training === null ? '' : `, ${m.training.rows} rows`;
  const metrics = formatMetrics(m.metrics);
  const tuning =
    m.tuning === null || m.mode !== 'tune'
      ? ''
      : `, best of ${m.tuning.trials} trials ${JSON.stringify(m.tuning.params)}`;
  ctx.err.line(
    `${m.project} ${m.release}: generation ${m.generation} (${m.mode}, ${parent}${rows}${tuning})${metrics === '-' ? '' : `: ${metrics}`}`,
  );
}
