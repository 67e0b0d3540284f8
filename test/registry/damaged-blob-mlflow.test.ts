import { describe, expect, it, vi } from 'vitest';
import { digestOf } from '../../src/registry/digest.js';
import { bytes, commit, publish, registryOf } from '../conformance/fixtures.js';
import { damageBlob } from '../providers/mlflow/server-view.js';
import { sharedMlflowServer } from '../support/mlflow-server.js';

vi.setConfig({ testTimeout: 120_000 });

// The MLflow half of stored-damage.test.ts's first case (it belongs in the conformance kit).
describe('stored damage on mlflow', () => {
  const mlflow = sharedMlflowServer();

  it.each(['flip', 'truncate'] as const)(
    'a commit of a state whose stored blob is damaged (%s) stores it again instead of naming the damaged one',
    async (how) => {
      const namespace = `damage-${how}-${process.pid}`;
      const registry = registryOf(mlflow.provider(namespace));
      await publish(registry, 'p', '1.0.0');
      await commit(registry, 'p', '1.0.0', { a: 'a1', b: 'b1' });
      await damageBlob(mlflow.server.uri, namespace, 'p', digestOf(bytes('b1')), how);
      // A fresh Registry, as every CLI command has: the same state, committed again.
      const again = await commit(registryOf(mlflow.provider(namespace)), 'p', '1.0.0', { a: 'a2', b: 'b1' });
      const states = await registryOf(mlflow.provider(namespace)).readStates(again);
      expect(new TextDecoder().decode(states.get('b' as never))).toBe('b1');
    },
  );
});
