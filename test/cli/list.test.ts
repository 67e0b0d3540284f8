import { beforeAll, describe, expect, it } from 'vitest';
import { seed, statekeepInProcess, workspace } from './helpers.js';

describe('statekeep list', () => {
  const ws = workspace();
  beforeAll(() => seed(ws));

  it('lists projects as an aligned table: name, releases, latest release', async () => {
    const { code, stdout, stderr } = await statekeepInProcess(['list'], ws);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      ['PROJECT  RELEASES  LATEST', 'iris            2  1.1.0', 'wine            1  0.1.0', ''].join('\n'),
    );
  });

  it('lists projects as JSON objects', async () => {
    const { code, stdout } = await statekeepInProcess(['list', '--json'], ws);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      { project: 'iris', releases: 2, latest: '1.1.0' },
      { project: 'wine', releases: 1, latest: '0.1.0' },
    ]);
  });

  it("lists a project's releases: version, created, short package digest, generations", async () => {
    const { code, stdout } = await statekeepInProcess(['list', 'iris'], ws);
    expect(code).toBe(0);
    const [header, first, second] = stdout.trimEnd().split('\n');
    expect(header).toBe('VERSION  CREATED               PACKAGE              GENERATIONS');
    expect(first).toMatch(/^1\.0\.0 {4}2030-01-02T03:04:05Z {2}sha256:[0-9a-f]{12} {12}2$/);
    expect(second).toMatch(/^1\.1\.0 {4}2030-01-02T03:04:06Z {2}sha256:[0-9a-f]{12} {12}0$/);
  });

  it("lists a project's releases as JSON objects with the full digest", async () => {
    const rows = JSON.parse((await statekeepInProcess(['--json', 'list', 'iris'], ws)).stdout) as Record<
      string,
      unknown
    >[];
    expect(rows.map((r) => [r.version, r.generations, r.size])).toEqual([
      ['1.0.0', 2, 3],
      ['1.1.0', 0, 4],
    ]);
    expect(rows[0]!.created).toBe('2030-01-02T03:04:05.000Z');
    expect(rows[0]!.package).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it("lists a release's generations: number, mode, created, parent, states, bytes, metrics", async () => {
    const { code, stdout } = await statekeepInProcess(['list', 'iris', '1.0.0'], ws);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toEqual([
      'GENERATION  MODE   CREATED               PARENT  STATES    BYTES  METRICS',
      '         1  train  2030-01-02T03:04:08Z       -       2  2.4 KiB  accuracy 0.9',
      '         2  tune   2030-01-02T03:04:09Z       1       1  2.0 KiB  -',
    ]);
  });

  it('lists generations as JSON objects with generation, mode, created, parent and pruned (null: not pruned)', async () => {
    const { code, stdout } = await statekeepInProcess(['list', 'iris', '1.0.0', '--json'], ws);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual([
      {
        generation: 1,
        mode: 'train',
        created: '2030-01-02T03:04:08.000Z',
        parent: null,
        rollbackOf: null,
        states: 2,
        bytes: 2500,
        metrics: { accuracy: 0.9 },
        pruned: null,
      },
      {
        generation: 2,
        mode: 'tune',
        created: '2030-01-02T03:04:09.000Z',
        parent: 1,
        rollbackOf: null,
        states: 1,
        bytes: 2001,
        metrics: {},
        pruned: null,
      },
    ]);
  });

  it('a release without generations: an empty JSON array, or a note on stderr for people', async () => {
    expect(JSON.parse((await statekeepInProcess(['list', 'iris', '1.1.0', '--json'], ws)).stdout)).toEqual([]);
    const { code, stdout, stderr } = await statekeepInProcess(['list', 'iris', '1.1.0'], ws);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
    expect(stderr).toBe('iris 1.1.0 has no generations yet\n');
  });

  it('an empty registry: exit 0 with an empty JSON array', async () => {
    const empty = workspace();
    expect(await statekeepInProcess(['list', '--json'], empty)).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('an unknown project or release exits 1 (NOT_FOUND)', async () => {
    for (const args of [
      ['list', 'nosuch'],
      ['list', 'iris', '9.9.9'],
    ]) {
      const { code, stdout, stderr } = await statekeepInProcess([...args, '--json'], ws);
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(JSON.parse(stderr).error.code).toBe('NOT_FOUND');
    }
  });

  it('an invalid project name or version exits 2', async () => {
    expect((await statekeepInProcess(['list', '../etc'], ws)).code).toBe(2);
    expect((await statekeepInProcess(['list', 'iris', 'v1'], ws)).code).toBe(2);
  });
});
