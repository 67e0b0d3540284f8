import type { StateCodec } from '../codec/state-codec.js';
import { BadDataError, UsageError } from '../registry/errors/index.js';
import type { GenerationManifest } from '../registry/manifest.js';
import type { Registry } from '../registry/registry.js';
import type { GenerationNumber, ReleaseVersion } from '../registry/versions.js';
import { buildPipeline } from './build-pipeline.js';
import { featureColumns, featureMatrix, requireColumns, tableSpec } from './data/columns.js';
import { recordRows } from './data/record-rows.js';
import { rowCount, typedTable, type Cell, type Table } from './data/table.js';
import { predict } from './fit.js';
import { paramsOf } from './params.js';
import { checkDefinition } from './project-check.js';
import type { LoadedProject } from './project.js';
import { restore } from './states.js';

/** Which generation: the newest ('latest'), a number of the release, or where an alias points ('@production'). */
export type GenerationRef = 'latest' | number | `@${string}`;

/** Where a predictor's code comes from: a verified release package (ProjectSource.fromRegistry does this). */
export type ProjectCode = (project: string, release: ReleaseVersion) => Promise<LoadedProject>;

export interface PredictorOptions {
  /** Default: the release the alias names, or the newest release. */
  release?: string;
  /** Default 'latest'. */
  at?: GenerationRef;
  codec: StateCodec;
  code: ProjectCode;
}

/** A generation loaded once into fresh actors; predict() runs the pipeline in memory. */
export interface Predictor {
  readonly project: string;
  readonly release: ReleaseVersion;
  readonly generation: GenerationNumber;
  readonly manifest: GenerationManifest;
  /** The column name the project gives its predictions. */
  readonly column: string;
  /** One prediction per row, in row order. */
  predict(rows: readonly Readonly<Record<string, Cell>>[] | readonly unknown[] | Table): Promise<unknown[]>;
}

/** The release and generation `at` names now: one cheap call for an alias or a release's latest. */
export async function resolveGeneration(
  registry: Registry,
  project: string,
  options: { release?: string; at?: GenerationRef },
): Promise<{ release: ReleaseVersion; generation: GenerationNumber }> {
  const at = options.at ?? 'latest';
  if (typeof at === 'string' && at.startsWith('@')) {
    if (options.release !== undefined)
      throw new UsageError(
        `${at} names a release already; drop the release ${options.release}`,
        'give either a release (and generation) or @ALIAS',
        { argument: 'release' },
      );
    return registry.resolveAlias(project, at.slice(1));
  }
  if (options.release === undefined && at === 'latest') return registry.resolveAlias(project, 'latest');
  const release = options.release ?? (await registry.resolveAlias(project, 'latest')).release;
  const manifest = await registry.manifest(project, release, at);
  return { release: manifest.release, generation: manifest.generation };
}

/**
 * Verifies and loads one generation into fresh actors built from its release's code, once;
 * every predict() after that runs in memory, reading nothing.
 */
export async function loadPredictor(
  registry: Registry,
  project: string,
  options: PredictorOptions,
): Promise<Predictor> {
  const target = await resolveGeneration(registry, project, options);
  return loadGeneration(registry, project, target, options);
}

export async function loadGeneration(
  registry: Registry,
  project: string,
  target: { release: ReleaseVersion; generation: GenerationNumber },
  options: Pick<PredictorOptions, 'codec' | 'code'>,
): Promise<Predictor> {
  const manifest = await registry.manifest(project, target.release, target.generation);
  const loaded = await options.code(project, manifest.release);
  const definition = checkDefinition(loaded.definition);
  const built = buildPipeline(definition, paramsOf(manifest.tuning?.params));
  await restore(built, manifest, registry, options.codec, 'apply');
  const spec = tableSpec(definition, 'apply');
  return {
    project: manifest.project,
    release: manifest.release,
    generation: manifest.generation,
    manifest,
    column: definition.output ?? 'prediction',
    async predict(rows) {
      if (Array.isArray(rows)) {
        // A request's rows go straight to feature rows, typed as a table would type them.
        const records = checkRecords(rows);
        if (records.length === 0) return [];
        const present = new Set<string>();
        for (const record of records) for (const key of Object.keys(record)) present.add(key);
        const shape: Table = { source: 'request', columns: [...present], rows: [] };
        requireColumns(shape, spec);
        return predict(built, recordRows(records, featureColumns(definition, shape), spec, 'request'));
      }
      const table = typedTable(rows as Table, spec);
      if (rowCount(table) === 0) return [];
      requireColumns(table, spec);
      return predict(built, featureMatrix(table, featureColumns(definition, table)));
    },
  };
}

// Rows come from outside (an HTTP body, a caller's JSON): only flat records of cells reach the pipeline.
function checkRecords(rows: readonly unknown[]): readonly Readonly<Record<string, Cell>>[] {
  rows.forEach((row, index) => {
    const bad =
      typeof row !== 'object' || row === null || Array.isArray(row)
        ? 'is not an object'
        : Object.entries(row).find(
            ([, v]) => !(v === null || typeof v === 'string' || typeof v === 'boolean' || Number.isFinite(v)),
          )?.[0];
    if (bad !== undefined)
      throw new BadDataError(
        {
          file: 'request',
          line: index + 1,
          problem:
            bad === 'is not an object'
              ? `row ${index + 1} is not an object`
              : `row ${index + 1} has ${JSON.stringify(bad)}, which is not a number, string or null`,
        },
        'send rows as a list of flat objects, e.g. [{ "petal_length": 1.4, … }]',
      );
  });
  // Rows that each name columns of their own lay out as rows × columns cells: a small body could fill the heap.
  const columns = new Set<string>();
  for (const row of rows) for (const key of Object.keys(row as object)) columns.add(key);
  if (rows.length * columns.size > MAX_REQUEST_CELLS)
    throw new BadDataError(
      {
        file: 'request',
        problem: `${rows.length} rows name ${columns.size} different columns, over ${MAX_REQUEST_CELLS} cells as a table`,
      },
      'give every row the same columns, or send fewer rows per request',
    );
  return rows as readonly Readonly<Record<string, Cell>>[];
}

const MAX_REQUEST_CELLS = 16_000_000;
