import { StatekeepError } from './statekeep-error.js';
import { where } from './where.js';

export interface PrunedData {
  [key: string]: unknown;
  what: 'generation';
  project: string;
  release: string;
  generation: number;
  /** Always true: tells a pruned generation from one that never existed (both are NOT_FOUND). */
  pruned: true;
  /** UTC ISO-8601: when it was pruned. */
  prunedAt: string;
  /** The retention rule that let it go, as configured then: "keepLast: 10, keepWithin: 30d". */
  policy: string;
  /** Where that rule came from: "registry default", "project iris". */
  policySource: string;
}

/**
 * A generation that was pruned by retention: its number stays taken (a tombstone holds its place),
 * its states may be gone. A NOT_FOUND like any missing generation, with `data.pruned` set.
 */
export class PrunedError extends StatekeepError<PrunedData> {
  static readonly code = 'NOT_FOUND' as const;
  readonly code = PrunedError.code;

  constructor(data: PrunedData, hint: string) {
    super(`${where(data)} was pruned at ${data.prunedAt} by retention policy (${data.policy})`, hint, data);
  }
}
