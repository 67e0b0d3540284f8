import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { MlflowProvider } from '../../../src/providers/mlflow/mlflow-provider.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { serverForFile } from '../../support/mlflow-server.js';

vi.setConfig({ testTimeout: 90_000 });

const ADMIN = { username: 'admin', password: 'statekeep-Admin-2026-pw' };
const READER = { username: 'reader', password: 'statekeep-Reader-2026-pw' };
const WRONG = 'statekeep-Wrong-2026-pw';

const mlflow = serverForFile({ auth: ADMIN });
beforeAll(async () => {
  const basic = Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString('base64');
  const created = await fetch(`${mlflow.server.uri}/api/2.0/mlflow/users/create`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Basic ${basic}` },
    body: JSON.stringify(READER),
  });
  if (!created.ok) throw new Error(`creating the reader failed: HTTP ${created.status} ${await created.text()}`);
});

function providerAs(credentials: Record<string, unknown>): MlflowProvider {
  return mlflow.provider('auth', credentials);
}

describe('mlflow basic auth', () => {
  it('rejects a wrong password, or none, with UNAUTHORIZED that never repeats the secret', async () => {
    const error = await registryOf(providerAs({ username: ADMIN.username, password: WRONG }))
      .projects()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'UNAUTHORIZED',
      data: { provider: 'mlflow', target: mlflow.server.uri, status: 401 },
    });
    const told = JSON.stringify(error) + String(error) + (error as { hint: string }).hint;
    expect(told).not.toContain(WRONG);
    await expect(registryOf(providerAs({})).projects()).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      data: { status: 401 },
    });
  });

  it('accepts the right password, from the options or from MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD', async () => {
    const registry = registryOf(providerAs(ADMIN));
    await publish(registry, 'p', '1.0.0');
    const one = await commit(registry, 'p', '1.0.0', { a: 'a1' });
    expect(await registry.manifest('p', '1.0.0')).toEqual(one);
    const saved = { user: process.env.MLFLOW_TRACKING_USERNAME, password: process.env.MLFLOW_TRACKING_PASSWORD };
    process.env.MLFLOW_TRACKING_USERNAME = ADMIN.username;
    process.env.MLFLOW_TRACKING_PASSWORD = ADMIN.password;
    try {
      expect(await registryOf(providerAs({})).generations('p', '1.0.0')).toEqual([1]);
    } finally {
      restore('MLFLOW_TRACKING_USERNAME', saved.user);
      restore('MLFLOW_TRACKING_PASSWORD', saved.password);
    }
  });

  it("lets a user with read permission read another user's project, and refuses its writes with UNAUTHORIZED 403", async () => {
    const admin = registryOf(providerAs(ADMIN));
    await publish(admin, 'shared', '1.0.0');
    const reader = registryOf(providerAs(READER));
    expect(await reader.releaseVersions('shared')).toEqual(['1.0.0']);
    await expect(publish(reader, 'shared', '1.1.0')).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      data: { status: 403 },
    });
    expect(await admin.releaseVersions('shared')).toEqual(['1.0.0']);
  });
});

function restore(key: string, value: string | undefined): void {
  if (value === undefined) delete process.env[key];
  else process.env[key] = value;
}
