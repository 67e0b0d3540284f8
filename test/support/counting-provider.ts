import type { Provider } from '../../src/registry/spi.js';

/**
 * A real provider behind a wrapper that counts every call by method, without changing what it
 * does. On a remote registry (MLflow) each call is at least one request, so these counts are
 * round trips. `take()` returns the counts since the last take.
 */
export function countingProvider(provider: Provider): { provider: Provider; take: () => Record<string, number> } {
  let calls: Record<string, number> = {};
  const counted = new Proxy(provider, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(key)] = (calls[String(key)] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return {
    provider: counted,
    take: () => {
      const taken = calls;
      calls = {};
      return taken;
    },
  };
}
