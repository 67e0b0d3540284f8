import { UsageError } from '../../registry/errors/index.js';
import type { GcReport } from '../../registry/gc.js';
import type { ProjectName } from '../../registry/names.js';
import { formatDuration, parseDuration } from '../../registry/retention.js';
import type { RegistryCatalog } from '../../platform/registry-catalog.js';
import { TOKENS } from '../../platform/tokens.js';
import type { VerbContext } from '../context.js';
import { formatBytes } from '../output.js';
import type { RegisterVerb } from '../verb.js';

export const registerGc: RegisterVerb = (program, action) => {
  program
    .command('gc')
    .description(
      "prune the generations the registry's retention policy lets go, then delete the blobs nothing references any more",
    )
    .argument('[project]', 'only this project')
    .option('--dry-run', 'print what would be pruned and freed, and change nothing')
    .option(
      '--grace <duration>',
      'leave blobs written within this long alone (default: the retention block, else 1h); never less than the writers keep to',
    )
    .action(
      action(async (ctx, project: string | undefined, options: { dryRun?: boolean; grace?: string }) => {
        const graceMs = options.grace === undefined ? undefined : graceOf(options.grace);
        const registry = await ctx.registry();
        const instance = (await ctx.platform()).registry.default;
        const retention = (await ctx.resolve<RegistryCatalog>(TOKENS.Registries)).retention(instance);
        const report = await registry.gc({
          ...(project === undefined ? {} : { project: project as ProjectName }),
          dryRun: options.dryRun === true,
          ...(graceMs === undefined ? {} : { graceMs }),
          policyFor: (p) => retention.policyFor(p),
        });
        if (ctx.json) return ctx.out.json({ registry: instance, ...report });
        printReport(ctx, report, registry.descriptor.target);
      }),
    );
};

function graceOf(text: string): number {
  const ms = parseDuration(text);
  if (ms === null)
    throw new UsageError(
      `--grace ${JSON.stringify(text)} is not a duration`,
      'give a whole number and a unit (ms, s, m, h, d, w), such as 10m or 1h',
      { argument: '--grace' },
    );
  return ms;
}

function printReport(ctx: VerbContext, report: GcReport, target: string): void {
  const would = report.dryRun ? 'would prune' : 'pruned';
  for (const p of report.pruned)
    ctx.out.line(`${would} ${p.project} ${p.release} #${p.generation} (${p.policy}; ${p.source})`);
  for (const s of report.skipped) ctx.err.line(`skipped ${s.project}: ${s.reason}`);
  const n = report.pruned.length;
  const blobs = `${report.blobsDeleted} blob${report.blobsDeleted === 1 ? '' : 's'}`;
  ctx.out.line(
    report.dryRun
      ? `dry run: would prune ${n} generation${n === 1 ? '' : 's'} and delete ${blobs} (${formatBytes(report.bytesFreed)}) in ${target}; nothing changed`
      : `pruned ${n} generation${n === 1 ? '' : 's'}, deleted ${blobs} (${formatBytes(report.bytesFreed)} freed) in ${target}`,
  );
  if (report.blobsRecent > 0)
    ctx.err.line(
      `${report.blobsRecent} unreferenced blob${report.blobsRecent === 1 ? '' : 's'} written within the last ${formatDuration(report.graceMs)} left for a later gc`,
    );
  if (report.blobsUnswept > 0)
    ctx.err.line(
      `${report.blobsUnswept} unreferenced blob${report.blobsUnswept === 1 ? '' : 's'} left: this registry cannot delete blobs`,
    );
}
