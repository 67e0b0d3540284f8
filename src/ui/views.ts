import { readFrame } from '../codec/blob-frame.js';
import { isStatekeepError } from '../registry/errors/statekeep-error.js';
import { parentRef, type GenerationManifest } from '../registry/manifest.js';
import type { Registry } from '../registry/registry.js';
import type { ReleaseRecord } from '../registry/release-record.js';
import type {
  AliasEntryView,
  AliasRow,
  AliasView,
  DiffSide,
  DiffView,
  ErrorView,
  GenerationRow,
  GenerationView,
  LineageEdge,
  LineageNode,
  LineageView,
  MetricDiff,
  ParentView,
  ProjectSummary,
  ProjectsView,
  ProjectView,
  ReleaseRow,
  ReleaseView,
  StateDiff,
  StateProblem,
  StateView,
  TombstoneView,
} from './api-types.js';
import { errorView, outcome, tombstoneView, type Outcome } from './read-outcome.js';

// What each page of the web view shows, read through the Registry alone: every manifest, record
// and alias entry is verified as it is read, and every state blob a page counts is read and
// verified too. Damage shows as damage (with its code), in the row it concerns; the rest renders.

/**
 * Verifies state blobs once per digest for one page: generations that share a state (a rollback
 * and its target) cost one read. Holds outcomes, not bytes.
 */
class BlobChecks {
  readonly #checked = new Map<string, Promise<ErrorView | null>>();
  constructor(readonly registry: Registry) {}

  check(manifest: GenerationManifest, actor: string, digest: string): Promise<ErrorView | null> {
    let result = this.#checked.get(digest);
    if (result === undefined) {
      result = outcome(() => this.registry.readState(manifest, actor)).then((read) =>
        read.status === 'ok' ? null : read.error,
      );
      this.#checked.set(digest, result);
    }
    return result;
  }

  async problems(manifest: GenerationManifest): Promise<StateProblem[]> {
    const checks = await Promise.all(manifest.states.map((s) => this.check(manifest, s.actor, s.digest)));
    return manifest.states.flatMap((s, i) => {
      const error = checks[i];
      return error == null ? [] : [{ actor: s.actor, digest: s.digest, error }];
    });
  }
}

function latestTime(times: readonly (string | null | undefined)[]): string | null {
  let newest: string | null = null;
  for (const t of times) if (typeof t === 'string' && (newest === null || t > newest)) newest = t;
  return newest;
}

// ---- releases ---------------------------------------------------------------------------

async function releaseRow(registry: Registry, project: string, version: string): Promise<ReleaseRow> {
  const [record, numbers] = await Promise.all([
    outcome(() => registry.release(project, version)),
    registry.generations(project, version).catch(async (error: unknown) => {
      // A release whose record is damaged still lists its generations; only a missing one has none.
      if (isStatekeepError(error) && error.code === 'INTEGRITY') return [];
      throw error;
    }),
  ]);
  const latest = numbers.at(-1) ?? null;
  const newest =
    latest === null ? null : await outcome(() => registry.manifest(project, version, latest)).then(createdOf);
  const base = { version, generations: numbers.length, latest, newest };
  if (record.status !== 'ok')
    return {
      ...base,
      status: record.status,
      error: record.error,
      created: null,
      package: null,
      commit: null,
      info: {},
    };
  return { ...base, ...recordFields(record.value), status: 'ok' };
}

function recordFields(record: ReleaseRecord): Pick<ReleaseRow, 'created' | 'package' | 'commit' | 'info'> {
  return {
    created: record.created,
    package: record.package === null ? null : { digest: record.package.digest, size: record.package.size },
    commit: record.info.commit ?? null,
    info: { ...record.info },
  };
}

function createdOf(read: Outcome<GenerationManifest>): string | null {
  return read.status === 'ok' ? read.value.created : null;
}

async function aliasRows(registry: Registry, project: string): Promise<{ rows: AliasRow[]; error?: ErrorView }> {
  const read = await outcome(() => registry.aliases(project));
  if (read.status !== 'ok') return { rows: [], error: read.error };
  const rows = read.value
    .map((e) => ({
      name: e.alias,
      target: e.to === null ? null : { release: e.to.release, generation: e.to.generation },
      time: e.time,
      reason: e.reason,
      entry: e.entry,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { rows };
}

// ---- pages ------------------------------------------------------------------------------

export async function projectsView(registry: Registry): Promise<ProjectsView> {
  const names = await registry.projects();
  const projects = await Promise.all(names.map((name) => projectSummary(registry, name)));
  const { name, target } = registry.descriptor;
  return { registry: `${name} ${target}`, projects };
}

async function projectSummary(registry: Registry, name: string): Promise<ProjectSummary> {
  const view = await projectView(registry, name);
  const damaged = view.releases.find((r) => r.status !== 'ok');
  return {
    name,
    status: damaged === undefined ? 'ok' : 'damaged',
    ...(damaged?.error && { error: damaged.error }),
    releases: view.releases.length,
    generations: view.releases.reduce((sum, r) => sum + r.generations, 0),
    newest: latestTime([...view.releases.flatMap((r) => [r.created, r.newest]), ...view.aliases.map((a) => a.time)]),
  };
}

export async function projectView(registry: Registry, project: string): Promise<ProjectView> {
  const versions = await registry.releaseVersions(project);
  const [releases, aliases] = await Promise.all([
    Promise.all(versions.map((v) => releaseRow(registry, project, v))),
    aliasRows(registry, project),
  ]);
  return {
    project,
    releases: releases.reverse(),
    aliases: aliases.rows,
    ...(aliases.error && { aliasesError: aliases.error }),
  };
}

export async function releaseView(registry: Registry, project: string, version: string): Promise<ReleaseView> {
  const release = await releaseRow(registry, project, version);
  const numbers = release.latest === null ? [] : await registry.generations(project, version);
  const blobs = new BlobChecks(registry);
  const generations = await Promise.all(numbers.map((n) => generationRow(registry, blobs, project, version, n)));
  const metrics = [...new Set(generations.flatMap((g) => Object.keys(g.metrics)))].sort();
  return { project, release, generations, metrics };
}

async function generationRow(
  registry: Registry,
  blobs: BlobChecks,
  project: string,
  version: string,
  n: number,
): Promise<GenerationRow> {
  const read = await outcome(() => registry.manifest(project, version, n));
  if (read.status !== 'ok') {
    const tombstone = read.status === 'pruned' ? tombstoneView(read.data) : undefined;
    return {
      generation: n,
      status: read.status,
      error: read.error,
      ...(tombstone && { tombstone }),
      mode: tombstone?.mode ?? null,
      created: tombstone?.created ?? null,
      parent: tombstone?.parent == null ? null : { release: version, generation: tombstone.parent },
      rollbackOf: tombstone?.rollbackOf ?? null,
      rows: null,
      metrics: {},
      tuning: null,
      states: 0,
      bytes: 0,
      damagedStates: [],
    };
  }
  const m = read.value;
  const damagedStates = await blobs.problems(m);
  return {
    generation: m.generation,
    status: damagedStates.length === 0 ? 'ok' : 'damaged',
    ...(damagedStates[0] && { error: damagedStates[0].error }),
    mode: m.mode,
    created: m.created,
    parent: parentRef(m),
    rollbackOf: m.rollbackOf,
    rows: m.training?.rows ?? null,
    metrics: { ...m.metrics },
    tuning: m.tuning === null ? null : { score: m.tuning.score, trials: m.tuning.trials, params: m.tuning.params },
    states: m.states.length,
    bytes: m.states.reduce((sum, s) => sum + s.size, 0),
    damagedStates,
  };
}

export async function generationView(
  registry: Registry,
  project: string,
  version: string,
  n: number,
): Promise<GenerationView> {
  const [read, siblings] = await Promise.all([
    outcome(() => registry.manifest(project, version, n)),
    registry.generations(project, version),
  ]);
  const base = { project, release: version, generation: n, siblings: siblings.filter((g) => g !== n) };
  if (read.status !== 'ok') {
    return {
      ...base,
      status: read.status,
      error: read.error,
      ...(read.status === 'pruned' && { tombstone: tombstoneView(read.data) }),
      manifest: null,
      states: [],
    };
  }
  const m = read.value;
  const states = await Promise.all(m.states.map((s) => stateView(registry, m, s.actor)));
  const damaged = states.find((s) => s.status !== 'ok');
  return {
    ...base,
    status: damaged === undefined ? 'ok' : 'damaged',
    ...(damaged?.error && { error: damaged.error }),
    manifest: m as unknown as Record<string, unknown>,
    states,
  };
}

async function stateView(registry: Registry, m: GenerationManifest, actor: string): Promise<StateView> {
  const entry = m.states.find((s) => s.actor === actor)!;
  const base = { actor, digest: entry.digest, size: entry.size, codec: entry.codec };
  const read = await outcome(() => registry.readState(m, actor));
  if (read.status !== 'ok') return { ...base, status: read.status, error: read.error, header: null };
  try {
    const { header } = readFrame(read.value);
    return { ...base, status: 'ok', header: { ...header } };
  } catch (error) {
    // Verified bytes that are not statekeep's frame: another codec's state, or a newer format.
    const headerError = isStatekeepError(error)
      ? errorView(error)
      : {
          code: 'UNSUPPORTED',
          message: `the state of ${actor} is not in statekeep's blob frame: ${(error as Error).message}`,
          hint: `its codec (${entry.codec}) writes a format of its own`,
        };
    return { ...base, status: 'ok', header: null, headerError };
  }
}

/** Which states changed digest and which metrics moved, from generation `a` to generation `b`. */
export async function diffView(
  registry: Registry,
  project: string,
  a: { release: string; generation: number },
  b: { release: string; generation: number },
): Promise<DiffView> {
  const [readA, readB] = await Promise.all([
    outcome(() => registry.manifest(project, a.release, a.generation)),
    outcome(() => registry.manifest(project, b.release, b.generation)),
  ]);
  const side = (at: typeof a, read: Outcome<GenerationManifest>): DiffSide =>
    read.status === 'ok'
      ? { ...at, status: 'ok', mode: read.value.mode, created: read.value.created }
      : { ...at, status: read.status, error: read.error, mode: null, created: null };
  const view: DiffView = { project, a: side(a, readA), b: side(b, readB), states: [], metrics: [] };
  if (readA.status !== 'ok' || readB.status !== 'ok') return view;
  const [ma, mb] = [readA.value, readB.value];
  const actors = [...new Set([...ma.states.map((s) => s.actor), ...mb.states.map((s) => s.actor)])];
  view.states = actors.map((actor): StateDiff => {
    const sa = ma.states.find((s) => s.actor === actor);
    const sb = mb.states.find((s) => s.actor === actor);
    const pick = (s: typeof sa) => (s === undefined ? null : { digest: s.digest, size: s.size });
    const change =
      sa === undefined ? 'added' : sb === undefined ? 'removed' : sa.digest === sb.digest ? 'same' : 'changed';
    return { actor, a: pick(sa), b: pick(sb), change };
  });
  const names = [...new Set([...Object.keys(ma.metrics), ...Object.keys(mb.metrics)])].sort();
  view.metrics = names.map((name): MetricDiff => {
    const va = ma.metrics[name] ?? null;
    const vb = mb.metrics[name] ?? null;
    return { name, a: va, b: vb, delta: va === null || vb === null ? null : vb - va };
  });
  return view;
}

/** The generation a diff compares against by default: the parent, else the one before. */
export async function defaultBase(
  registry: Registry,
  project: string,
  version: string,
  n: number,
): Promise<{ release: string; generation: number } | null> {
  const read = await outcome(() => registry.manifest(project, version, n));
  const parent = read.status === 'ok' ? parentRef(read.value) : null;
  if (parent !== null) return parent;
  const before = (await registry.generations(project, version)).filter((g) => g < n).at(-1);
  return before === undefined ? null : { release: version, generation: before };
}

export async function lineageView(registry: Registry, project: string): Promise<LineageView> {
  const versions = await registry.releaseVersions(project);
  const aliasRead = await outcome(() => registry.aliases(project));
  const aliases = aliasRead.status === 'ok' ? aliasRead.value : [];
  const pointedAt = new Map<string, string[]>();
  for (const a of aliases)
    if (a.to !== null) {
      const id = nodeId(a.to.release, a.to.generation);
      pointedAt.set(id, [...(pointedAt.get(id) ?? []), a.alias]);
    }
  const releases: LineageView['releases'] = [];
  const nodes: LineageNode[] = [];
  const edges: LineageEdge[] = [];
  for (const version of versions) {
    const record = await outcome(() => registry.release(project, version));
    releases.push(
      record.status === 'ok' ? { version, status: 'ok' } : { version, status: record.status, error: record.error },
    );
    const numbers = await registry.generations(project, version).catch((error: unknown) => {
      if (isStatekeepError(error) && error.code === 'INTEGRITY') return [];
      throw error;
    });
    const reads = await Promise.all(numbers.map((n) => outcome(() => registry.manifest(project, version, n))));
    reads.forEach((read, i) => {
      const n = numbers[i]!;
      const id = nodeId(version, n);
      const lineage =
        read.status === 'ok'
          ? {
              mode: read.value.mode,
              created: read.value.created,
              parent: parentRef(read.value),
              rollbackOf: read.value.rollbackOf,
            }
          : read.status === 'pruned'
            ? prunedLineage(version, tombstoneView(read.data))
            : { mode: null, created: null, parent: null, rollbackOf: null };
      nodes.push({
        id,
        release: version,
        generation: n,
        status: read.status,
        ...(read.status !== 'ok' && { error: read.error }),
        mode: lineage.mode,
        created: lineage.created,
        parent: lineage.parent,
        rollbackOf: lineage.rollbackOf,
        aliases: pointedAt.get(id) ?? [],
      });
      const reinstated =
        lineage.rollbackOf !== null ? { release: version, generation: lineage.rollbackOf } : lineage.parent;
      if (lineage.mode === 'rollback' && reinstated !== null)
        edges.push({ from: id, to: nodeId(reinstated.release, reinstated.generation), kind: 'rollback', label: null });
      else if (lineage.parent !== null)
        edges.push({
          from: nodeId(lineage.parent.release, lineage.parent.generation),
          to: id,
          kind: 'parent',
          label: null,
        });
    });
  }
  // Where an alias moved from one release to another, the history joins the releases' lines.
  for (const a of aliases) {
    const history = await aliasEntries(registry, project, a.alias);
    for (const e of [...history.entries].reverse())
      if (e.from !== null && e.to !== null && e.from.release !== e.to.release)
        edges.push({
          from: nodeId(e.from.release, e.from.generation),
          to: nodeId(e.to.release, e.to.generation),
          kind: 'alias',
          label: a.alias,
        });
  }
  const known = new Set(nodes.map((n) => n.id));
  return {
    project,
    releases,
    nodes,
    edges: edges.filter((e) => known.has(e.from) && known.has(e.to)),
    ...(aliasRead.status !== 'ok' && { aliasesError: aliasRead.error }),
  };
}

function nodeId(release: string, generation: number): string {
  return `${release}#${generation}`;
}

async function aliasEntries(
  registry: Registry,
  project: string,
  alias: string,
): Promise<{ entries: AliasEntryView[]; error?: ErrorView }> {
  const entries: AliasEntryView[] = [];
  try {
    for await (const e of registry.aliasHistory(project, alias))
      entries.push({
        entry: e.entry,
        action: e.action,
        time: e.time,
        from: e.from === null ? null : { release: e.from.release, generation: e.from.generation },
        to: e.to === null ? null : { release: e.to.release, generation: e.to.generation },
        reason: e.reason,
        statekeep: e.statekeep,
      });
  } catch (error) {
    // A damaged entry ends the walk; what was read before it (the newer entries) still shows.
    if (!isStatekeepError(error) || (error.code !== 'INTEGRITY' && error.code !== 'INCOMPATIBLE_FORMAT')) throw error;
    return { entries, error: errorView(error) };
  }
  return { entries };
}

export async function aliasView(registry: Registry, project: string, alias: string): Promise<AliasView> {
  const { entries, error } = await aliasEntries(registry, project, alias);
  if (entries.length === 0 && error === undefined) {
    // Never set: the Registry's NotFoundError says so, with its hint.
    await registry.resolveAlias(project, alias);
  }
  const current = entries[0]?.to ?? null;
  return { project, alias, current, entries, ...(error && { error }) };
}

/** A pruned generation's lineage, from its tombstone: parents there are numbers of its own release. */
function prunedLineage(
  version: string,
  t: TombstoneView,
): { mode: string | null; created: string | null; parent: ParentView | null; rollbackOf: number | null } {
  return {
    mode: t.mode,
    created: t.created,
    parent: t.parent === null ? null : { release: version, generation: t.parent },
    rollbackOf: t.rollbackOf,
  };
}
