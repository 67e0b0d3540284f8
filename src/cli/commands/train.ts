import { Option } from 'commander';
import { NOTHING_NEW } from '../../pipeline/training-rows.js';
import { hasCode, UsageError, type StatekeepError } from '../../registry/errors/index.js';
import { parentRef, type GenerationManifest } from '../../registry/manifest.js';
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
    .addOption(
      new Option(
        '--from <release[/generation]>',
        "warm-start from another release's generation (default: its latest) instead of this release's latest",
      ).conflicts('fresh'),
    )
    .action(
      action(
        async (
          ctx,
          ref: string,
          options: { release?: string; data: string; fresh?: boolean; sinceLast?: boolean; from?: string },
        ) => {
          const from = options.from === undefined ? undefined : parseFrom(options.from);
          const run = await prepareRun(ctx, ref, options.release, options.data, 'train');
          let manifest: GenerationManifest;
          try {
            manifest = await run.runtime.train({
              project: run.project,
              data: run.data,
              fresh: options.fresh === true,
              sinceLast: options.sinceLast === true,
              ...(from === undefined ? {} : { from }),
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

/** RELEASE or RELEASE/GENERATION. */
function parseFrom(text: string): { release: string; generation?: string } {
  const [release, generation, ...rest] = text.split('/');
  if (release === undefined || release === '' || generation === '' || rest.length > 0)
    throw new UsageError(
      `--from ${JSON.stringify(text)} is not RELEASE or RELEASE/GENERATION`,
      'pass --from 1.0.0 (its latest generation) or --from 1.0.0/3',
      { argument: '--from' },
    );
  return generation === undefined ? { release } : { release, generation };
}

/** Where a train generation started: fresh, or what its warm start did with the parent's states. */
function describeStart(m: GenerationManifest): string {
  const ref = parentRef(m);
  if (ref === null) return 'fresh';
  const from = `${ref.release === m.release ? '' : `release ${ref.release} `}generation ${ref.generation}`;
  if (m.mode !== 'train' || m.warmStart === undefined) return `from ${from}`;
  const starts = Object.entries(m.warmStart);
  const retrained = starts.filter(([, s]) => s.start === 'retrained');
  const untrained = starts.filter(([, s]) => s.start === 'untrained');
  const continued = starts.length - retrained.length - untrained.length;
  if (continued === 0 && untrained.length === 0)
    return `retrained from scratch on ${retrained[0]![1].training?.rows ?? '?'} rows (its actors cannot continue from ${from})`;
  const notes = [
    ...(retrained.length > 0
      ? [
          `${retrained.map(([a]) => a).join(', ')} retrained from scratch on ${retrained[0]![1].training?.rows ?? '?'} rows`,
        ]
      : []),
    ...(untrained.length > 0 ? [`${untrained.map(([a]) => a).join(', ')} trained from scratch`] : []),
  ];
  return `warm start from ${from}${notes.map((n) => `; ${n}`).join('')}`;
}

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
  const parent = describeStart(m);
  const rows = m.training === null ? '' : `, ${m.training.rows} rows`;
  const metrics = formatMetrics(m.metrics);
  const tuning =
    m.tuning === null || m.mode !== 'tune'
      ? ''
      : `, best of ${m.tuning.trials} trials ${JSON.stringify(m.tuning.params)}${m.tuning.failed?.length ? `, ${m.tuning.failed.length} failed` : ''}`;
  ctx.err.line(
    `${m.project} ${m.release}: generation ${m.generation} (${m.mode}, ${parent}${rows}${tuning})${metrics === '-' ? '' : `: ${metrics}`}`,
  );
}
