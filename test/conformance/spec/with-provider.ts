// For spec areas still written in the old style (a function of the target calling vitest), until
// they are ported to a ConformanceSpec in src/conformance/spec/ (see src/conformance/specs.ts).
import type { Provider } from '../../../src/registry/spi.js';
import type { ConformanceTarget } from '../kit.js';

/** Runs a test body against a fresh provider of the target and always disposes of it. */
export function withProvider(
  target: ConformanceTarget,
  body: (provider: Provider) => Promise<void>,
): () => Promise<void> {
  return async () => {
    const provider = await target.create();
    try {
      await body(provider);
    } finally {
      await target.destroy?.(provider);
    }
  };
}
