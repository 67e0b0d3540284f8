import type { ProgressListener } from '../pipeline/progress.js';
import { readTable } from '../pipeline/data/read-table.js';
import { tableSpec, type Purpose } from '../pipeline/data/columns.js';
import type { Table } from '../pipeline/data/table.js';
import type { Runtime } from '../pipeline/runtime.js';
import { requireRows } from '../pipeline/training-rows.js';
import type { ProjectSource, ResolvedProject } from '../release/project-source.js';
import { TOKENS } from '../platform/tokens.js';
import type { VerbContext } from './context.js';
import { shortDigest } from './output.js';

/** What train, tune and apply share: the project's code, its data, the runtime, a progress line. */
export interface ProjectRun {
  project: ResolvedProject;
  data: Table;
  runtime: Runtime;
  onProgress: ProgressListener;
  /** Clears the progress line; call before printing results. */
  done(): void;
}

export async function prepareRun(
  ctx: VerbContext,
  ref: string,
  release: string | undefined,
  dataFile: string,
  purpose: Purpose,
  /** Whether a project directory's new version may be published (at the commit); default: unless applying. */
  publish = purpose !== 'apply',
): Promise<ProjectRun> {
  const source = await ctx.resolve<ProjectSource>(TOKENS.ProjectSource);
  const progress = ctx.progress();
  let data: Table | undefined;
  // A project directory's new version is published only right before the run commits: a run
  // that fails on its data, or in training, publishes nothing.
  const resolved = await source.resolve(ref, release, {
    check: async (loaded) => {
      data = await readTable(dataFile, tableSpec(loaded.definition, purpose));
      if (purpose !== 'apply') requireRows(data);
    },
    publish,
  });
  const ensure = resolved.ensureRelease;
  const project: ResolvedProject =
    ensure === undefined
      ? resolved
      : {
          ...resolved,
          ensureRelease: async () => {
            const record = await ensure();
            // With --json, stderr carries only a JSON error, if anything.
            if (!ctx.json) {
              progress.done();
              ctx.err.line(
                `published release ${record.project} ${record.version} (${shortDigest(record.package.digest)}) from ${ref}`,
              );
            }
            return record;
          },
        };
  const runtime = await ctx.resolve<Runtime>(TOKENS.Runtime);
  return {
    project,
    data: data!,
    runtime,
    onProgress: (event) => progress.update(`${event.run}: ${event.message}`),
    done: () => progress.done(),
  };
}
