/**
 * The actor contracts. They are structural on purpose: a project's bundle imports statekeep
 * for types only, so an actor is recognised by what it has, never by a base class (two copies
 * of a base class would defeat instanceof anyway).
 */

/** A label as it appears in a data file. */
export type Label = string | number | boolean;

/** A hyper-parameter value: plain data, so it can be recorded in a manifest. */
export type ParamValue = number | string | boolean | null;
export type Params = Record<string, ParamValue>;

/**
 * A stateless actor: it only transforms. `name` keys the actor in manifests and parameter
 * routing; without one the runtime derives it from the class name (StandardScaler →
 * standard-scaler).
 */
export interface Actor<In = unknown, Out = unknown> {
  readonly name?: string;
  /**
   * 'numbers': the actor takes numbers (or missing cells) only. The runtime then refuses any
   * other input before the actor sees it, with BAD_DATA naming the column, its line and the actor.
   */
  readonly needs?: 'numbers';
  apply(input: In): Out | Promise<Out>;
  getParams?(): Params;
  setParams?(params: Params): void;
}

/**
 * A stateful actor: it learns from data, and the runtime persists what it learned. Whatever
 * getState() returns (or the promise it returns resolves to) is encoded into the generation;
 * setState() receives a decoded copy before training (warm start) or applying, and may be
 * async. train() must continue from the current state, so
 * that a warm start really continues.
 */
export interface StatefulActor<In = unknown, Out = unknown, State = unknown, Labels = readonly Label[]>
  extends Actor<In, Out> {
  train(features: In, labels: Labels): void | Promise<void>;
  /** May return a promise (TensorFlow.js saves asynchronously); the runtime awaits it before encoding. */
  getState(): State | Promise<State>;
  /** May return a promise; the runtime awaits it before the actor trains or applies. */
  setState(state: State): void | Promise<void>;
  getParams(): Params;
  /** Receives only the parameters addressed to this actor, without the actor-name prefix. */
  setParams(params: Params): void;
  /** Bump it when the shape of the state changes; a state written under another version is refused. Default 0. */
  readonly stateVersion?: number;
  /**
   * false for an actor whose train() refits from scratch (a random forest, PCA, most ml.js
   * models): a warm start then retrains it, and every stateful actor after it, on every row the
   * lineage has seen instead of continuing from the parent's state. Default true.
   */
  readonly incremental?: boolean;
}

/**
 * An actor on the label path. Its output is what the supervised steps train on; on apply the
 * predictions pass back through inverse(), so they come out in the terms of the label column.
 * A label actor without inverse() leaves predictions as they are. A stateful label actor is
 * trained with the labels as they reach it, as both its features and its labels.
 */
export interface LabelActor<In = readonly Label[], Out = unknown> extends Actor<In, Out> {
  inverse?(encoded: Out): In;
}

// Methods are compared bivariantly, so every Actor<In, Out> is assignable to this.
/** Any actor, whatever it consumes and produces. */
export type AnyActor = Actor<never, unknown>;

/** Any label-path actor. */
export type AnyLabelActor = AnyActor & { inverse?(encoded: never): unknown };

/** The runtime's own view of an actor, once the input and output types no longer matter. */
export interface LooseActor {
  readonly name?: unknown;
  readonly needs?: unknown;
  apply(input: unknown): unknown;
  train?(features: unknown, labels: unknown): unknown;
  getState?(): unknown;
  setState?(state: unknown): unknown;
  getParams?(): Params;
  setParams?(params: Params): void;
  inverse?(encoded: unknown): unknown;
  readonly stateVersion?: unknown;
  readonly incremental?: unknown;
}

export type LooseStatefulActor = LooseActor & Required<Pick<LooseActor, 'train' | 'getState' | 'setState'>>;

const STATEFUL = ['train', 'getState', 'setState'] as const;

/** Stateful means having train, getState and setState; having only some of them is a mistake. */
export function statefulMembers(actor: LooseActor): { present: string[]; missing: string[] } {
  const present = STATEFUL.filter((m) => typeof actor[m] === 'function');
  return { present, missing: STATEFUL.filter((m) => !present.includes(m)) };
}

export function isStateful(actor: LooseActor): actor is LooseStatefulActor {
  return statefulMembers(actor).missing.length === 0;
}
