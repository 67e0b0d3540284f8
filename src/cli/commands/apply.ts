import { rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { formatOf } from '../../pipeline/data/read-table.js';
import type { Table } from '../../pipeline/data/table.js';
import type { ApplyResult } from '../../pipeline/runtime.js';
import { didYouMean } from '../../platform/suggest.js';
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
    .option('--columns <all|A,B,…>', 'also write these input columns (all: every one) beside the predictions')
    .action(
      action(
        async (
          ctx,
          ref: string,
          release: string | undefined,
          generation: string | undefined,
          options: { data: string; out?: string; columns?: string },
        ) => {
          // Checked before the run, so a wrong extension does not waste it.
          const out = options.out === undefined ? undefined : { file: options.out, format: outputFormat(options.out) };
          // @ALIAS names both the release and the generation, of the project a name or directory holds.
          if (isAliasRef(release)) {
            const project = await (await ctx.resolve<ProjectSource>(TOKENS.ProjectSource)).projectOf(ref);
            ({ release, generation } = await resolveGenerationRef(await ctx.registry(), project, release, generation));
          }
          const run = await prepareRun(ctx, ref, release, options.data, 'apply');
          let result: ApplyResult;
          let kept: string[];
          try {
            kept = keptColumns(options.columns, run.data);
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
          const rows = records(result, run.data, kept);
          if (out !== undefined) {
            await writeAtomically(out.file, render(rows, out.format));
            if (ctx.json) return ctx.out.json({ ...made, rows: result.predictions.length, out: out.file });
            return ctx.err.line(`${summary} into ${out.file}`);
          }
          if (ctx.json)
            return ctx.out.json({
              ...made,
              predictions: result.predictions,
              ...(kept.length > 0 && { records: rows.records }),
            });
          ctx.out.line(render(rows, 'csv').trimEnd());
          ctx.err.line(summary);
        },
      ),
    );
};

/** An output file's format, by its extension; anything else is a usage error, found before the run. */
function outputFormat(file: string): 'csv' | 'jsonl' {
  try {
    return formatOf(file);
  } catch {
    throw new UsageError(
      `--out ${file}: unknown output format ${JSON.stringify(path.extname(file) || '(no extension)')}`,
      'name a .csv or .jsonl (.ndjson) file',
      { argument: '--out', file },
    );
  }
}

/** The input columns --columns names, checked against the data before the run: none, all, or a list. */
function keptColumns(option: string | undefined, data: Table): string[] {
  if (option === undefined) return [];
  const names = option.trim() === 'all' ? [...data.columns] : option.split(',').map((name) => name.trim());
  for (const name of names) {
    if (name === '' || !data.columns.includes(name)) {
      const { hint } = didYouMean(name, data.columns, `the data has the columns: ${data.columns.join(', ')}`);
      throw new UsageError(`--columns: the data has no column ${JSON.stringify(name)}`, hint, {
        argument: '--columns',
        column: name,
      });
    }
  }
  if (new Set(names).size !== names.length)
    throw new UsageError(`--columns names a column twice: ${option}`, 'name each column once', {
      argument: '--columns',
    });
  return names;
}

interface Records {
  header: string[];
  records: Record<string, unknown>[];
}

/** The rows written: the kept input columns, then the prediction, one record per data row. */
function records(result: ApplyResult, data: Table, kept: readonly string[]): Records {
  // A kept column of the prediction's name would be overwritten by it, so the input's is renamed.
  const names = kept.map((name) => (name === result.column ? `input.${name}` : name));
  const indices = kept.map((name) => data.columns.indexOf(name));
  return {
    header: [...names, result.column],
    records: result.predictions.map((prediction, row) => {
      const record: Record<string, unknown> = {};
      names.forEach((name, i) => {
        record[name] = data.rows[row]?.[indices[i]!] ?? null;
      });
      record[result.column] = prediction;
      return record;
    }),
  };
}

function render(rows: Records, format: 'csv' | 'jsonl'): string {
  if (format === 'jsonl') return rows.records.map((r) => `${JSON.stringify(r)}\n`).join('');
  const line = (cells: readonly unknown[]): string =>
    cells.map((c) => csvCell(c === null || c === undefined ? '' : String(c))).join(',');
  return `${[line(rows.header), ...rows.records.map((r) => line(rows.header.map((h) => r[h])))].join('\n')}\n`;
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
