import type { Label, Params, ProjectDefinition, StatefulActor } from '../../src/pipeline/index.js';

export interface ProbeState {
  k: number;
  /** Rows trained on, over every generation. */
  rows: number;
  hook?: unknown;
}

export interface ProbeOptions {
  ordinal?: string | undefined;
  stateVersion?: number;
  /** Make getState() return a function (not serializable), or make train() throw. */
  fail?: 'state' | 'train';
  /** Add a second stateful actor named "extra". */
  extra?: boolean;
}

/** A tiny stateful actor whose state and predictions show exactly what the runtime did to it. */
export class Probe implements StatefulActor<(number | null)[][], number[], ProbeState> {
  readonly name: string;
  readonly stateVersion: number | undefined;
  #state: ProbeState = { k: 1, rows: 0 };
  readonly #fail: ProbeOptions['fail'];

  constructor(name: string, options: ProbeOptions = {}) {
    this.name = name;
    this.stateVersion = options.stateVersion;
    this.#fail = options.fail;
  }

  train(rows: (number | null)[][]): void {
    if (this.#fail === 'train') throw new Error('probe failed to train');
    this.#state = { ...this.#state, rows: this.#state.rows + rows.length };
  }

  /** Predicts k for every row, so the metric can see the hyper-parameter. */
  apply(rows: (number | null)[][]): number[] {
    return rows.map(() => this.#state.k);
  }

  getState(): ProbeState {
    return this.#fail === 'state' ? { ...this.#state, hook: () => 1 } : { ...this.#state };
  }

  setState(state: ProbeState): void {
    this.#state = { k: state.k, rows: state.rows };
  }

  getParams(): Params {
    return { k: this.#state.k };
  }

  setParams(params: Params): void {
    if (typeof params.k === 'number') this.#state = { ...this.#state, k: params.k };
  }
}

/** Scores best (0) when k is 3; the labels do not matter. */
export function probeProject(options: ProbeOptions = {}): ProjectDefinition<number> {
  return {
    label: 'y',
    features: ['x'],
    ...(options.ordinal === undefined ? {} : { ordinal: options.ordinal }),
    metric: {
      name: 'closeness',
      direction: 'max',
      score: (predicted: readonly number[], _actual: readonly Label[]) =>
        -predicted.reduce((s, p) => s + Math.abs(p - 3), 0) / Math.max(1, predicted.length),
    },
    pipeline: () => ({ steps: [new Probe('probe', options), ...(options.extra === true ? [new Probe('extra')] : [])] }),
    tuning: { space: { 'probe.k': [1, 2, 3, 4] } },
  };
}

export function probeRows(
  count: number,
  ordinal?: (i: number) => number | string,
): Record<string, number | string | null>[] {
  return Array.from({ length: count }, (_, i) => ({
    x: i,
    y: i % 2,
    ...(ordinal === undefined ? {} : { n: ordinal(i) }),
  }));
}
