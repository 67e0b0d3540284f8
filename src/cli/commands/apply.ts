import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatOf } from '../../pipeline/data/read-table.js';
import type { ApplyResult } from '../../pipeline/runtime.js';
import { UsageError } from '../../registry/errors/index.js';
import { isAliasRef, resolveGenerationRef } from '../alias-ref.js';
import { TOKENS } from '../../platform/tokens.js';
import type { ProjectSource } from '../../release/project-source.js';
import { prepareRun } from '../run-project.js';
import type { RegisterVerb } from '../verb.js';

export const registerApply: RegisterVerb = (program, action) => {
  program
    .command('apply')
    .description('load the states of a generation (default: the latest) into fresh actors and predict')
    .argument('<project>', 'a registered project name, or a project directory')
    .argument('[release]', 'release version, or @ALIAS (default: the latest)')
    .argument('[generation]', 'generation number (default: the latest)')
    .requiredOption('--data <file>', 'rows to predict: .csv with a header row, or .jsonl')
    .option('--out <file>', 'write predictions to this .csv or .jsonl file instead of stdout')
    .action(
      action(
        async (
          ctx,
          ref: string,
          release: string | undefined,
          generation: string | undefined,
          options: { data: string; out?: string },
        ) => {
          // Checked before the run, so a wrong extension does not waste it.
          const out = options.out === undefined ? undefined : { file: options.out, format: formatOf(options.out) };
          // @ALIAS names both the release and the generation, of the project a name or directory holds.
          if (isAliasRef(release)) {
            const project = await (await ctx.resolve<ProjectSource>(TOKENS.ProjectSource)).projectOf(ref);
            ({ release, generation } = await resolveGenerationRef(await ctx.registry(), project, release, generation));
          }
          const run = await prepareRun(ctx, ref, release, options.data, 'apply');
          let result: ApplyResult;
          try {
            result = await run.runtime.apply({
              project: run.project,
              data: run.data,
              ...(generation !== undefined && { generation }),
              onProgress: run.onProgress,
            });
          } finally {
            run.done();
          }
          const m = result.manifest;
          const summary = `${m.project} ${m.release}: generation ${m.generation} (${m.mode}${m.rollbackOf === null ? '' : ` of ${m.rollbackOf}`}) predicted ${result.predictions.length} rows`;
          // What made the predictions, as --json reports it with them or with the file they went to.
          const made = { project: m.project, release: m.release, generation: m.generation, column: result.column };
          if (out !== undefined) {
            await writeAtomically(out.file, render(result, out.format));
            if (ctx.json) return ctx.out.json({ ...made, rows: result.predictions.length, out: out.file });
            return ctx.err.line(`${summary} into ${out.file}`);
          }
          if (ctx.json)
            return ctx.out.json({
              ...made,
              predictions: result.predictions,
            });
          ctx.out.line(render(result, 'csv').trimEnd());
          ctx.err.line(summary);
        },
      ),
    );
};

function render(result: ApplyResult, format: 'csv' | 'jsonl'): string {
  if (format === 'jsonl') return result.predictions.map((p) => `${JSON.stringify({ [result.column]: p })}\n`).join('');
  return `${[result.column, ...result.predictions.map((p) => (p === null || p === undefined ? '' : String(p)))]
    .map(csvCell)
    .join('\n')}\n`;
}

function csvCell(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

// Readers of the output file never see it half-written.
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new UsageError(
      `cannot write --out ${file} (${code})`,
      'give --out a file in an existing, writable directory',
      { argument: '--out', file },
    );
  }
}
