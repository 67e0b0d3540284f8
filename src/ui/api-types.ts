// The JSON the web view's API answers with: one shape per page, shared by the server (src/ui/)
// and the browser app (src/ui/app/). Types only, so the app can import them without Node.

/** How a stored thing read: intact, damaged (an IntegrityError or an unreadable format), or pruned (a tombstone). */
export type ReadStatus = 'ok' | 'damaged' | 'pruned';

/** A StatekeepError as the API shows it: never a stack, never a secret (the Registry's messages name none). */
export interface ErrorView {
  code: string;
  message: string;
  hint: string;
}

/** What stays of a pruned generation, as its tombstone records it (fields may be absent). */
/** A generation's parent: in its own release, or in another one when it was warm-started from there. */
export interface ParentView {
  release: string;
  generation: number;
}

export interface TombstoneView {
  prunedAt: string | null;
  rule: string | null;
  mode: string | null;
  created: string | null;
  parent: number | null;
  rollbackOf: number | null;
}

export interface TargetView {
  release: string;
  generation: number;
}

export interface ProjectSummary {
  name: string;
  status: ReadStatus;
  error?: ErrorView;
  releases: number;
  generations: number;
  /** The newest time stamp seen: a release created, a generation committed, an alias moved. */
  newest: string | null;
}

export interface ProjectsView {
  registry: string;
  projects: ProjectSummary[];
}

export interface ReleaseRow {
  version: string;
  status: ReadStatus;
  error?: ErrorView;
  created: string | null;
  package: { digest: string; size: number } | null;
  commit: string | null;
  info: Record<string, string | null>;
  generations: number;
  latest: number | null;
  /** The newest generation's commit time, when its manifest reads. */
  newest: string | null;
}

export interface AliasRow {
  name: string;
  target: TargetView | null;
  time: string;
  reason: string | null;
  entry: number;
}

export interface ProjectView {
  project: string;
  releases: ReleaseRow[];
  aliases: AliasRow[];
  /** Set when the aliases could not be read; the releases still show. */
  aliasesError?: ErrorView;
}

export interface StateProblem {
  actor: string;
  digest: string;
  error: ErrorView;
}

export interface GenerationRow {
  generation: number;
  status: ReadStatus;
  error?: ErrorView;
  tombstone?: TombstoneView;
  mode: string | null;
  created: string | null;
  parent: ParentView | null;
  rollbackOf: number | null;
  rows: number | null;
  metrics: Record<string, number>;
  tuning: { score: number; trials: number; params: Record<string, unknown> } | null;
  states: number;
  bytes: number;
  /** States whose blob did not verify (the reason the row is damaged, when its manifest read). */
  damagedStates: StateProblem[];
}

export interface ReleaseView {
  project: string;
  release: ReleaseRow;
  generations: GenerationRow[];
  /** Every metric name any readable generation reports, sorted. */
  metrics: string[];
}

/** The frame header at the start of every state blob (src/codec/blob-frame.ts). */
export interface StateHeaderView {
  format: number;
  statekeep: string;
  actor: string;
  stateVersion: number;
  encoding: string;
  compression: string;
  size: number;
}

export interface StateView {
  actor: string;
  digest: string;
  size: number;
  codec: string;
  status: ReadStatus;
  error?: ErrorView;
  header: StateHeaderView | null;
  /** Why the header could not be decoded from verified bytes (a blob of another codec, a newer format). */
  headerError?: ErrorView;
}

export interface GenerationView {
  project: string;
  release: string;
  generation: number;
  status: ReadStatus;
  error?: ErrorView;
  tombstone?: TombstoneView;
  /** The manifest in full, as stored (checksum verified), when it reads. */
  manifest: Record<string, unknown> | null;
  states: StateView[];
  /** Other generations of the release, to diff against. */
  siblings: number[];
}

export interface DiffSide extends TargetView {
  status: ReadStatus;
  error?: ErrorView;
  mode: string | null;
  created: string | null;
}

export interface StateDiff {
  actor: string;
  a: { digest: string; size: number } | null;
  b: { digest: string; size: number } | null;
  change: 'same' | 'changed' | 'added' | 'removed';
}

export interface MetricDiff {
  name: string;
  a: number | null;
  b: number | null;
  /** b - a, when both have it. */
  delta: number | null;
}

export interface DiffView {
  project: string;
  a: DiffSide;
  b: DiffSide;
  /** Empty unless both manifests read. */
  states: StateDiff[];
  metrics: MetricDiff[];
}

export interface LineageNode {
  id: string;
  release: string;
  generation: number;
  status: ReadStatus;
  error?: ErrorView;
  mode: string | null;
  created: string | null;
  parent: ParentView | null;
  rollbackOf: number | null;
  /** Aliases that point here now. */
  aliases: string[];
}

export interface LineageEdge {
  from: string;
  to: string;
  /** parent: warm start (parent → child); rollback: the rollback → the generation it reinstates; alias: an alias moved from → to. */
  kind: 'parent' | 'rollback' | 'alias';
  label: string | null;
}

export interface LineageView {
  project: string;
  releases: { version: string; status: ReadStatus; error?: ErrorView }[];
  nodes: LineageNode[];
  edges: LineageEdge[];
  aliasesError?: ErrorView;
}

export interface AliasEntryView {
  entry: number;
  action: 'set' | 'rm';
  time: string;
  from: TargetView | null;
  to: TargetView | null;
  reason: string | null;
  statekeep: string;
}

export interface AliasView {
  project: string;
  alias: string;
  current: TargetView | null;
  /** Newest first. */
  entries: AliasEntryView[];
  /** Set when an entry could not be read: the entries before it (newer ones) still show. */
  error?: ErrorView;
}

export interface ApiError {
  error: ErrorView;
}
