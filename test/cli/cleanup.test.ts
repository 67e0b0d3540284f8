import { utimesSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import type { CleanupReport } from '../../src/registry/spi.js';
import { seed, statekeepInProcess, workspace } from './helpers.js';

describe('statekeep cleanup', () => {
  it("removes a crashed writer's old temp file and prints the counts", async () => {
    const ws = workspace();
    await seed(ws);
    const leftover = path.join(ws.registryPath, '.tmp-4242-0123456789ab');
    writeFileSync(leftover, 'x'.repeat(2048));
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(leftover, hourAgo, hourAgo);
    const { code, stdout } = await statekeepInProcess(['cleanup'], ws);
    expect(code).toBe(0);
    expect(stdout).toBe(`removed 1 leftover (2.0 KiB) from ${ws.registryPath}\n`);
    expect(existsSync(leftover)).toBe(false);
    expect(JSON.parse((await statekeepInProcess(['cleanup', '--json'], ws)).stdout)).toEqual({
      registry: 'local',
      removed: 0,
      bytes: 0,
    });
  });

  it('passes --older-than to the registry in milliseconds', async () => {
    const seen: unknown[] = [];
    class Sweeping extends VolatileProvider {
      async cleanup(options?: { olderThanMs?: number }): Promise<CleanupReport> {
        seen.push(options?.olderThanMs);
        return { removed: 3, bytes: 10 };
      }
    }
    const ws = workspace();
    const out = await statekeepInProcess(['cleanup', '--older-than', '0', '--json'], ws, {
      overrides: { providers: { posix: Sweeping } },
    });
    expect(out).toMatchObject({ code: 0, stdout: '{\n  "registry": "local",\n  "removed": 3,\n  "bytes": 10\n}\n' });
    expect(seen).toEqual([0]);
  });

  it('exits 2 for an --older-than that is not a number of minutes', async () => {
    const ws = workspace();
    for (const bad of ['soon', '-1', '']) {
      const { code, stderr } = await statekeepInProcess(['cleanup', '--older-than', bad, '--json'], ws);
      expect(code).toBe(2);
      expect(JSON.parse(stderr).error).toMatchObject({ code: 'USAGE', data: { argument: '--older-than' } });
    }
  });
});
