import type { CapabilityName } from './capabilities.js';

export type CapabilityStatus = 'passed' | 'failed' | 'absent';

export interface Tally {
  passed: number;
  failed: number;
}

/**
 * The JSON summary of one run: required behaviour, then each optional capability as passed,
 * failed or absent. `level` ranks it: full (everything offered and passed), required+partial
 * (required passed, some capabilities absent), required (no capability offered), none (a
 * required test failed). `complete` is false when not every test of the kit ran (a filtered run).
 */
export interface ConformanceSummary {
  provider: string;
  level: 'full' | 'required+partial' | 'required' | 'none';
  complete: boolean;
  required: Tally & { status: 'passed' | 'failed' };
  capabilities: Record<CapabilityName, Tally & { status: CapabilityStatus }>;
  areas: Record<string, Tally>;
}

type Outcome = 'passed' | 'failed' | 'absent';

/** Collects each test's outcome as the runner runs it. */
export class ConformanceTally {
  readonly #provider: string;
  readonly #capabilities: readonly CapabilityName[];
  readonly #areas = new Map<string, Tally>();
  readonly #required: Tally = { passed: 0, failed: 0 };
  readonly #offered = new Map<CapabilityName, { passed: number; failed: number; present: number; absent: number }>();
  #declared = 0;
  #recorded = 0;

  constructor(provider: string, capabilities: readonly CapabilityName[]) {
    this.#provider = provider;
    this.#capabilities = capabilities;
    for (const name of capabilities) this.#offered.set(name, { passed: 0, failed: 0, present: 0, absent: 0 });
  }

  declare(area: string): void {
    this.#declared += 1;
    if (!this.#areas.has(area)) this.#areas.set(area, { passed: 0, failed: 0 });
  }

  record(area: string, capability: CapabilityName | undefined, outcome: Outcome): void {
    this.#recorded += 1;
    const tally = this.#areas.get(area)!;
    if (outcome !== 'absent') tally[outcome] += 1;
    if (capability === undefined) {
      if (outcome !== 'absent') this.#required[outcome] += 1;
      return;
    }
    const offered = this.#offered.get(capability)!;
    if (outcome === 'absent') offered.absent += 1;
    else {
      offered.present += 1;
      offered[outcome] += 1;
    }
  }

  /** The summary of what has run so far (the report test runs last, so: of everything). */
  summary(): ConformanceSummary {
    const areas = Object.fromEntries(this.#areas);
    const required = { ...this.#required };
    const capabilities = {} as ConformanceSummary['capabilities'];
    for (const name of this.#capabilities) {
      const o = this.#offered.get(name)!;
      // Present in one fresh provider and absent in another is a failure too: a claim that does not hold.
      const status: CapabilityStatus =
        o.failed > 0 || (o.present > 0 && o.absent > 0) ? 'failed' : o.present > 0 ? 'passed' : 'absent';
      capabilities[name] = { status, passed: o.passed, failed: o.failed };
    }
    const statuses = Object.values(capabilities).map((c) => c.status);
    const level =
      required.failed > 0
        ? 'none'
        : statuses.every((s) => s === 'passed')
          ? 'full'
          : statuses.some((s) => s === 'passed')
            ? 'required+partial'
            : 'required';
    return {
      provider: this.#provider,
      level,
      complete: this.#recorded === this.#declared,
      required: { status: required.failed > 0 ? 'failed' : 'passed', ...required },
      capabilities,
      areas,
    };
  }
}
