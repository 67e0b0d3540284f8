import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import type { ProjectName } from '../../../src/registry/names.js';
import type { Provider } from '../../../src/registry/spi.js';
import type { GenerationNumber, ReleaseVersion } from '../../../src/registry/versions.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { serverForFile } from '../../support/mlflow-server.js';

// Two restarts of a real server, each several seconds on a busy machine.
vi.setConfig({ testTimeout: 240_000 });

const mlflow = serverForFile();
const providerIn = mlflow.provider;

/** The same provider, except that `hook` runs at one chosen moment of a commit. */
function withHook(provider: Provider, at: 'upload' | 'render', hook: () => void): Provider {
  let hooked: Promise<void> | undefined;
  return new Proxy(provider, {
    get(target, key, receiver) {
      if (key === 'writeBlob' && at === 'upload') {
        return (...args: Parameters<Provider['writeBlob']>) => {
          const upload = target.writeBlob(...args);
          // Some bytes are on their way when the server goes.
          hooked ??= new Promise((resolve) => setTimeout(() => resolve(hook()), 20));
          return upload;
        };
      }
      if (key === 'publishGeneration' && at === 'upload') {
        // However late a busy machine runs the timer, no number is allocated before the hook ran.
        return (...args: Parameters<Provider['publishGeneration']>) =>
          (hooked ?? Promise.resolve()).then(() => target.publishGeneration(...args));
      }
      if (key === 'publishGeneration' && at === 'render') {
        // The number is allocated; the manifest is not stored and the version not committed.
        return (project: ProjectName, version: ReleaseVersion, render: (n: GenerationNumber) => Uint8Array) =>
          target.publishGeneration(project, version, (n) => {
            hook();
            return render(n);
          });
      }
      const value = Reflect.get(target, key, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('mlflow faults', () => {
  it('a server killed in the middle of a commit leaves no partial generation, reads wait out the restart, and the next commit succeeds', async () => {
    const registry = registryOf(providerIn('killed'));
    await publish(registry, 'p', '1.0.0');
    const one = await commit(registry, 'p', '1.0.0', { a: 'a1' });
    // While the server is down, one retry is enough to show that calls fail cleanly.
    const impatient = providerIn('killed', { retries: 1 });

    // Killed while the states are uploading: nothing is allocated, nothing is visible.
    const uploading = registryOf(withHook(impatient, 'upload', () => mlflow.server.kill()));
    await expect(commit(uploading, 'p', '1.0.0', { big: randomBytes(32 * 2 ** 20), a: 'a2' })).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      data: { provider: 'mlflow', target: mlflow.server.uri },
    });
    await mlflow.server.restart();
    expect(await registry.generations('p', '1.0.0')).toEqual([1]);

    // Killed after generation 2 was allocated, before its manifest was stored.
    const rendering = registryOf(withHook(impatient, 'render', () => mlflow.server.kill()));
    await expect(commit(rendering, 'p', '1.0.0', { a: 'a3' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(registryOf(impatient).generations('p', '1.0.0')).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      data: { reason: 'connection refused' },
    });
    // Reads are idempotent, so a patient reader retries with backoff until the server is back.
    const patient = registryOf(providerIn('killed', { retries: 10 })).generations('p', '1.0.0');
    await mlflow.server.restart();
    expect(await patient).toEqual([1]);

    expect(await registry.latest('p', '1.0.0')).toBe(1);
    await expect(registry.manifest('p', '1.0.0', 2)).rejects.toMatchObject({
      code: 'NOT_FOUND',
      data: { generation: 2 },
    });
    const three = await commit(registry, 'p', '1.0.0', { a: 'a4' });
    // Number 2 went to the killed commit and stays burnt: a gap, never a reuse.
    expect(three.generation).toBe(3);
    expect(await registry.generations('p', '1.0.0')).toEqual([1, 3]);
    expect(new TextDecoder().decode(await registry.readState(three, 'a'))).toBe('a4');
    expect(new TextDecoder().decode(await registry.readState(one, 'a'))).toBe('a1');
    expect(await registry.cleanup({ olderThanMs: 0 })).toEqual({ removed: 1, bytes: 0 });
    expect(await registry.generations('p', '1.0.0')).toEqual([1, 3]);
  });

  it('a server that hangs is UNAVAILABLE once the timeout passes, and answers again when it resumes', async () => {
    // Only the call made while the server hangs has the short timeout: on a busy machine an
    // ordinary create may well take longer than a second, and creates are not retried.
    const registry = registryOf(providerIn('hung'));
    await publish(registry, 'p', '1.0.0');
    const impatient = registryOf(providerIn('hung', { timeoutMs: 1_000, retries: 1 }));
    mlflow.server.pause();
    try {
      await expect(impatient.releaseVersions('p')).rejects.toMatchObject({
        code: 'UNAVAILABLE',
        data: { reason: 'no answer within 1000 ms' },
      });
    } finally {
      mlflow.server.resume();
    }
    expect(await registry.releaseVersions('p')).toEqual(['1.0.0']);
  });
});
