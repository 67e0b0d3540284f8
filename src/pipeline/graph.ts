import { UsageError } from '../registry/errors/index.js';
import type { StructureNode } from '../registry/manifest.js';
import type { NamedActor, PlacedActor } from './actor-names.js';
import type { Join } from './pipeline.js';

/** A step of a built pipeline: a named actor, or branches joined into one output. */
export type GraphNode = ActorNode | BranchesNode;

export interface ActorNode {
  readonly kind: 'actor';
  readonly named: NamedActor;
}

export interface BranchesNode {
  readonly kind: 'branches';
  readonly join: Join;
  /** Where the pipeline holds it, for messages: `steps[0]`. */
  readonly place: string;
  readonly branches: readonly BranchNode[];
}

export interface BranchNode {
  readonly name: string;
  /** The full name that prefixes its actors: `numeric`, or `outer.inner` in a nested branch. */
  readonly path: string;
  readonly place: string;
  readonly columns: readonly string[] | null;
  readonly steps: readonly GraphNode[];
}

const JOINS: readonly Join[] = ['union', 'average', 'vote'];
const BRANCH_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const HINT_BRANCHES =
  'write branches as { branches: { numeric: { columns: ["a", "b"], steps: [imputer, scaler] }, … }, join: "union" | "average" | "vote" }';

/** A step that is not an actor but branches (recognised by shape: a `branches` object and no apply()). */
function isBranches(step: unknown): step is { branches: unknown; join?: unknown } {
  return (
    typeof step === 'object' &&
    step !== null &&
    'branches' in step &&
    typeof (step as { apply?: unknown }).apply !== 'function'
  );
}

/**
 * Reads a pipeline's steps into a graph, listing every actor with its place and branch so that
 * nameActors can name and check them all at once; `resolve` then maps each placed actor to its
 * named form. Malformed branches are refused with their place.
 */
export function readSteps(steps: readonly unknown[]): {
  placed: PlacedActor[];
  resolve(named: readonly NamedActor[]): GraphNode[];
} {
  const placed: PlacedActor[] = [];
  type Draft = { kind: 'actor'; at: number } | { kind: 'branches'; join: Join; place: string; branches: DraftBranch[] };
  interface DraftBranch {
    name: string;
    path: string[];
    place: string;
    columns: string[] | null;
    steps: Draft[];
  }
  const read = (list: readonly unknown[], branch: string[], place: (i: number) => string): Draft[] =>
    list.map((step, index) => {
      const at = place(index);
      if (!isBranches(step)) {
        placed.push({ actor: step, path: 'steps', index, branch, place: at });
        return { kind: 'actor', at: placed.length - 1 };
      }
      const join = step.join ?? 'union';
      if (!JOINS.includes(join as Join))
        throw new UsageError(
          `pipeline ${at} joins its branches by ${JSON.stringify(join)}, which is not union, average or vote`,
          HINT_BRANCHES,
        );
      const { branches } = step;
      if (typeof branches !== 'object' || branches === null || Array.isArray(branches))
        throw new UsageError(`pipeline ${at}.branches is not an object of named branches`, HINT_BRANCHES);
      const entries = Object.entries(branches as Record<string, unknown>);
      if (entries.length === 0) throw new UsageError(`pipeline ${at} has no branches`, HINT_BRANCHES);
      return {
        kind: 'branches',
        join: join as Join,
        place: at,
        branches: entries.map(([name, raw]) => {
          const where = `${at}.${name}`;
          if (!BRANCH_NAME.test(name))
            throw new UsageError(
              `pipeline ${at} has a branch named ${JSON.stringify(name)}`,
              'name branches with letters, digits, _ and - (no dots: the dot separates a branch from its actors)',
            );
          const b = raw as { columns?: unknown; steps?: unknown } | null;
          if (typeof b !== 'object' || b === null || !Array.isArray(b.steps))
            throw new UsageError(`pipeline ${where} is not { columns?, steps: [...] }`, HINT_BRANCHES);
          let columns: string[] | null = null;
          if (b.columns !== undefined) {
            if (
              !Array.isArray(b.columns) ||
              b.columns.length === 0 ||
              !b.columns.every((c) => typeof c === 'string' && c !== '')
            )
              throw new UsageError(`pipeline ${where}.columns is not a non-empty list of column names`, HINT_BRANCHES);
            const repeated = (b.columns as string[]).find(
              (c, i) => b.columns !== undefined && (b.columns as string[]).indexOf(c) !== i,
            );
            if (repeated !== undefined)
              throw new UsageError(
                `branch ${JSON.stringify(name)} at ${at} routes column ${JSON.stringify(repeated)} twice`,
                HINT_BRANCHES,
              );
            columns = [...(b.columns as string[])];
          }
          const path = [...branch, name];
          return {
            name,
            path,
            place: where,
            columns,
            steps: read(b.steps, path, (i) => `${where}[${i}]`),
          };
        }),
      };
    });
  const drafts = read(steps, [], (i) => `steps[${i}]`);
  const resolve = (named: readonly NamedActor[]): GraphNode[] => {
    const build = (list: Draft[]): GraphNode[] =>
      list.map((d) =>
        d.kind === 'actor'
          ? { kind: 'actor', named: named[d.at]! }
          : {
              kind: 'branches',
              join: d.join,
              place: d.place,
              branches: d.branches.map((b) => ({
                name: b.name,
                path: b.path.join('.'),
                place: b.place,
                columns: b.columns,
                steps: build(b.steps),
              })),
            },
      );
    return build(drafts);
  };
  return { placed, resolve };
}

/**
 * Checks, before any data is read, that every branch naming columns gets named input: at the
 * start of the pipeline (whose columns are `features`, when the project declares them; null
 * when only the data will tell) or at the start of a branch that routes columns itself.
 */
export function checkRouting(graph: readonly GraphNode[], features: readonly string[] | null): void {
  const walk = (nodes: readonly GraphNode[], input: readonly string[] | null | 'unnamed', after: string | null) => {
    let current = input;
    let previous = after;
    for (const node of nodes) {
      if (node.kind === 'actor') {
        current = 'unnamed';
        previous = node.named.name;
        continue;
      }
      for (const branch of node.branches) {
        if (branch.columns !== null) {
          if (current === 'unnamed')
            throw new UsageError(
              `branch ${JSON.stringify(branch.name)} at ${node.place} routes columns, but its input is the output of ${previous === null ? 'branches' : `actor ${JSON.stringify(previous)}`}, which has no column names`,
              'route columns at the start of the pipeline, or at the start of a branch that routes columns',
              { branch: branch.path, place: node.place, ...(previous === null ? {} : { actor: previous }) },
            );
          if (current !== null) routedColumns(branch, node.place, current);
        }
        walk(branch.steps, branch.columns ?? current, previous);
      }
      current = 'unnamed';
      previous = null;
    }
  };
  walk(graph, features, null);
}

/** The positions of a branch's columns in its input; a column the input lacks is refused with the branch and its place. */
export function routedColumns(branch: BranchNode, place: string, available: readonly string[]): number[] {
  return branch.columns!.map((column) => {
    const at = available.indexOf(column);
    if (at < 0)
      throw new UsageError(
        `branch ${JSON.stringify(branch.name)} at ${place} routes column ${JSON.stringify(column)}, which its input does not have (it has ${available.join(', ') || 'no columns'})`,
        'correct the column name in the branch, or add the column to the features',
        { branch: branch.path, place, column },
      );
    return at;
  });
}

/**
 * The pipeline's structure as a manifest records it: a generic tree of named nodes, an actor's
 * node naming it (so a generation's states can be shown by branch).
 */
export function describeGraph(labels: readonly NamedActor[], graph: readonly GraphNode[]): StructureNode {
  const actor = (named: NamedActor): StructureNode => ({
    kind: 'actor',
    name: named.name,
    actor: named.name,
    attributes: { stateful: typeof named.actor.train === 'function' },
  });
  const nodes = (list: readonly GraphNode[]): StructureNode[] =>
    list.map((node) =>
      node.kind === 'actor'
        ? actor(node.named)
        : {
            kind: 'branches',
            name: node.place,
            attributes: { join: node.join },
            children: node.branches.map((b) => ({
              kind: 'branch',
              name: b.path,
              ...(b.columns === null ? {} : { attributes: { columns: [...b.columns] } }),
              children: nodes(b.steps),
            })),
          },
    );
  return {
    kind: 'pipeline',
    name: 'pipeline',
    children: [
      { kind: 'labels', name: 'labels', children: labels.map(actor) },
      { kind: 'steps', name: 'steps', children: nodes(graph) },
    ],
  };
}
