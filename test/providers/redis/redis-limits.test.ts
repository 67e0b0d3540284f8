import { randomBytes } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { digestOf } from '../../../src/registry/digest.js';
import { hasCode } from '../../../src/registry/errors/index.js';
import type { ProjectName } from '../../../src/registry/names.js';
import { redisServerForFile } from '../../support/redis-server.js';

// A server of its own: a small value-size limit makes the limit cheap to reach, and without
// appendfsync always it is a server the provider must warn about.
const redis = redisServerForFile({ args: ['--proto-max-bulk-len', '1mb', '--appendfsync', 'everysec'] });
const P = 'p' as ProjectName;
const LIMIT = 1024 * 1024;

describe('redis provider against a server with a 1 MiB value limit and appendfsync everysec', () => {
  it('warns once per server on stderr that commits are not durable, naming the setting to change', async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      for (const prefix of ['warn-a:', 'warn-b:']) {
        const provider = redis.provider(prefix);
        expect(await provider.listProjects()).toEqual([]);
        await provider.close();
      }
    } finally {
      spy.mockRestore();
    }
    const warnings = written.filter((line) => line.includes('does not make commits durable'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/appendfsync is everysec.*appendfsync always/);
    expect(warnings[0]).not.toContain(redis.server.password);
  });

  it('refuses a blob over proto-max-bulk-len before sending it: PROVIDER naming the limit and the fix, nothing stored', async () => {
    const provider = redis.provider('limit-blob:');
    const bytes = randomBytes(LIMIT + 1);
    const digest = digestOf(bytes);
    const error = await provider.writeBlob(P, digest, bytes).catch((e: unknown) => e);
    expect(hasCode(error, 'PROVIDER')).toBe(true);
    expect((error as { data: Record<string, unknown> }).data).toMatchObject({ limit: LIMIT, size: LIMIT + 1 });
    expect((error as { message: string }).message).toContain('proto-max-bulk-len 1.0 MiB');
    expect((error as { hint: string }).hint).toContain('CONFIG SET proto-max-bulk-len');
    expect(await provider.hasBlob(P, digest)).toBe(false);
    // One byte under the limit goes through: the check is the server's own limit, not a guess.
    const fits = randomBytes(LIMIT);
    await provider.writeBlob(P, digestOf(fits), fits);
    expect(Buffer.compare(await provider.readBlob(P, digestOf(fits)), fits)).toBe(0);
    await provider.close();
  });

  it('a commit with a state over the limit fails with that error and publishes no generation', async () => {
    const provider = redis.provider('limit-commit:');
    const registry = registryOf(provider);
    await publish(registry, P, '1.0.0');
    const error = await commit(registry, P, '1.0.0', { big: randomBytes(2 * LIMIT) }).catch((e: unknown) => e);
    expect(hasCode(error, 'PROVIDER')).toBe(true);
    expect(await registry.generations(P, '1.0.0')).toEqual([]);
    expect((await commit(registry, P, '1.0.0', { small: 'fits' })).generation).toBe(1);
    await provider.close();
  });
});
