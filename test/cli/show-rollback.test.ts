import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { digestOf } from '../../src/registry/digest.js';
import { seed, statekeepInProcess, workspace } from './helpers.js';

describe('statekeep show', () => {
  const ws = workspace();
  beforeAll(() => seed(ws));

  it("prints the latest generation's manifest when GENERATION is omitted", async () => {
    const { code, stdout } = await statekeepInProcess(['show', 'iris', '1.0.0'], ws);
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines.slice(0, 6)).toEqual([
      'project     iris',
      'release     1.0.0',
      'generation  2',
      'mode        tune',
      'created     2030-01-02T03:04:09Z',
      'parent      1',
    ]);
    expect(lines).toContain('ACTOR   CODEC     SIZE  DIGEST');
    expect(lines.find((l) => l.startsWith('scaler'))).toMatch(/^scaler {2}cbor {3}2\.0 KiB {2}sha256:[0-9a-f]{64}$/);
  });

  it('prints a given generation as the manifest itself with --json', async () => {
    const { code, stdout } = await statekeepInProcess(['show', 'iris', '1.0.0', '1', '--json'], ws);
    expect(code).toBe(0);
    const manifest = JSON.parse(stdout);
    expect(manifest).toMatchObject({
      format: 1,
      project: 'iris',
      release: '1.0.0',
      generation: 1,
      parent: null,
      mode: 'train',
      training: { rows: 150 },
      metrics: { accuracy: 0.9 },
    });
    expect(manifest.states.map((s: { actor: string; size: number }) => [s.actor, s.size])).toEqual([
      ['scaler', 2000],
      ['model', 500],
    ]);
    expect(manifest.created).toBe((await ws.open().manifest('iris', '1.0.0', 1)).created);
  });

  it('exits 1 for a generation that does not exist, 2 for one that is not a number', async () => {
    const missing = await statekeepInProcess(['show', 'iris', '1.0.0', '7', '--json'], ws);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr).error).toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'generation', generation: 7 },
    });
    const invalid = await statekeepInProcess(['show', 'iris', '1.0.0', 'seven', '--json'], ws);
    expect(invalid.code).toBe(2);
    expect(JSON.parse(invalid.stderr).error.code).toBe('INVALID_VERSION');
  });

  it('exits 1 for a release with no generations yet', async () => {
    const { code, stderr } = await statekeepInProcess(['show', 'iris', '1.1.0', '--json'], ws);
    expect(code).toBe(1);
    expect(JSON.parse(stderr).error.code).toBe('NOT_FOUND');
  });

  it('exits 2 when the required argument is missing (the release defaults to the newest)', async () => {
    const { code, stderr } = await statekeepInProcess(['show', '--json'], ws);
    expect(code).toBe(2);
    expect(JSON.parse(stderr).error.code).toBe('USAGE');
  });
});

describe('statekeep rollback', () => {
  it('creates the rollback generation and prints its number; list shows it', async () => {
    const ws = workspace();
    await seed(ws);
    const { code, stdout, stderr } = await statekeepInProcess(['rollback', 'iris', '1.0.0', '--to', '1'], ws);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '3\n' });
    expect(stderr).toBe('iris 1.0.0: generation 3 holds the states of generation 1\n');
    const rows = JSON.parse((await statekeepInProcess(['list', 'iris', '1.0.0', '--json'], ws)).stdout);
    expect(rows[2]).toMatchObject({
      generation: 3,
      mode: 'rollback',
      parent: 1,
      rollbackOf: 1,
      states: 2,
      bytes: 2500,
    });
  });

  it('prints the new manifest with --json', async () => {
    const ws = workspace();
    await seed(ws);
    const { code, stdout } = await statekeepInProcess(['rollback', 'iris', '1.0.0', '--to', '2', '--json'], ws);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ generation: 3, mode: 'rollback', rollbackOf: 2, parent: 2 });
  });

  it('exits 2 without --to, and 1 for a generation that does not exist, creating nothing', async () => {
    const ws = workspace();
    await seed(ws);
    expect((await statekeepInProcess(['rollback', 'iris', '1.0.0'], ws)).code).toBe(2);
    const missing = await statekeepInProcess(['rollback', 'iris', '1.0.0', '--to', '9', '--json'], ws);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr).error.code).toBe('NOT_FOUND');
    expect(JSON.parse((await statekeepInProcess(['list', 'iris', '1.0.0', '--json'], ws)).stdout)).toHaveLength(2);
  });

  it('exits 1 (INTEGRITY) when a state of the target generation is damaged, creating nothing', async () => {
    const ws = workspace();
    await seed(ws);
    const model = digestOf(new Uint8Array(500).fill(1));
    const hex = model.slice('sha256:'.length);
    writeFileSync(
      path.join(ws.registryPath, 'v1', 'projects', 'iris', 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2)),
      'garbage',
    );
    const { code, stderr } = await statekeepInProcess(['rollback', 'iris', '1.0.0', '--to', '1', '--json'], ws);
    expect(code).toBe(1);
    expect(JSON.parse(stderr).error).toMatchObject({ code: 'INTEGRITY', data: { expected: model } });
    expect(JSON.parse((await statekeepInProcess(['list', 'iris', '1.0.0', '--json'], ws)).stdout)).toHaveLength(2);
  });
});
