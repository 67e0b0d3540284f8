import { formatParent, type GenerationManifest } from '../../registry/manifest.js';
import { resolveGenerationRef } from '../alias-ref.js';
import type { VerbContext } from '../context.js';
import { newestRelease } from '../default-release.js';
import { formatBytes, formatTime } from '../output.js';
import type { RegisterVerb } from '../verb.js';
import { structureLines } from '../structure-view.js';
import { NO_PACKAGE } from './list.js';

export const registerShow: RegisterVerb = (program, action) => {
  program
    .command('show')
    .description("print a generation's manifest; the latest generation if GENERATION is omitted")
    .argument('<project>', 'project name')
    .argument('[release]', 'release version, or @ALIAS (default: the newest release)')
    .argument('[generation]', 'generation number (default: the latest)')
    .action(
      action(async (ctx, project: string, release: string | undefined, generation: string | undefined) => {
        const registry = await ctx.registry();
        const ref = await resolveGenerationRef(registry, project, release, generation);
        const version = ref.release ?? (await newestRelease(registry, project));
        const manifest = await registry.manifest(project, version, ref.generation);
        if (ctx.json) return ctx.out.json(manifest);
        // A generation without a package may belong to a release whose code a program manages.
        const unpackaged =
          manifest.package === null && (await registry.release(project, manifest.release)).package === null;
        printManifest(ctx, manifest, unpackaged);
      }),
    );
};

/** Per actor, what the warm start did: "scaler continued, forest retrained on 150 rows". */
export function formatWarmStart(m: GenerationManifest): string {
  return Object.entries(m.warmStart ?? {})
    .map(([actor, s]) =>
      s.start === 'retrained' && s.training !== undefined
        ? `${actor} retrained on ${s.training.rows} rows`
        : `${actor} ${s.start === 'untrained' ? 'trained from scratch (no state in the parent)' : 'continued'}`,
    )
    .join(', ');
}

function printManifest(ctx: VerbContext, m: GenerationManifest, unpackaged: boolean): void {
  const metrics = Object.entries(m.metrics).map(([name, value]) => `${name}=${value}`);
  const fields: [string, string][] = [
    ['project', m.project],
    ['release', m.release],
    ['generation', String(m.generation)],
    ['mode', m.rollbackOf === null ? m.mode : `${m.mode} of generation ${m.rollbackOf}`],
    ['created', formatTime(m.created)],
    ['parent', formatParent(m)],
    ['package', m.package ?? (unpackaged ? NO_PACKAGE : '-')],
  ];
  if (m.training !== null)
    fields.push([
      'training',
      `${m.training.rows} rows, ordinals ${String(m.training.lower ?? '-')} to ${String(m.training.upper ?? '-')}`,
    ]);
  if (m.tuning !== null) {
    fields.push([
      'tuning',
      `score ${m.tuning.score} after ${m.tuning.trials} trials${m.tuning.failed?.length ? ` (${m.tuning.failed.length} failed)` : ''}`,
    ]);
    // The parameters the actors were built with: chosen by this tune, or inherited from the parent.
    const params = Object.entries(m.tuning.params).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
    fields.push(['params', params.join(', ') || '-']);
  }
  if (m.warmStart !== undefined) fields.push(['warm start', formatWarmStart(m)]);
  fields.push(
    ['metrics', metrics.join(', ') || '-'],
    ['written by', `statekeep ${m.environment.statekeep}, node ${m.environment.node}`],
  );
  if (m.copiedFrom !== undefined) {
    const c = m.copiedFrom;
    fields.push(
      ['copied from', `${c.registry} (${c.source}) ${m.project} ${c.release} generation ${c.generation}`],
      ['copied', `${formatTime(c.copied)}, source manifest ${c.manifest}`],
    );
  }
  ctx.out.fields(fields);
  if (m.states.length === 0) return;
  ctx.out.line();
  ctx.out.table(
    [
      { header: 'actor', value: (s) => s.actor },
      { header: 'codec', value: (s) => s.codec },
      { header: 'size', value: (s) => formatBytes(s.size), align: 'right' },
      { header: 'digest', value: (s) => s.digest },
    ],
    m.states,
  );
  const structure = structureLines(m);
  if (structure.length === 0) return;
  ctx.out.line();
  ctx.out.line('structure');
  for (const line of structure) ctx.out.line(`  ${line}`);
}
