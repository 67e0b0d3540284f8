import { StatekeepError } from './statekeep-error.js';

export interface CopyConflictData {
  [key: string]: unknown;
  project: string;
  release?: string;
  alias?: string;
  /** The destination registry instance. */
  destination: string;
  /** What the destination holds that a copy would mix with: "generations 1, 2 of its own". */
  problem: string;
  /** The copy option that lets it go ahead anyway, when there is one. */
  argument?: 'append';
}

/**
 * A copy would mix the source's generations or alias history with the destination's own. Code
 * CONFLICT, like a lost alias compare-and-swap: what is there is not what the caller assumed.
 * Nothing of the release (or alias) was written.
 */
export class CopyConflictError extends StatekeepError<CopyConflictData> {
  static readonly code = 'CONFLICT' as const;
  readonly code = CopyConflictError.code;

  constructor(data: CopyConflictData, hint: string) {
    const what =
      data.alias !== undefined
        ? `alias ${data.alias} of ${data.project}`
        : `${data.project}${data.release !== undefined ? ` ${data.release}` : ''}`;
    super(
      `cannot copy ${what} into ${data.destination}: it holds ${data.problem}; nothing of it was copied`,
      hint,
      data,
    );
  }
}
