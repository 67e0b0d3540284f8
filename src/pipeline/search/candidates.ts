import { UsageError } from '../../registry/errors/index.js';
import type { ParamValue, Params } from '../actor.js';
import type { ParamRange, ParamSpace, SearchStrategy } from '../project.js';
import { stream, type Random } from './random.js';

export interface SearchPlan {
  strategy: SearchStrategy;
  candidates: Params[];
}

/**
 * The candidates to score. Grid: every combination, the first parameter varying slowest.
 * Random: `trials` draws, each parameter independently: a uniform choice from a list, or a
 * uniform (or log-uniform) sample from a range.
 */
export interface SearchOptions {
  strategy?: SearchStrategy | undefined;
  /** Asked for explicitly: random search draws this many; grid search refuses any other count. */
  trials?: number | undefined;
  /** The project's default for random search. */
  defaultTrials?: number | undefined;
  seed: number;
}

export function planSearch(space: Readonly<Record<string, ParamSpace>>, options: SearchOptions): SearchPlan {
  const { strategy, trials, seed } = options;
  const entries = Object.entries(space).map(([key, values]) => [key, checkSpace(key, values)] as const);
  const chosen = strategy ?? (entries.every(([, v]) => Array.isArray(v)) ? 'grid' : 'random');
  if (chosen === 'grid') {
    const range = entries.find(([, v]) => !Array.isArray(v));
    if (range !== undefined)
      throw new UsageError(
        `grid search needs a list of values for ${JSON.stringify(range[0])}, which has a range`,
        'list the values to try, or use random search',
        { argument: range[0] },
      );
    const size = entries.reduce((n, [, v]) => n * (v as ParamValue[]).length, 1);
    if (trials !== undefined && trials !== size) {
      throw new UsageError(
        `grid search scores every one of its ${size} combinations; a number of trials (${trials}) does not apply`,
        'leave out the number of trials, or use random search to sample',
        { argument: 'trials' },
      );
    }
    return { strategy: 'grid', candidates: grid(entries as [string, ParamValue[]][]) };
  }
  const random = stream(seed, 'search');
  const count = trials ?? options.defaultTrials ?? 20;
  const candidates = Array.from({ length: count }, () =>
    Object.fromEntries(entries.map(([key, values]) => [key, draw(values, random)])),
  );
  return { strategy: 'random', candidates };
}

function grid(entries: readonly [string, ParamValue[]][]): Params[] {
  let combos: Params[] = [{}];
  for (const [key, values] of entries)
    combos = combos.flatMap((combo) => values.map((value) => ({ ...combo, [key]: value })));
  return combos;
}

function draw(values: ParamSpace, random: Random): ParamValue {
  if (isList(values)) return values[Math.floor(random() * values.length)]!;
  const { min, max, scale = 'linear', integer = false } = values;
  const u = random();
  const x = scale === 'log' ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
  return integer ? Math.min(Math.floor(max), Math.max(Math.ceil(min), Math.round(x))) : x;
}

function isList(values: ParamSpace): values is readonly ParamValue[] {
  return Array.isArray(values);
}

function checkSpace(key: string, values: unknown): ParamSpace {
  const fail = (problem: string): never => {
    throw new UsageError(
      `tuning space ${JSON.stringify(key)}: ${problem}`,
      'give a list of values, or a range { min, max, scale?: "linear" | "log", integer?: boolean }',
      { argument: key },
    );
  };
  if (Array.isArray(values)) {
    if (values.length === 0) fail('the list of values is empty');
    const bad = values.find(
      (v) =>
        !(v === null || ['number', 'string', 'boolean'].includes(typeof v)) ||
        (typeof v === 'number' && !Number.isFinite(v)),
    );
    if (bad !== undefined) fail(`${JSON.stringify(bad) ?? String(bad)} is not a number, string, boolean or null`);
    return values as ParamValue[];
  }
  const r = values as Partial<ParamRange> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.min !== 'number' ||
    typeof r.max !== 'number' ||
    !Number.isFinite(r.min) ||
    !Number.isFinite(r.max)
  )
    return fail('neither a list nor a { min, max } range');
  if (r.min > r.max) fail(`min ${r.min} is above max ${r.max}`);
  if (r.scale !== undefined && r.scale !== 'linear' && r.scale !== 'log')
    fail(`scale ${JSON.stringify(r.scale)} is neither "linear" nor "log"`);
  if (r.scale === 'log' && r.min <= 0) fail('a log scale needs min above 0');
  if (r.integer === true && Math.ceil(r.min) > Math.floor(r.max)) fail('the range holds no whole number');
  return r as ParamRange;
}
