import type { Provider } from '../registry/spi.js';
import type { CapabilityName } from './capabilities.js';
import type { Expect } from './runner.js';
import type { ConformanceTarget } from './target.js';

/** What a spec area's tests get from the kit. */
export interface SpecContext {
  readonly target: ConformanceTarget;
  readonly expect: Expect;
  /**
   * Declares a test. `body` gets a fresh provider from the target's factory, torn down after the
   * body, passed or failed. In an optional area the body runs only when the provider has the
   * capability; otherwise the test records it as absent. `options.capability` makes one test of
   * an area optional on its own (its title then says so), or holds it to another capability.
   */
  it(title: string, body: (provider: Provider) => Promise<void>, options?: TestOptions): void;
}

export interface TestOptions {
  readonly capability?: CapabilityName;
}

/** One area of the contract: its tests, and the capability it checks if it is optional. */
export interface ConformanceSpec {
  readonly area: string;
  /** Omitted: required behaviour, which every provider must pass. */
  readonly capability?: CapabilityName;
  tests(t: SpecContext): void;
}
