import type { ProgressListener } from '../pipeline/progress.js';
import { readTable } from '../pipeline/data/read-table.js';
import { tableSpec, type Purpose } from '../pipeline/data/columns.js';
import type { Table } from '../pipeline/data/table.js';
import type { Runtime } from '../pipeline/runtime.js';
import { requireRows } from '../pipeline/training-rows.js';
import type { ProjectSource, ResolvedProject } from '../release/project-source.js';
import { TOKENS } from '../tokens.js';
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
): Promise<ProjectRun> {
  const source = await ctx.resolve<ProjectSource>(TOKENS.ProjectSource);
  let data: Table | undefined;
  // The data is read before a project directory's new version is published: bad data publishes nothing.
  const project = await source.resolve(ref, release, {
    check: async (loaded) => {
      data = await readTable(dataFile, tableSpec(loaded.definition, purpose));
      if (purpose !== 'apply') requireRows(data);
    },
    publish: purpose !== 'apply',
  });
  // With --json, stderr carries only a JSON error, if anything.
  if (project.published !== null && !ctx.json) {
    ctx.err.line(
      `published release ${project.name} ${project.release} (${shortDigest(project.published.package.digest)}) from ${ref}`,
    );
  }
  const runtime = await ctx.resolve<Runtime>(TOKENS.Runtime);
  const progress = ctx.progress();
  return {
    project,
    data: data!,
    runtime,
    onProgress: (event) => progress.update(`${event.run}: ${event.message}`),
    done: () => progress.done(),
  };
}
