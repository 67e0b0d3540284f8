import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import type { StateCodec } from '../../src/codec/state-codec.js';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { tableSpec } from '../../src/pipeline/data/columns.js';
import { readTable } from '../../src/pipeline/data/read-table.js';
import { pickRows, type Table } from '../../src/pipeline/data/table.js';
import type { ProgressEvent } from '../../src/pipeline/progress.js';
import type { LoadedProject, ProjectDefinition } from '../../src/pipeline/project.js';
import { Runtime } from '../../src/pipeline/runtime.js';
import { digestOf } from '../../src/registry/digest.js';
import type { GenerationManifest } from '../../src/registry/manifest.js';
import { actorName, projectName } from '../../src/registry/names.js';
import { Registry } from '../../src/registry/registry.js';
import type { Provider } from '../../src/registry/spi.js';
import { releaseVersion } from '../../src/registry/versions.js';
import iris from '../../examples/iris/src/index.js';

export { iris };

/** A fixed clock: manifests and progress timings are exact. */
export const EPOCH = new Date('2026-01-02T03:04:05.000Z');
const clock = () => EPOCH;

export interface Bench {
  registry: Registry;
  codec: StateCodec;
  runtime: Runtime;
  project: LoadedProject;
}

/** A registry with the project's release published, and a runtime over it. */
export async function bench(
  definition: ProjectDefinition<never> = iris,
  provider: Provider = new VolatileProvider(),
  name = 'iris',
): Promise<Bench> {
  const registry = new Registry(provider, { clock });
  const payload = new TextEncoder().encode(`package of ${name}`);
  await registry.publishRelease(name, '1.0.0', { payload });
  const codec = new CborStateCodec({});
  const project: LoadedProject = {
    name: projectName(name),
    release: releaseVersion('1.0.0'),
    packageDigest: digestOf(payload),
    definition,
  };
  return { registry, codec, runtime: new Runtime(registry, codec, clock), project };
}

export function irisData(file: 'iris.csv' | 'iris-early.csv' = 'iris.csv'): Promise<Table> {
  return readTable(`examples/iris/data/${file}`, tableSpec(iris, 'train'));
}

/** Only the rows without a blank cell, so running statistics can be checked exactly. */
export function completeRows(table: Table): Table {
  return pickRows(
    table,
    table.rows.flatMap((row, i) => (row.includes(null) ? [] : [i])),
  );
}

export function column(table: Table, name: string): unknown[] {
  const index = table.columns.indexOf(name);
  return table.rows.map((row) => row[index]);
}

/** Decodes one actor's state from a generation with the real codec. */
export async function stateOf<T>(b: Bench, manifest: GenerationManifest, actor: string, stateVersion = 0): Promise<T> {
  const bytes = await b.registry.readState(manifest, actor);
  return (await b.codec.decode(bytes, { actor: actorName(actor), stateVersion })) as T;
}

export function accuracy(predicted: readonly unknown[], actual: readonly unknown[]): number {
  return predicted.filter((p, i) => p === actual[i]).length / actual.length;
}

export function recorder(): { events: ProgressEvent[]; onProgress: (e: ProgressEvent) => void } {
  const events: ProgressEvent[] = [];
  return { events, onProgress: (e) => events.push(e) };
}
