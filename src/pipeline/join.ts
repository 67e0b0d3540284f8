import { UsageError } from '../registry/errors/index.js';
import {
  columnsOf,
  describeRows,
  originOf,
  selectColumns,
  type ColumnInfo,
  type FeatureRows,
} from './data/feature-rows.js';
import { routedColumns, type BranchesNode, type BranchNode } from './graph.js';

/** A branch's share of its node's input: the columns it routes (by name), or all of it. */
export function route(node: BranchesNode, branch: BranchNode, input: unknown): unknown {
  if (branch.columns === null) return input;
  const columns = columnsOf(input);
  if (columns === undefined)
    throw new UsageError(
      `branch ${JSON.stringify(branch.name)} at ${node.place} routes columns, but its input has no column names`,
      'route columns at the start of the pipeline, or at the start of a branch that routes columns',
      { branch: branch.path, place: node.place },
    );
  routedColumns(
    branch,
    node.place,
    columns.map((c) => c.name),
  );
  return selectColumns(input as FeatureRows, branch.columns);
}

/** Joins the branches' outputs, one per row, as the node says: side by side, averaged, or by vote. */
export function joinOutputs(node: BranchesNode, outputs: readonly unknown[]): unknown {
  const rows = outputs.map((output, b) => {
    const branch = node.branches[b]!;
    if (!Array.isArray(output))
      throw new UsageError(
        `branch ${JSON.stringify(branch.name)} at ${node.place} returned ${output === null ? 'null' : typeof output}, not one output per row`,
        `the last step of every branch must return an array with one item per row, to ${node.join} them`,
        { branch: branch.path, place: node.place },
      );
    return output as unknown[];
  });
  const length = rows[0]!.length;
  rows.forEach((output, b) => {
    if (output.length !== length) {
      const branch = node.branches[b]!;
      throw new UsageError(
        `branch ${JSON.stringify(branch.name)} at ${node.place} returned ${output.length} rows where branch ${JSON.stringify(node.branches[0]!.name)} returned ${length}`,
        'every branch must return one output per input row, in order, to be joined',
        { branch: branch.path, place: node.place, actor: lastActor(branch), rows: output.length, expected: length },
      );
    }
  });
  switch (node.join) {
    case 'union':
      return union(node, rows);
    case 'average':
      return average(node, rows);
    case 'vote':
      return vote(rows);
  }
}

/** The actor whose output a branch returns, if its last step is an actor. */
function lastActor(branch: BranchNode): string | undefined {
  const last = branch.steps.at(-1);
  return last?.kind === 'actor' ? last.named.name : undefined;
}

function union(node: BranchesNode, outputs: readonly unknown[][]): unknown[][] {
  const length = outputs[0]!.length;
  const joined: unknown[][] = new Array(length);
  for (let r = 0; r < length; r += 1) {
    const row: unknown[] = [];
    for (const output of outputs) {
      const part = output[r];
      if (Array.isArray(part)) for (const value of part) row.push(value);
      else row.push(part);
    }
    joined[r] = row;
  }
  // Branches that pass named columns through keep their names, so a later branch can route them.
  const named = outputs.map((o) => columnsOf(o));
  if (named.every((c) => c !== undefined)) {
    const columns: ColumnInfo[] = named.flatMap((c) => [...c!]);
    const names = columns.map((c) => c.name);
    if (names.every((n, i) => names.indexOf(n) === i)) {
      const origin = originOf(outputs[0]) ?? { source: node.place, lineOf: () => undefined };
      return describeRows(joined as FeatureRows, columns, origin);
    }
  }
  return joined;
}

function average(node: BranchesNode, outputs: readonly unknown[][]): unknown[] {
  const length = outputs[0]!.length;
  const mean: unknown[] = new Array(length);
  const fail = (b: number, r: number, value: unknown): never => {
    throw new UsageError(
      `branch ${JSON.stringify(node.branches[b]!.name)} at ${node.place} returned ${JSON.stringify(value)} for row ${r + 1}, which cannot be averaged`,
      'average branches that return numbers, or arrays of numbers of one length (such as class probabilities); vote on labels',
      { branch: node.branches[b]!.path, place: node.place, row: r + 1 },
    );
  };
  for (let r = 0; r < length; r += 1) {
    const first = outputs[0]![r];
    if (Array.isArray(first)) {
      const sum = new Array<number>(first.length).fill(0);
      outputs.forEach((output, b) => {
        const value = output[r];
        if (!Array.isArray(value) || value.length !== first.length) fail(b, r, value);
        (value as unknown[]).forEach((v, k) => {
          if (typeof v !== 'number') fail(b, r, value);
          sum[k]! += v as number;
        });
      });
      mean[r] = sum.map((v) => v / outputs.length);
    } else {
      let sum = 0;
      outputs.forEach((output, b) => {
        const value = output[r];
        if (typeof value !== 'number') fail(b, r, value);
        sum += value as number;
      });
      mean[r] = sum / outputs.length;
    }
  }
  return mean;
}

function vote(outputs: readonly unknown[][]): unknown[] {
  const length = outputs[0]!.length;
  const chosen: unknown[] = new Array(length);
  for (let r = 0; r < length; r += 1) {
    const counts = new Map<unknown, number>();
    let most = 0;
    for (const output of outputs) {
      const count = (counts.get(output[r]) ?? 0) + 1;
      counts.set(output[r], count);
      most = Math.max(most, count);
    }
    // Of the values with the most votes, the one an earlier branch gave: a tie goes to the earliest branch.
    chosen[r] = outputs.find((output) => counts.get(output[r]) === most)![r];
  }
  return chosen;
}
