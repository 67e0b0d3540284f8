import { UsageError } from '../registry/errors/index.js';
import { isStateful } from './actor.js';
import type { NamedActor } from './actor-names.js';
import type { BuiltPipeline } from './build-pipeline.js';
import { requireNumbers } from './data/feature-rows.js';
import type { GraphNode } from './graph.js';
import { joinOutputs, route } from './join.js';
import type { ProjectMetric } from './project.js';
import { awaitUser, callUser } from './user-code.js';

export type ActorListener = (actor: NamedActor, done: number, total: number) => void;

/**
 * Trains in order: the label path on the labels, then each step on the output of the step
 * before it, against the encoded labels; every branch of a set of branches on its share of the
 * same input. Stateless actors only transform.
 */
export async function trainPipeline(
  built: BuiltPipeline,
  features: unknown,
  labels: unknown,
  onActor: ActorListener = () => {},
  /** Which stateful actors train (default: all); the others only transform. */
  trains: (named: NamedActor) => boolean = () => true,
): Promise<void> {
  const total = built.actors.filter((a) => isStateful(a.actor) && trains(a)).length;
  let done = 0;
  const train = async (named: NamedActor, input: unknown, target: unknown): Promise<void> => {
    const { actor } = named;
    if (!isStateful(actor) || !trains(named)) return;
    if (actor.needs === 'numbers') requireNumbers(named.name, input);
    onActor(named, done, total);
    await awaitUser({ step: 'train', actor: named.name }, () => actor.train(input, target));
    done += 1;
  };
  // Actors after the last one that trains are not run: they may not be trained yet.
  const last = (list: readonly NamedActor[]): number =>
    list.reduce((at, named, i) => (isStateful(named.actor) && trains(named) ? i : at), -1);
  const lastLabel = last(built.labels);
  const lastStep = last(built.steps);
  const trainsWithin = (node: GraphNode): boolean =>
    node.kind === 'actor'
      ? isStateful(node.named.actor) && trains(node.named)
      : node.branches.some((b) => b.steps.some(trainsWithin));
  let y = labels;
  for (const [i, named] of built.labels.entries()) {
    if (lastStep < 0 && i > lastLabel) break;
    await train(named, y, y);
    y = await applyActor(named, y);
  }
  // Trains the nodes in order; returns their output only when something after them needs it.
  // Nodes after the last one that trains are not run: they may not be trained yet.
  const trainNodes = async (nodes: readonly GraphNode[], input: unknown, output: boolean): Promise<unknown> => {
    let x = input;
    for (const [i, node] of nodes.entries()) {
      const needed = output || nodes.slice(i + 1).some(trainsWithin);
      if (!needed && !trainsWithin(node)) break;
      if (node.kind === 'actor') {
        await train(node.named, x, y);
        if (needed) x = await applyActor(node.named, x);
        continue;
      }
      const outputs: unknown[] = [];
      for (const branch of node.branches) outputs.push(await trainNodes(branch.steps, route(node, branch, x), needed));
      if (needed) x = joinOutputs(node, outputs);
    }
    return x;
  };
  await trainNodes(built.graph, features, false);
}

function applyActor(named: NamedActor, input: unknown): Promise<unknown> {
  const { actor } = named;
  if (actor.needs === 'numbers') requireNumbers(named.name, input);
  return awaitUser({ step: 'apply', actor: named.name }, () => actor.apply(input));
}

async function applyNodes(nodes: readonly GraphNode[], input: unknown): Promise<unknown> {
  let x = input;
  for (const node of nodes) {
    if (node.kind === 'actor') {
      x = await applyActor(node.named, x);
      continue;
    }
    const outputs: unknown[] = [];
    for (const branch of node.branches) outputs.push(await applyNodes(branch.steps, route(node, branch, x)));
    x = joinOutputs(node, outputs);
  }
  return x;
}

/** Runs the steps, then the label path's inverse(), last first; one prediction per row. */
export async function predict(built: BuiltPipeline, features: readonly unknown[]): Promise<unknown[]> {
  let x: unknown = await applyNodes(built.graph, features);
  for (const { actor, name } of [...built.labels].reverse()) {
    const inverse = actor.inverse;
    if (typeof inverse === 'function')
      x = await awaitUser({ step: 'inverse', actor: name }, () => inverse.call(actor, x));
  }
  if (!Array.isArray(x) || x.length !== features.length) {
    const got = Array.isArray(x) ? `${x.length} predictions` : typeof x;
    throw new UsageError(
      `the pipeline returned ${got} for ${features.length} rows`,
      'the last step must return one prediction per input row, in order',
    );
  }
  return x;
}

/** The project's metric, which must be a finite number to be recorded. */
export function score(
  metric: ProjectMetric<unknown>,
  predicted: readonly unknown[],
  actual: readonly unknown[],
): number {
  const value = scoreOf(metric, predicted, actual);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new UsageError(
      `metric ${JSON.stringify(metric.name)} returned ${String(value)}, not a finite number`,
      'make score() return a finite number for any predictions',
    );
  }
  return plainZero(value);
}

/** Calls the project's metric, which is the project's code: what it throws is reported as such. */
export function scoreOf(
  metric: ProjectMetric<unknown>,
  predicted: readonly unknown[],
  actual: readonly unknown[],
): unknown {
  return callUser({ step: 'score', metric: metric.name }, () => metric.score(predicted, actual as never));
}

/** Manifests are JSON, which has no -0: a score recorded as -0 would read back as 0. */
export function plainZero(value: number): number {
  return value === 0 ? 0 : value;
}

/** Whether `a` beats `b` for this metric; ties keep the earlier candidate. */
export function better(metric: ProjectMetric<unknown>, a: number, b: number): boolean {
  return metric.direction === 'max' ? a > b : a < b;
}
