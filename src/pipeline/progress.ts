import type { Clock } from '../registry/clock.js';
import type { Params } from './actor.js';

export type RunKind = 'train' | 'tune' | 'apply' | 'eval';
/** load: states read from a generation; train: an actor starts training; trial: a tuning candidate was scored; commit: the generation is written; fold: a cross-validation fold was scored. */
export type ProgressStage = 'load' | 'train' | 'trial' | 'predict' | 'commit' | 'fold';

/** What a run reports as it goes; the CLI renders it as one progress line on a terminal. */
export interface ProgressEvent {
  readonly run: RunKind;
  readonly stage: ProgressStage;
  /** Units of this stage finished, and expected (actors for train, candidates for trial). */
  readonly done: number;
  readonly total: number;
  /** One line for people, e.g. "trial 3/12: accuracy 0.947 (model.learningRate=0.1)". */
  readonly message: string;
  /** Since the run started, by the runtime's clock. */
  readonly elapsedMs: number;
  readonly actor?: string;
  readonly generation?: number;
  readonly score?: number;
  readonly params?: Params;
}

export type ProgressListener = (event: ProgressEvent) => void;

export type ProgressDetail = Pick<ProgressEvent, 'actor' | 'generation' | 'score' | 'params'>;

/** Stamps and forwards one run's events; without a listener it does nothing. */
export class RunProgress {
  readonly #run: RunKind;
  readonly #clock: Clock;
  readonly #listener: ProgressListener | undefined;
  readonly #start: number;

  constructor(run: RunKind, clock: Clock, listener: ProgressListener | undefined) {
    this.#run = run;
    this.#clock = clock;
    this.#listener = listener;
    this.#start = clock().getTime();
  }

  get elapsedMs(): number {
    return this.#clock().getTime() - this.#start;
  }

  emit(stage: ProgressStage, done: number, total: number, message: string, detail: ProgressDetail = {}): void {
    this.#listener?.({ run: this.#run, stage, done, total, message, elapsedMs: this.elapsedMs, ...detail });
  }
}
