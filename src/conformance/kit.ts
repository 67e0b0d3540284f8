import { CAPABILITIES, type Capability, type CapabilityName } from './capabilities.js';
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
  runner.describe(`${target.name} conformance`, () => {
    for (const spec of specs) {
      const title = spec.capability === undefined ? spec.area : `${spec.area} (optional: ${spec.capability})`;
      runner.describe(title, () => spec.tests(contextFor(runner, target, spec, tally)));
    }
    runner.it('reports what the provider supports', async () => {
      const summary = tally.summary();
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
    it: (title, body, options = {}) => {
      const name = options.capability ?? spec.capability;
      const capability: Capability | undefined = name === undefined ? undefined : CAPABILITIES[name];
      tally.declare(spec.area);
      const own = options.capability !== undefined && options.capability !== spec.capability;
      runner.it(own ? `${title} (optional: ${options.capability})` : title, async () => {
        const provider = await target.create();
        try {
          if (capability !== undefined && !capability.detect(provider, target)) {
            tally.record(spec.area, name, 'absent');
            return;
          }
          capability?.check?.(provider, target);
          await body(provider);
          tally.record(spec.area, name, 'passed');
        } catch (error) {
          tally.record(spec.area, name, 'failed');
          throw error;
        } finally {
          await target.destroy?.(provider);
        }
      });
    },
  };
}
