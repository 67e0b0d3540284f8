import type { Registry } from '../../registry/registry.js';
import type { VerbContext } from '../context.js';
import { formatBytes, formatMetrics, formatTime, shortDigest } from '../output.js';
import type { RegisterVerb } from '../verb.js';

export const registerList: RegisterVerb = (program, action) => {
  program
    .command('list')
    .description('list projects, the releases of PROJECT, or the generations of RELEASE')
    .argument('[project]', 'project name')
    .argument('[release]', 'release version of PROJECT')
    .action(
      action(async (ctx, project: string | undefined, release: string | undefined) => {
        const registry = await ctx.registry();
        if (project === undefined) await listProjects(ctx, registry);
        else if (release === undefined) await listReleases(ctx, registry, project);
        else await listGenerations(ctx, registry, project, release);
      }),
    );
};

async function listProjects(ctx: VerbContext, registry: Registry): Promise<void> {
  const rows = await Promise.all(
    (await registry.projects()).map(async (project) => {
      const versions = await registry.releaseVersions(project);
      return { project, releases: versions.length, latest: versions.at(-1) ?? null };
    }),
  );
  if (ctx.json) return ctx.out.json(rows);
  if (rows.length === 0) return ctx.err.line(`no projects in ${registry.descriptor.target}`);
  ctx.out.table(
    [
      { header: 'project', value: (r) => r.project },
      { header: 'releases', value: (r) => String(r.releases), align: 'right' },
      { header: 'latest', value: (r) => r.latest ?? '-' },
    ],
    rows,
  );
}

/** How list and show mark a release without a package. */
export const NO_PACKAGE = 'none (code managed by a program)';

async function listReleases(ctx: VerbContext, registry: Registry, project: string): Promise<void> {
  const rows = (await registry.releasesWithGenerations(project)).map(({ record, generations }) => ({
    version: record.version,
    created: record.created,
    // null: a release without a package, its code managed by a program (PersistentModel).
    package: record.package?.digest ?? null,
    size: record.package?.size ?? null,
    generations: generations.length,
  }));
  if (ctx.json) return ctx.out.json(rows);
  ctx.out.table(
    [
      { header: 'version', value: (r) => r.version },
      { header: 'created', value: (r) => formatTime(r.created) },
      { header: 'package', value: (r) => (r.package === null ? NO_PACKAGE : shortDigest(r.package)) },
      { header: 'generations', value: (r) => String(r.generations), align: 'right' },
    ],
    rows,
  );
}

async function listGenerations(ctx: VerbContext, registry: Registry, project: string, release: string): Promise<void> {
  const rows = (await registry.history(project, release)).map(({ generation, manifest: m, tombstone: t }) =>
    m !== null
      ? {
          generation,
          mode: m.mode,
          created: m.created,
          parent: m.parent,
          rollbackOf: m.rollbackOf,
          states: m.states.length,
          bytes: m.states.reduce((sum, s) => sum + s.size, 0),
          metrics: m.metrics,
          pruned: null,
        }
      : {
          generation,
          mode: t.mode,
          created: t.created,
          parent: t.parent,
          rollbackOf: t.rollbackOf,
          states: 0,
          bytes: 0,
          metrics: {},
          // A pruned generation: its number stays taken, its states may be gone.
          pruned: { at: t.prunedAt, policy: t.policy.rule, source: t.policy.description },
        },
  );
  if (ctx.json) return ctx.out.json(rows);
  if (rows.length === 0) return ctx.err.line(`${project} ${release} has no generations yet`);
  ctx.out.table(
    [
      { header: 'generation', value: (r) => String(r.generation), align: 'right' },
      { header: 'mode', value: (r) => (r.pruned === null ? r.mode : 'pruned') },
      { header: 'created', value: (r) => formatTime(r.created) },
      { header: 'parent', value: (r) => (r.parent === null ? '-' : String(r.parent)), align: 'right' },
      { header: 'states', value: (r) => (r.pruned === null ? String(r.states) : '-'), align: 'right' },
      { header: 'bytes', value: (r) => (r.pruned === null ? formatBytes(r.bytes) : '-'), align: 'right' },
      {
        header: 'metrics',
        value: (r) =>
          r.pruned === null ? formatMetrics(r.metrics) : `pruned ${formatTime(r.pruned.at)} by ${r.pruned.policy}`,
      },
    ],
    rows,
  );
}
