import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { SqlProvider } from '../../src/providers/sql/sql-provider.js';
import { commit, publish, registryOf } from '../conformance/fixtures.js';
import { admin, sharedPostgresServer } from '../support/postgres-server.js';
import { sandbox, write } from '../platform/helpers.js';
import { statekeepInProcess } from './helpers.js';

vi.setConfig({ testTimeout: 120_000 });

const pg = sharedPostgresServer();

describe('statekeep with an sql registry in platform.yaml', () => {
  it('lists, verifies and shows config (password masked, blob path resolved against the file) through provider: sql', async () => {
    const box = sandbox();
    const schema = `cli_${process.pid}`;
    const { host, port, user, password, database } = pg.access;
    write(
      path.join(box.cwd, 'platform.yaml'),
      [
        'registry:',
        '  default: team',
        '  instances:',
        '    team:',
        '      provider: sql',
        `      url: postgres://${user}:\${PGPASSWORD}@${host}:${port}/${database}`,
        `      schema: ${schema}`,
        '      artifacts: { store: posix, path: ./blobs }',
        '',
      ].join('\n'),
    );
    const env = { PGPASSWORD: password };
    // Seeded through the library with the options the platform file resolves to.
    const provider = new SqlProvider({
      url: `postgres://${user}:${password}@${host}:${port}/${database}`,
      schema,
      artifacts: { store: 'posix', path: path.join(box.cwd, 'blobs') },
    });
    try {
      const registry = registryOf(provider);
      await publish(registry, 'iris', '1.0.0');
      await commit(registry, 'iris', '1.0.0', { scaler: 's1', model: 'm1' });
      await commit(registry, 'iris', '1.0.0', { scaler: 's1', model: 'm2' });

      const list = await statekeepInProcess(['list', '--json'], box, { env });
      expect({ code: list.code, stderr: list.stderr }).toEqual({ code: 0, stderr: '' });
      expect(JSON.parse(list.stdout)).toEqual([{ project: 'iris', releases: 1, latest: '1.0.0' }]);

      const generations = await statekeepInProcess(['list', 'iris', '1.0.0', '--json'], box, { env });
      expect(generations.code).toBe(0);
      expect((JSON.parse(generations.stdout) as { generation: number }[]).map((g) => g.generation)).toEqual([1, 2]);

      const verify = await statekeepInProcess(['verify', '--json'], box, { env });
      expect(verify.code).toBe(0);
      expect(verify.stdout).toContain('"damaged":0');

      const config = await statekeepInProcess(['config', '--json'], box, { env });
      expect(config.code).toBe(0);
      const team = JSON.parse(config.stdout).config.registry.instances.team;
      expect(team).toEqual({
        provider: 'sql',
        url: `postgres://${user}:********@${host}:${port}/${database}`,
        schema,
        artifacts: { store: 'posix', path: path.join(box.cwd, 'blobs') },
      });
      for (const out of [list, generations, verify, config]) expect(out.stdout + out.stderr).not.toContain(password);

      // Wrong credentials: UNAUTHORIZED's exit code, one line, no secret.
      const wrong = await statekeepInProcess(['list'], box, { env: { PGPASSWORD: 'not-the-password-42' } });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/rejected the credentials/);
      expect(wrong.stdout + wrong.stderr).not.toContain('not-the-password-42');
    } finally {
      await provider.close();
      await admin(pg.access, [`DROP SCHEMA IF EXISTS "${schema}" CASCADE`]);
    }
  });
});
