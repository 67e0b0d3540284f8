import { digestOf } from '../registry/digest.js';
import type { AliasEntry } from '../registry/aliases.js';
import type { GenerationManifest } from '../registry/manifest.js';
import type { Registry } from '../registry/registry.js';
import type { GenerationTombstone } from '../registry/tombstone.js';
import { bytes, commit } from './fixtures.js';

/**
 * Fills a registry with what a copy must carry over: packaged and unpackaged releases, train,
 * tune and rollback generations with parents, states shared between generations and releases,
 * and aliases with a history (moves across releases, a removal).
 *
 *   iris 1.0.0: #1 train, #2 tune of 1, #3 rollback of 1;  iris 1.1.0: #1 train of nothing
 *   wine 0.1.0 (no package): #1 train
 *   iris aliases: production 1.0.0#2 → 1.1.0#1;  staging 1.0.0#3, removed
 */
export async function seedCopySource(
  registry: Registry,
  stateBytes = 64,
  options: { aliases?: boolean } = {},
): Promise<void> {
  const big = (seed: number): Uint8Array => Uint8Array.from({ length: stateBytes }, (_, i) => (i * 31 + seed) & 0xff);
  await registry.publishRelease('iris', '1.0.0', { payload: bytes('iris 1.0.0 package'), info: { entry: 'index.js' } });
  await commit(registry, 'iris', '1.0.0', { scaler: big(1), model: big(2) });
  await commit(
    registry,
    'iris',
    '1.0.0',
    { scaler: big(1), model: big(3) },
    { mode: 'tune', parent: 1, tuning: { score: 0.9, params: { depth: 3 }, trials: 4 } },
  );
  await registry.rollback('iris', '1.0.0', 1);
  await registry.publishRelease('iris', '1.1.0', { payload: bytes('iris 1.1.0 package') });
  await commit(registry, 'iris', '1.1.0', { scaler: big(1), model: big(4) }, { metrics: { accuracy: 0.75 } });
  await registry.createRelease('wine', '0.1.0', { info: { program: 'wine.js' } });
  await commit(registry, 'wine', '0.1.0', { only: big(5) });
  if (options.aliases === false) return;
  await registry.setAlias('iris', 'production', { release: '1.0.0', generation: 2 }, { reason: 'first' });
  await registry.setAlias('iris', 'production', { release: '1.1.0', generation: 1 });
  await registry.setAlias('iris', 'staging', { release: '1.0.0', generation: 3 });
  await registry.removeAlias('iris', 'staging', { reason: 'done' });
}

/** A registry's whole content in comparable form: records' digests, manifests, state digests, alias histories. */
export interface RegistrySnapshot {
  projects: Record<
    string,
    {
      releases: Record<
        string,
        { record: string; generations: Record<number, Omit<GenerationManifest, 'copiedFrom'> | GenerationTombstone> }
      >;
      aliases: Record<string, AliasEntry[]>;
    }
  >;
}

/**
 * Reads everything back through the Registry (so every blob is verified on the way) and leaves
 * out provenance, which a copy adds; `copies` collects it per project/release/generation.
 */
export async function snapshotRegistry(
  registry: Registry,
  copies?: Map<string, GenerationManifest['copiedFrom']>,
): Promise<RegistrySnapshot> {
  const snapshot: RegistrySnapshot = { projects: {} };
  for (const project of await registry.projects()) {
    const releases: RegistrySnapshot['projects'][string]['releases'] = {};
    for (const release of await registry.releaseVersions(project)) {
      const { record, bytes: recordBytes } = await registry.storedRelease(project, release);
      if (record.package !== null) await registry.pullRelease(project, release, record);
      const generations: Record<number, Omit<GenerationManifest, 'copiedFrom'> | GenerationTombstone> = {};
      for (const n of await registry.generations(project, release)) {
        const stored = await registry.storedGeneration(project, release, n);
        if (stored.kind === 'tombstone') {
          // A pruned generation: what is left of it is the tombstone, which a copy carries as it is.
          generations[n] = stored.tombstone;
          continue;
        }
        const manifest = stored.manifest;
        await registry.readStates(manifest);
        const { copiedFrom, ...rest } = manifest;
        copies?.set(`${project}/${release}/${manifest.generation}`, copiedFrom);
        generations[manifest.generation] = rest;
      }
      releases[release] = { record: digestOf(recordBytes), generations };
    }
    const aliases: Record<string, AliasEntry[]> = {};
    for (const alias of await registry.aliasNames(project)) {
      const history: AliasEntry[] = [];
      for await (const entry of registry.aliasHistory(project, alias)) history.unshift(entry);
      aliases[alias] = history;
    }
    snapshot.projects[project] = { releases, aliases };
  }
  return snapshot;
}

/**
 * What a copy's snapshot must be, given the source's and the provenance the copy's snapshot
 * collected (`copies`): the source's content with every generation number, parent, rollback
 * source and alias target turned into the destination's number for it. Throws when a source
 * generation has no copy or more than one, or a copy names no source generation. For sources
 * without tombstones (a tombstone records no provenance to renumber it by).
 */
export function renumbered(
  source: RegistrySnapshot,
  copies: Map<string, GenerationManifest['copiedFrom']>,
): RegistrySnapshot {
  const numbers = new Map<string, number>();
  for (const [at, from] of copies) {
    const [project, release, n] = at.split('/');
    if (from === undefined) throw new Error(`generation ${at} of the copy is no copy`);
    const key = `${project}/${from.release}/${from.generation}`;
    if (numbers.has(key))
      throw new Error(`source generation ${key} was copied twice (as ${numbers.get(key)} and ${n})`);
    if (from.release !== release) throw new Error(`generation ${at} is a copy of release ${from.release}`);
    numbers.set(key, Number(n));
  }
  const to = (project: string, release: string, n: number): number => {
    const mapped = numbers.get(`${project}/${release}/${n}`);
    if (mapped === undefined) throw new Error(`source generation ${project} ${release} #${n} has no copy`);
    return mapped;
  };
  const out: RegistrySnapshot = { projects: {} };
  for (const [project, content] of Object.entries(source.projects)) {
    const releases: RegistrySnapshot['projects'][string]['releases'] = {};
    for (const [release, { record, generations }] of Object.entries(content.releases)) {
      const copied: Record<number, Omit<GenerationManifest, 'copiedFrom'> | GenerationTombstone> = {};
      for (const m of Object.values(generations)) {
        const n = to(project, release, m.generation);
        copied[n] = {
          ...m,
          generation: n as never,
          parent: typeof m.parent === 'number' ? (to(project, release, m.parent) as never) : m.parent,
          rollbackOf: m.rollbackOf === null ? null : (to(project, release, m.rollbackOf) as never),
        };
      }
      releases[release] = { record, generations: copied };
    }
    const target = <T extends { release: string; generation: number } | null>(t: T): T =>
      t === null ? t : ({ ...t, generation: to(project, t.release, t.generation) } as T);
    const aliases = Object.fromEntries(
      Object.entries(content.aliases).map(([alias, history]) => [
        alias,
        history.map((e) => ({ ...e, from: target(e.from), to: target(e.to) })),
      ]),
    );
    out.projects[project] = { releases, aliases };
  }
  return out;
}
