import { StatekeepError } from './statekeep-error.js';

export interface ConflictData {
  [key: string]: unknown;
  project: string;
  alias: string;
  /** What the caller expected the alias to hold: "iris 1.1.0 #3", or "unset". */
  expected: string;
  /** What it holds now, in the same spelling. */
  actual: string;
}

/** A compare-and-swap lost: the alias no longer points where the caller expected. Nothing changed. */
export class ConflictError extends StatekeepError<ConflictData> {
  static readonly code = 'CONFLICT' as const;
  readonly code = ConflictError.code;

  constructor(data: ConflictData, hint = 'someone moved it meanwhile; check `statekeep alias history`, then retry') {
    super(
      `alias ${data.alias} of ${data.project} holds ${data.actual}, not the expected ${data.expected}; nothing changed`,
      hint,
      data,
    );
  }
}
