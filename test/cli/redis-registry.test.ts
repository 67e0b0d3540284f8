import { describe, expect, it } from 'vitest';
import { commit, publish, registryOf } from '../conformance/fixtures.js';
import { sharedRedisServer } from '../support/redis-server.js';
import { statekeepInProcess, workspace } from './helpers.js';

const redis = sharedRedisServer();

// platform.yaml names a redis instance; its password comes from the environment.
const TEAM = (prefix: string): string =>
  `    team: { provider: redis, url: "redis://:\${REDIS_PASSWORD}@127.0.0.1:\${REDIS_PORT}/0", prefix: "${prefix}" }\n`;

describe('statekeep with a redis registry instance in platform.yaml', () => {
  it('lists and verifies what is in it, and shows its url with the password masked', async () => {
    const prefix = `cli-${process.pid}:`;
    const provider = redis.provider(prefix);
    const registry = registryOf(provider);
    await publish(registry, 'iris', '1.0.0');
    await commit(registry, 'iris', '1.0.0', { model: 'weights' });
    await provider.close();
    const ws = workspace(TEAM(prefix));
    const env = { REDIS_PASSWORD: redis.server.password, REDIS_PORT: String(redis.server.port) };

    const list = await statekeepInProcess(['list', '--registry', 'team', '--json'], ws, { env });
    expect(list.code).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([{ project: 'iris', releases: 1, latest: '1.0.0' }]);
    const releases = await statekeepInProcess(['list', 'iris', '--registry', 'team', '--json'], ws, { env });
    expect(JSON.parse(releases.stdout)).toMatchObject([{ version: '1.0.0', generations: 1 }]);

    const verify = await statekeepInProcess(['verify', '--registry', 'team', '--json'], ws, { env });
    expect(verify.code).toBe(0);

    const config = await statekeepInProcess(['config', '--json'], ws, { env });
    expect(config.code).toBe(0);
    expect(JSON.parse(config.stdout).config.registry.instances.team.url).toBe(
      `redis://:********@127.0.0.1:${redis.server.port}/0`,
    );
    for (const out of [list, releases, verify, config])
      expect(out.stdout + out.stderr).not.toContain(redis.server.password);
  });

  it('a wrong password is UNAUTHORIZED (exit 1) and the password is printed nowhere', async () => {
    const ws = workspace(TEAM(`cli-wrong-${process.pid}:`));
    const wrong = 'not-the-password-4711';
    const out = await statekeepInProcess(['list', '--registry', 'team', '--json'], ws, {
      env: { REDIS_PASSWORD: wrong, REDIS_PORT: String(redis.server.port) },
    });
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stderr).error.code).toBe('UNAUTHORIZED');
    expect(out.stdout + out.stderr).not.toContain(wrong);
  });

  it('gc prunes by the instance retention to tombstones in redis, leaving blobs inside the grace period', async () => {
    const prefix = `cli-gc-${process.pid}:`;
    const provider = redis.provider(prefix);
    const registry = registryOf(provider);
    await publish(registry, 'iris', '1.0.0');
    for (const weights of ['w1', 'w2', 'w3']) await commit(registry, 'iris', '1.0.0', { model: weights });
    await provider.close();
    const ws = workspace(
      `    team: { provider: redis, url: "redis://:\${REDIS_PASSWORD}@127.0.0.1:\${REDIS_PORT}/0", prefix: "${prefix}", retention: { keepLast: 1 } }\n`,
    );
    const env = { REDIS_PASSWORD: redis.server.password, REDIS_PORT: String(redis.server.port) };
    const gc = await statekeepInProcess(['gc', '--registry', 'team', '--json'], ws, { env });
    expect(gc.code).toBe(0);
    const report = JSON.parse(gc.stdout);
    expect(report.pruned.map((p: { generation: number }) => p.generation).sort()).toEqual([1, 2]);
    expect(report).toMatchObject({ dryRun: false, blobsDeleted: 0 });
    expect(report.blobsRecent).toBeGreaterThanOrEqual(2);
    const after = registryOf(redis.provider(prefix));
    expect(await after.generations('iris', '1.0.0')).toEqual([1, 2, 3]);
    expect((await after.manifests('iris', '1.0.0')).map((m) => m.generation)).toEqual([3]);
    expect(gc.stdout + gc.stderr).not.toContain(redis.server.password);
  });
});
