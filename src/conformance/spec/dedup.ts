import type { ConformanceSpec } from '../spec-context.js';
import { commit, countingBlobWrites, publish, registryOf } from '../fixtures.js';

export const dedupSpec: ConformanceSpec = {
  area: 'dedup',
  tests({ it, expect }) {
    it('an unchanged state adds no new blob, within a release and across releases', async (provider) => {
      const counted = countingBlobWrites(provider);
      const registry = registryOf(counted.provider);
      await publish(registry, 'p', '1.0.0');
      await publish(registry, 'p', '1.1.0');
      // A commit hands every state to writeBlob, which makes a stored blob hold those bytes (so a
      // damaged one is repaired, never reused); what dedup promises is the distinct blobs stored.
      const before = counted.distinct();
      const one = await commit(registry, 'p', '1.0.0', { imputer: 'same', model: 'm1' });
      expect(counted.distinct() - before).toBe(2);
      const two = await commit(registry, 'p', '1.0.0', { imputer: 'same', model: 'm2' }, { parent: 1 });
      expect(counted.distinct() - before).toBe(3);
      expect(two.states[0]!.digest).toBe(one.states[0]!.digest);
      await commit(registry, 'p', '1.1.0', { imputer: 'same', model: 'm2' });
      expect(counted.distinct() - before).toBe(3);
      // Two actors with identical state share one blob, written once in their commit.
      const calls = counted.writes();
      await commit(registry, 'p', '1.0.0', { left: 'twin', right: 'twin' });
      expect(counted.distinct() - before).toBe(4);
      expect(counted.writes() - calls).toBe(1);
      // A rollback stores nothing.
      const beforeRollback = counted.writes();
      await registry.rollback('p', '1.0.0', 1);
      expect(counted.writes() - beforeRollback).toBe(0);
    });
  },
};
