import { StatekeepError } from './statekeep-error.js';
import { where, type Location } from './where.js';

/** The part of a project's own code that failed. */
export type UserStep =
  | 'import'
  | 'pipeline'
  | 'train'
  | 'apply'
  | 'inverse'
  | 'getState'
  | 'setState'
  | 'getParams'
  | 'setParams'
  | 'score'
  | 'create';

export interface UserCodeData extends Location {
  [key: string]: unknown;
  step: UserStep;
  /** The metric whose score() threw. */
  metric?: string;
  /** The project module whose import threw (its path inside the package). */
  module?: string;
  /** The original error's message. */
  detail: string;
}

/**
 * The project's own code threw: an actor's method, the metric, the pipeline() factory or the
 * module itself. It is the project's failure, not statekeep's; the original error is the cause.
 */
export class UserCodeError extends StatekeepError<UserCodeData> {
  static readonly code = 'USER_CODE' as const;
  readonly code = UserCodeError.code;

  constructor(data: UserCodeData, options?: { cause?: unknown }) {
    super(`${whatThrew(data)}: ${data.detail}`, 'fix the project code; the error it threw is the cause', data, options);
  }
}

/** `actor "scaler" train() threw`, `metric "accuracy" score() threw`, `the project module index.mjs of iris 1.0.0 threw on import`. */
function whatThrew(data: UserCodeData): string {
  const at = where({ project: data.project, release: data.release });
  const of = at ? ` of ${at}` : '';
  if (data.step === 'import') return `the project module${data.module ? ` ${data.module}` : ''}${of} threw on import`;
  if (data.step === 'pipeline') return `pipeline()${of} threw`;
  if (data.step === 'create') return `create()${of} threw`;
  if (data.step === 'score') return `metric ${JSON.stringify(data.metric ?? '')} score()${of} threw`;
  return `actor ${JSON.stringify(data.actor ?? '')} ${data.step}()${of} threw`;
}
