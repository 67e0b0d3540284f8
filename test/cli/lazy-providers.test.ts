import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { seed, statekeep, statekeepInProcess, workspace } from './helpers.js';

const TRACE = fileURLToPath(new URL('./fixtures/trace-imports.mjs', import.meta.url));
// Nothing listens on the discard port: contacting it would fail at once.
const TEAM = '    team: { provider: mlflow, uri: "http://127.0.0.1:9", retries: 0, timeoutMs: 5000 }\n';

async function traced(
  args: string[],
  ws: ReturnType<typeof workspace>,
): Promise<{ code: number; stdout: string; imports: string[] }> {
  const log = path.join(ws.cwd, `imports-${args.join('-')}.log`);
  const { code, stdout } = await statekeep(args, ws, { TRACE_IMPORTS: log }, ['--import', TRACE]);
  return { code, stdout, imports: readFileSync(log, 'utf8').split('\n') };
}

describe('registry instances are loaded only when used', () => {
  it('an MLflow instance that is not selected is neither loaded nor contacted', async () => {
    const ws = workspace(TEAM);
    await seed(ws);
    const { code, stdout, imports } = await traced(['list', '--json'], ws);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toHaveLength(2);
    expect(imports.some((url) => url.endsWith('/providers/posix/posix-provider.js'))).toBe(true);
    // A provider's describe.ts (what platform.yaml may say about it) is read; its code is not.
    expect(imports.filter((url) => url.includes('/providers/mlflow/') && !url.endsWith('/describe.js'))).toEqual([]);
  });

  it('statekeep config opens no registry at all', async () => {
    const { code, imports } = await traced(['config', '--registry', 'team'], workspace(TEAM));
    expect(code).toBe(0);
    expect(imports.filter((url) => url.includes('/providers/') && !/\/(describe|index)\.js$/.test(url))).toEqual([]);
  });

  it('selected with --registry, the MLflow instance is loaded and its unreachable server reported (exit 1)', async () => {
    const ws = workspace(TEAM);
    const { code, imports } = await traced(['list', '--registry', 'team'], ws);
    expect(code).toBe(1);
    expect(imports.some((url) => url.endsWith('/providers/mlflow/mlflow-provider.js'))).toBe(true);
    const { stderr } = await statekeepInProcess(['list', '--registry', 'team', '--json'], ws);
    expect(JSON.parse(stderr).error.code).toBe('UNAVAILABLE');
  });
});
