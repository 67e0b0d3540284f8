import { CAPABILITIES, type CapabilityName } from './capabilities.js';
import { ConformanceTally, type CapabilityStatus, type ConformanceSummary } from './report.js';
import type { TestRunner } from './runner.js';
import type { ConformanceSpec, SpecContext } from './spec-context.js';
import { SPECS } from './specs.js';
import type { ConformanceTarget } from './target.js';

export interface ConformanceOptions {
  /** Receives the JSON summary once every area has run (in the kit's last test). */
  report?(summary: ConformanceSummary): void;
  /**
   * What the caller knows each optional capability should come out as. The report test fails
   * when the provider differs, so a capability lost by accident fails the suite instead of
   * quietly turning absent. Leave a capability out to accept whatever the provider offers.
   */
  expected?: Partial<Record<CapabilityName, CapabilityStatus>>;
  /** The areas to run; default: all of them. */
  specs?: readonly ConformanceSpec[];
}

/**
 * Holds a provider to the registry contract under the caller's test runner: one describe block
 * per area, a fresh provider from `target.create` for each test and `target.destroy` after it,
 * then a last test that reports what the provider supports.
 */
export function runConformance(runner: TestRunner, target: ConformanceTarget, options: ConformanceOptions = {}): void {
  const specs = options.specs ?? SPECS;
  const names = Object.keys(CAPABILITIES) as CapabilityName[];
  const tally = new ConformanceTally(target.name, names);
  const required = new Set(specs.filter((s) => s.capability === undefined).map((s) => s.area));
  runner.describe(`${target.name} conformance`, () => {
    for (const spec of specs) {
      const title = spec.capability === undefined ? spec.area : `${spec.area} (optional: ${spec.capability})`;
      runner.describe(title, () => spec.tests(contextFor(runner, target, spec, tally)));
    }
    runner.it('reports what the provider supports', async () => {
      const summary = tally.summary(required);
      options.report?.(summary);
      for (const [name, status] of Object.entries(options.expected ?? {}))
        runner.expect(summary.capabilities[name as CapabilityName].status, `capability ${name}`).toBe(status);
      runner.expect(summary.required.status, 'required behaviour').toBe('passed');
    });
  });
}

function contextFor(
  runner: TestRunner,
  target: ConformanceTarget,
  spec: ConformanceSpec,
  tally: ConformanceTally,
): SpecContext {
  return {
    target,
    expect: runner.expect,
    it: (title, body) => {
      tally.declare(spec.area);
      runner.it(title, async () => {
        const provider = await target.create();
        try {
          if (spec.capability !== undefined && !CAPABILITIES[spec.capability].detect(provider, target)) {
            tally.record(spec.area, spec.capability, 'absent');
            return;
          }
          await body(provider);
          tally.record(spec.area, spec.capability, 'passed');
        } catch (error) {
          tally.record(spec.area, spec.capability, 'failed');
          throw error;
        } finally {
          await target.destroy?.(provider);
        }
      });
    },
  };
}
