import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IntegrityError } from '../../src/registry/errors/index.js';
import type { Provider } from '../../src/registry/spi.js';
import type { Finding } from '../../src/registry/verify.js';
import { commit, publish, registryOf } from '../conformance/fixtures.js';
import { posixAt, scratch } from '../providers/posix/support.js';

// A provider may check manifests itself as it reads them (MLflow checks each against the digest
// in its version's tag) and throw INTEGRITY: verify reports that damage once, at the manifest,
// and an alias pointing there is not dangling, nor a reason to stop.
describe('verify, with a provider that checks manifests itself', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  it('reports an alias target whose manifest is damaged as the manifest damage, and goes on', async () => {
    const inner = posixAt(space.root);
    const registry = registryOf(inner);
    await publish(registry, 'p', '1.0.0');
    await commit(registry, 'p', '1.0.0', { a: 's1' });
    await commit(registry, 'p', '1.0.0', { a: 's2' });
    await registry.setAlias('p', 'production', { release: '1.0.0', generation: 2 });
    const checking = new Proxy(inner, {
      get(target, key) {
        if (key === 'readManifest')
          return async (...args: Parameters<Provider['readManifest']>) => {
            if (args[2] !== 2) return target.readManifest(...args);
            throw new IntegrityError({
              project: args[0],
              release: args[1],
              generation: args[2],
              subject: 'generation manifest',
              expected: 'the digest in its tag',
              actual: 'other bytes',
            });
          };
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const findings: Finding[] = [];
    const summary = await registryOf(checking).verify({}, (f) => findings.push(f));
    expect(findings.map((f) => [f.code, f.place])).toEqual([
      ['MANIFEST_DAMAGED', { project: 'p', release: '1.0.0', generation: 2 }],
      // s2 is referenced by nothing readable now.
      ['ORPHANED_BLOB', { project: 'p' }],
    ]);
    expect(summary).toMatchObject({ damaged: 1, missing: 0 });
  });
});
