import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seedCopySource, snapshotRegistry } from '../../src/conformance/copy-fixtures.js';
import { commit, publish } from '../../src/conformance/fixtures.js';
import { PosixProvider } from '../../src/providers/posix/posix-provider.js';
import { Registry } from '../../src/registry/registry.js';
import { statekeepInProcess, workspace } from './helpers.js';

/** A workspace with two posix instances, `local` (seeded) and `team` (empty). */
async function twoRegistries(): Promise<{ ws: ReturnType<typeof workspace>; local: Registry; team: Registry }> {
  const ws = workspace('    team: { provider: posix, path: ./team }\n');
  const local = ws.open();
  await seedCopySource(local);
  const team = new Registry(new PosixProvider({ path: path.join(ws.cwd, 'team') }));
  return { ws, local, team };
}

describe('statekeep copy', () => {
  it('copies everything, says what it copied, and a rerun copies nothing', async () => {
    const { ws, local, team } = await twoRegistries();
    const first = await statekeepInProcess(['copy', '--from', 'local', '--to', 'team'], ws);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toContain('  iris 1.0.0: release copied, 3 generations copied (#1, #2, #3)\n');
    expect(first.stdout).toContain('  iris alias production: 2 entries copied, 0 already there\n');
    expect(first.stdout).toMatch(/^copied: {8}3 releases, 5 generations, 4 alias entries, 7 blobs \(\d+ B\)$/m);
    expect(first.stdout).toContain('already there: 0 releases, 0 generations, 0 alias entries, 0 blobs (0 B)\n');
    expect(await snapshotRegistry(team)).toEqual(await snapshotRegistry(local));

    const again = await statekeepInProcess(['copy', '--from', 'local', '--to', 'team', '--json'], ws);
    expect(again.code).toBe(0);
    const report = JSON.parse(again.stdout) as { copied: Record<string, number>; present: Record<string, number> };
    expect(report.copied).toEqual({ releases: 0, generations: 0, tombstones: 0, aliasEntries: 0, blobs: 0, bytes: 0 });
    expect(report.present).toMatchObject({ releases: 3, generations: 5, aliasEntries: 4, blobs: 7 });
  });

  it('show prints where a copied generation came from, and --json carries it as copiedFrom', async () => {
    const { ws, local } = await twoRegistries();
    await statekeepInProcess(['copy', '--from', 'local', '--to', 'team', 'iris', '1.0.0'], ws);
    const source = path.join(ws.cwd, 'registry');
    const shown = await statekeepInProcess(['--registry', 'team', 'show', 'iris', '1.0.0', '2'], ws);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^copied from +local \\(${source}\\) iris 1\\.0\\.0 generation 2$`, 'm'));
    const { digest } = await local.storedManifest('iris', '1.0.0', 2);
    expect(shown.stdout).toContain(`source manifest ${digest}`);
    const json = await statekeepInProcess(['--registry', 'team', '--json', 'show', 'iris', '1.0.0', '2'], ws);
    expect(JSON.parse(json.stdout).copiedFrom).toMatchObject({
      registry: 'local',
      source,
      release: '1.0.0',
      generation: 2,
      manifest: digest,
    });
    // The source's own manifest has none.
    const original = await statekeepInProcess(['--json', 'show', 'iris', '1.0.0', '2'], ws);
    expect(JSON.parse(original.stdout).copiedFrom).toBeUndefined();
  });

  it('refuses a release with generations of its own (exit 1, CONFLICT, naming --append); --append copies', async () => {
    const { ws, team } = await twoRegistries();
    await publish(team, 'iris', '1.0.0', new TextEncoder().encode('iris 1.0.0 package'));
    await commit(team, 'iris', '1.0.0', { own: 'mine' });
    const refused = await statekeepInProcess(['copy', '--from', 'local', '--to', 'team', 'iris'], ws);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^statekeep: cannot copy iris 1\.0\.0 into team: it holds generation 1 of its own/);
    expect(refused.stderr).toContain('(option --append)');
    const json = await statekeepInProcess(['copy', '--from', 'local', '--to', 'team', 'iris', '--json'], ws);
    expect(JSON.parse(json.stderr).error).toMatchObject({
      code: 'CONFLICT',
      data: { release: '1.0.0', argument: 'append' },
    });
    expect(await team.generations('iris', '1.0.0')).toEqual([1]);

    const appended = await statekeepInProcess(['copy', '--from', 'local', '--to', 'team', 'iris', '--append'], ws);
    expect(appended.code).toBe(0);
    expect(appended.stdout).toContain(
      'iris 1.0.0: release already there, 3 generations copied (#1 as #2, #2 as #3, #3 as #4), appended after its own',
    );
    expect(await team.generations('iris', '1.0.0')).toEqual([1, 2, 3, 4]);
  });

  it('is a usage error (exit 2) to name one instance twice or to leave out --to', async () => {
    const { ws } = await twoRegistries();
    const same = await statekeepInProcess(['copy', '--from', 'local', '--to', 'local', '--json'], ws);
    expect(same.code).toBe(2);
    expect(JSON.parse(same.stderr).error).toMatchObject({ code: 'USAGE', data: { argument: 'to' } });
    const missing = await statekeepInProcess(['copy', '--from', 'local'], ws);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--to <instance>' not specified");
    const unknown = await statekeepInProcess(['copy', '--from', 'local', '--to', 'nowhere', '--json'], ws);
    expect(unknown.code).toBe(1);
    expect(JSON.parse(unknown.stderr).error).toMatchObject({ code: 'NOT_FOUND', data: { what: 'registry instance' } });
  });
});
