import { IntegrityError } from '../../registry/errors/index.js';
import { where } from '../../registry/errors/where.js';
import type { Finding, VerifySummary } from '../../registry/verify.js';
import type { VerbContext } from '../context.js';
import { formatBytes } from '../output.js';
import type { RegisterVerb } from '../verb.js';

export const registerVerify: RegisterVerb = (program, action) => {
  program
    .command('verify')
    .description(
      're-read and hash everything stored (or one project, release or generation) and check every reference; exit 1 if anything is damaged or missing',
    )
    .argument('[project]', 'project name')
    .argument('[release]', 'release version of PROJECT')
    .argument('[generation]', 'generation number of RELEASE')
    .action(
      action(async (ctx, project: string | undefined, release: string | undefined, generation: string | undefined) => {
        const registry = await ctx.registry();
        // Findings are printed as they are found: with --json one object per line, then the summary.
        const summary = await registry.verify({ project, release, generation }, (finding) =>
          ctx.json ? ctx.out.line(JSON.stringify(finding)) : ctx.out.line(describeFinding(finding)),
        );
        if (ctx.json) ctx.out.line(JSON.stringify({ summary }));
        else printSummary(ctx, summary);
        const bad = summary.damaged + summary.missing;
        if (bad > 0)
          throw new IntegrityError(
            {
              ...(project !== undefined && { project }),
              ...(release !== undefined && { release }),
              subject: 'registry',
              expected: 'nothing damaged or missing',
              actual: `${summary.damaged} damaged, ${summary.missing} missing`,
            },
            'apply or roll back to sound generations, and restore the damaged items from a copy of the registry',
          );
      }),
    );
};

function describeFinding(f: Finding): string {
  const place = [
    where(f.place),
    f.place.alias !== undefined
      ? `alias ${f.place.alias}${f.place.entry !== undefined ? `#${f.place.entry}` : ''}`
      : '',
  ]
    .filter(Boolean)
    .join(', ');
  const detail =
    f.code === 'ORPHANED_BLOB'
      ? `${f.digest} (${formatBytes(f.size ?? 0)})`
      : f.code === 'LEFTOVERS'
        ? `${f.count} file${f.count === 1 ? '' : 's'} of crashed writers (${formatBytes(f.size ?? 0)}); \`statekeep cleanup\` removes them`
        : [f.expected !== undefined ? `expected ${f.expected}` : '', f.actual !== undefined ? `found ${f.actual}` : '']
            .filter(Boolean)
            .join(', ');
  return `${f.kind.padEnd(8)}  ${f.code}  ${place || 'registry'}: ${detail}`;
}

function printSummary(ctx: VerbContext, s: VerifySummary): void {
  const notChecked = 'not checked';
  ctx.out.table(
    [
      { header: 'checked', value: (r: VerifySummary) => String(r.checked), align: 'right' },
      { header: 'damaged', value: (r) => String(r.damaged), align: 'right' },
      { header: 'missing', value: (r) => String(r.missing), align: 'right' },
      {
        header: 'orphaned',
        value: (r) => (r.orphaned === null ? notChecked : `${r.orphaned} (${formatBytes(r.orphanedBytes ?? 0)})`),
        align: 'right',
      },
      {
        header: 'leftovers',
        value: (r) => (r.leftovers === null ? notChecked : `${r.leftovers} (${formatBytes(r.leftoverBytes ?? 0)})`),
        align: 'right',
      },
      { header: 'bytes', value: (r) => formatBytes(r.bytes), align: 'right' },
    ],
    [s],
  );
}
