import type { Registry } from '../registry/registry.js';
import type { GenerationNumber, ReleaseVersion } from '../registry/versions.js';
import {
  loadGeneration,
  resolveGeneration,
  type GenerationRef,
  type Predictor,
  type PredictorOptions,
} from './predictor.js';

export interface FollowOptions extends PredictorOptions {
  /** How often to ask where the target points (one cheap call). Default 1000. */
  intervalMs?: number;
  /** After each swap, with the predictor now serving. */
  onChange?: (current: Predictor, previous: Predictor) => void;
  /** A poll or a load failed; the predictor that was serving keeps serving. */
  onError?: (error: unknown) => void;
}

export interface Follower {
  /** The predictor serving now: always one whole generation. */
  current(): Predictor;
  /** Stops polling; current() keeps answering with the last predictor. */
  close(): void;
}

/**
 * Loads what `at` names (an alias, or the latest generation), then polls it; when it points
 * elsewhere, loads that generation in the background and swaps it in with one assignment, so
 * a caller holding current() keeps one whole predictor. A generation that fails to load is
 * reported and not retried until the target moves again.
 */
export async function followPredictor(registry: Registry, project: string, options: FollowOptions): Promise<Follower> {
  const at: GenerationRef = options.at ?? 'latest';
  const where = { ...(options.release !== undefined && { release: options.release }), at };
  let current = await loadGeneration(registry, project, await resolveGeneration(registry, project, where), options);
  let failed: string | null = null;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  const report = (error: unknown): void => {
    try {
      options.onError?.(error);
    } catch {
      // A failing listener must not stop the following.
    }
  };
  const poll = async (): Promise<void> => {
    const target = await resolveGeneration(registry, project, where);
    const key = keyOf(target);
    if (key === keyOf(current) || key === failed) return;
    let next: Predictor;
    try {
      next = await loadGeneration(registry, project, target, options);
    } catch (error) {
      failed = key;
      throw error;
    }
    if (closed) return;
    const previous = current;
    current = next;
    failed = null;
    options.onChange?.(next, previous);
  };
  const schedule = (): void => {
    // A generation number names one generation for good: nothing to follow.
    if (closed || typeof at === 'number') return;
    timer = setTimeout(() => {
      poll().catch(report).finally(schedule);
    }, options.intervalMs ?? 1000);
    timer.unref();
  };
  schedule();
  return {
    current: () => current,
    close: () => {
      closed = true;
      clearTimeout(timer);
    },
  };
}

function keyOf(target: { release: ReleaseVersion; generation: GenerationNumber }): string {
  return `${target.release}#${target.generation}`;
}
