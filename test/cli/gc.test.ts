import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { digestOf } from '../../src/registry/digest.js';
import { statekeepInProcess, workspace } from './helpers.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** iris 1.0.0 with three generations from scratch (states g1, g2, g3) and a posix registry whose retention keeps the last one. */
async function pruneable(retention = '{ keepLast: 1 }') {
  const ws = workspace();
  writeFileSync(
    path.join(ws.cwd, 'platform.yaml'),
    `registry:\n  default: local\n  instances:\n    local: { provider: posix, path: ./registry, retention: ${retention} }\n`,
  );
  const registry = ws.open();
  await registry.publishRelease('iris', '1.0.0', { payload: bytes('package') });
  for (const state of ['g1', 'g2', 'g3'])
    await registry.commit({
      project: 'iris',
      release: '1.0.0',
      mode: 'train',
      parent: null,
      states: [{ actor: 'model', bytes: bytes(state), codec: 'raw' }],
    });
  return { ws, registry };
}

describe('statekeep gc', () => {
  it('--dry-run prints what would be pruned and freed and changes nothing; the real run then does exactly that', async () => {
    const { ws, registry } = await pruneable();
    const dry = await statekeepInProcess(['gc', '--dry-run', '--grace', '0s'], ws);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      [
        'would prune iris 1.0.0 #1 (keepLast: 1; registry local)',
        'would prune iris 1.0.0 #2 (keepLast: 1; registry local)',
        `dry run: would prune 2 generations and delete 2 blobs (4 B) in ${ws.registryPath}; nothing changed`,
        '',
      ].join('\n'),
    );
    expect((await registry.manifest('iris', '1.0.0', 1)).generation).toBe(1);
    const real = await statekeepInProcess(['gc', '--grace', '0s', '--json'], ws);
    expect(real.code).toBe(0);
    expect(JSON.parse(real.stdout)).toMatchObject({
      registry: 'local',
      dryRun: false,
      graceMs: 0,
      pruned: [
        { project: 'iris', release: '1.0.0', generation: 1, policy: 'keepLast: 1' },
        { project: 'iris', release: '1.0.0', generation: 2, policy: 'keepLast: 1' },
      ],
      blobsDeleted: 2,
      bytesFreed: 4,
    });
    const provider = (await import('../../src/providers/posix/posix-provider.js')).PosixProvider;
    const posix = new provider({ path: ws.registryPath });
    expect(await posix.hasBlob('iris' as never, digestOf(bytes('g1')))).toBe(false);
    expect(await posix.hasBlob('iris' as never, digestOf(bytes('g3')))).toBe(true);
  });

  it('leaves blobs written within the grace period (the retention block, default 1 h) for later and says so', async () => {
    const { ws } = await pruneable();
    const { code, stdout, stderr } = await statekeepInProcess(['gc', 'iris'], ws);
    expect(code).toBe(0);
    expect(stdout.split('\n').at(-2)).toBe(`pruned 2 generations, deleted 0 blobs (0 B freed) in ${ws.registryPath}`);
    expect(stderr).toBe('2 unreferenced blobs written within the last 1h left for a later gc\n');
  });

  it('list shows a pruned generation with when and by which policy; show on it is NOT_FOUND saying it was pruned', async () => {
    const { ws } = await pruneable();
    await statekeepInProcess(['gc', '--grace', '0s'], ws);
    const table = await statekeepInProcess(['list', 'iris', '1.0.0'], ws);
    expect(table.code).toBe(0);
    const rows = table.stdout.trimEnd().split('\n');
    expect(rows).toHaveLength(4);
    expect(rows[1]).toMatch(/^ +1 {2}pruned .* pruned \d{4}-\d\d-\d\dT[0-9:]+Z by keepLast: 1$/);
    expect(rows[3]).toMatch(/^ +3 {2}train /);
    const json = JSON.parse((await statekeepInProcess(['list', 'iris', '1.0.0', '--json'], ws)).stdout);
    expect(json.map((r: { generation: number; pruned: unknown }) => [r.generation, r.pruned !== null])).toEqual([
      [1, true],
      [2, true],
      [3, false],
    ]);
    expect(json[0].pruned).toMatchObject({ policy: 'keepLast: 1', source: 'registry local' });
    const show = await statekeepInProcess(['show', 'iris', '1.0.0', '2', '--json'], ws);
    expect(show.code).toBe(1);
    expect(JSON.parse(show.stderr).error).toMatchObject({
      code: 'NOT_FOUND',
      data: { what: 'generation', generation: 2, pruned: true, policy: 'keepLast: 1' },
    });
    // Without a number, show reads the newest, which is never pruned.
    expect((await statekeepInProcess(['show', 'iris', '1.0.0'], ws)).code).toBe(0);
  });

  it('refuses a --grace that is not a duration (exit 2) and a retention block with a bad duration (CONFIG, naming the key)', async () => {
    const { ws } = await pruneable();
    const grace = await statekeepInProcess(['gc', '--grace', 'soon', '--json'], ws);
    expect(grace.code).toBe(2);
    expect(JSON.parse(grace.stderr).error).toMatchObject({ code: 'USAGE', data: { argument: '--grace' } });
    const bad = await pruneable('{ keepWithin: 30 days }');
    const config = await statekeepInProcess(['gc', '--json'], bad.ws);
    expect(config.code).toBe(2);
    expect(JSON.parse(config.stderr).error).toMatchObject({
      code: 'CONFIG',
      data: { key: 'registry.instances.local.retention.keepWithin' },
    });
  });
});

describe('statekeep release rm', () => {
  it('without --yes says what it would remove and removes nothing; refused while an alias points into it and for the newest release', async () => {
    const { ws, registry } = await pruneable();
    await registry.publishRelease('iris', '1.1.0', { payload: bytes('package 2') });
    const asked = await statekeepInProcess(['release', 'rm', 'iris', '1.0.0', '--json'], ws);
    expect(asked.code).toBe(2);
    expect(JSON.parse(asked.stderr).error).toMatchObject({ code: 'USAGE', data: { argument: '--yes' } });
    expect(JSON.parse(asked.stderr).error.message).toBe(
      'release rm would remove iris 1.0.0 with its 3 generations; nothing removed',
    );
    await registry.setAlias('iris', 'production', { release: '1.0.0', generation: 3 });
    const held = await statekeepInProcess(['release', 'rm', 'iris', '1.0.0', '--yes', '--json'], ws);
    expect(held.code).toBe(1);
    expect(JSON.parse(held.stderr).error).toMatchObject({
      code: 'IN_USE',
      data: { release: '1.0.0', by: 'alias production (iris 1.0.0 #3)' },
    });
    const newest = await statekeepInProcess(['release', 'rm', 'iris', '1.1.0', '--yes', '--json'], ws);
    expect(newest.code).toBe(1);
    expect(JSON.parse(newest.stderr).error).toMatchObject({ code: 'IN_USE', data: { release: '1.1.0' } });
    await registry.removeAlias('iris', 'production');
    const removed = await statekeepInProcess(['release', 'rm', 'iris', '1.0.0', '--yes'], ws);
    expect(removed).toMatchObject({
      code: 0,
      stdout: `removed iris 1.0.0 and its 3 generations from ${ws.registryPath}; run \`statekeep gc\` to free its blobs\n`,
    });
    expect(await registry.releaseVersions('iris')).toEqual(['1.1.0']);
    const gc = JSON.parse((await statekeepInProcess(['gc', '--grace', '0s', '--json'], ws)).stdout);
    // Its three states and its package.
    expect(gc.blobsDeleted).toBe(4);
  });
});
