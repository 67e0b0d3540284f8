import type { RegistryCatalog } from '../../platform/registry-catalog.js';
import { TOKENS } from '../../platform/tokens.js';
import { copyRegistry, type CopyReport, type CopyTally, type ReleaseCopy } from '../../registry/copy.js';
import { UsageError } from '../../registry/errors/index.js';
import type { VerbContext } from '../context.js';
import { formatBytes } from '../output.js';
import type { RegisterVerb } from '../verb.js';

interface CopyFlags {
  from: string;
  to: string;
  append?: boolean;
}

export const registerCopy: RegisterVerb = (program, action) => {
  program
    .command('copy')
    .description(
      'copy releases, generations and aliases from one registry instance to another, verified; a rerun copies only what is missing',
    )
    .requiredOption('--from <instance>', 'registry instance to copy from (platform.yaml)')
    .requiredOption('--to <instance>', 'registry instance to copy into')
    .argument('[project]', 'copy only this project')
    .argument('[release]', 'copy only this release of the project')
    .option('--append', 'copy into releases that hold generations of their own, after them, with fresh numbers')
    .action(
      action(async (ctx, project: string | undefined, release: string | undefined, flags: CopyFlags) => {
        if (flags.from === flags.to)
          throw new UsageError(
            `--from and --to both name registry instance ${flags.from}`,
            'copy between two different instances of platform.yaml',
            { argument: 'to' },
          );
        const catalog = await ctx.resolve<RegistryCatalog>(TOKENS.Registries);
        const [from, to] = await Promise.all([catalog.get(flags.from), catalog.get(flags.to)]);
        const report = await copyRegistry(
          { registry: from, name: flags.from },
          { registry: to, name: flags.to },
          { ...(project !== undefined && { project }), ...(release !== undefined && { release }) },
          { append: flags.append === true },
        );
        if (ctx.json) return ctx.out.json(report);
        printReport(ctx, report);
      }),
    );
};

function printReport(ctx: VerbContext, report: CopyReport): void {
  ctx.out.line(`${report.from.registry} (${report.from.source}) → ${report.to.registry} (${report.to.target})`);
  for (const r of report.releases) ctx.out.line(`  ${r.project} ${r.release}: ${releaseLine(r)}`);
  for (const a of report.aliases) {
    const what =
      a.skipped !== null
        ? `not copied: ${a.skipped}`
        : a.moved
          ? 'has a history of its own; moved to where the source alias points'
          : `${count(a.copied, 'entry', 'entries')} copied, ${a.present} already there`;
    ctx.out.line(`  ${a.project} alias ${a.alias}: ${what}`);
  }
  for (const r of report.releases)
    for (const g of r.renumbered)
      ctx.out.line(
        `  note: ${r.project} ${r.release} generation ${g.from} became generation ${g.to}: the destination had used the numbers between (see README, Copy)`,
      );
  ctx.out.line(`copied:        ${tally(report.copied)}`);
  ctx.out.line(`already there: ${tally(report.present)}`);
}

function releaseLine(r: ReleaseCopy): string {
  const parts = [r.record === 'copied' ? 'release copied' : 'release already there'];
  if (r.copied.length > 0)
    parts.push(
      `${count(r.copied.length, 'generation')} copied (${r.copied.map((g) => (g.from === g.to ? `#${g.to}` : `#${g.from} as #${g.to}`)).join(', ')})${r.appended ? ', appended after its own' : ''}`,
    );
  if (r.tombstones.length > 0)
    parts.push(`of them tombstones of pruned generations: ${r.tombstones.map((n) => `#${n}`).join(', ')}`);
  if (r.present > 0) parts.push(`${count(r.present, 'generation')} already there`);
  if (r.copied.length === 0 && r.present === 0) parts.push('no generations');
  return parts.join(', ');
}

function tally(t: CopyTally): string {
  return [
    count(t.releases, 'release'),
    `${count(t.generations, 'generation')}${t.tombstones > 0 ? ` (${count(t.tombstones, 'tombstone')} of pruned ones)` : ''}`,
    count(t.aliasEntries, 'alias entry', 'alias entries'),
    `${count(t.blobs, 'blob')} (${formatBytes(t.bytes)})`,
  ].join(', ');
}

function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
