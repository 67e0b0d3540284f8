import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isTempName } from '../../src/providers/posix/temp-files.js';
import { csv, projectDir } from './fixtures/projects.js';
import { BIN, statekeep, statekeepInProcess, workspace } from './helpers.js';

type Workspace = ReturnType<typeof workspace>;

/** Every file under `root` with the sha256 of its bytes, and every directory; temp files (which cleanup removes) left out. */
function listing(root: string): Record<string, string> {
  const entries: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      const rel = path.relative(root, full);
      if (statSync(full).isDirectory()) {
        entries[`${rel}/`] = 'dir';
        walk(full);
      } else if (!isTempName(name)) {
        entries[rel] = createHash('sha256').update(readFileSync(full)).digest('hex');
      }
    }
  };
  walk(root);
  return entries;
}

/** A project module: one stateful actor (or the given ones), a metric, and extra code at the top. */
function source(
  options: { top?: string; state?: string; train?: string; score?: string; steps?: string } = {},
): string {
  return `
${options.top ?? ''}
class Keeper {
  name = 'keeper';
  seen = 0;
  async train(rows: unknown[]) { ${options.train ?? ''} this.seen += rows.length; }
  apply(rows: unknown[]) { return rows.map(() => 0); }
  getState() { return ${options.state ?? '{ seen: this.seen }'}; }
  setState(s: { seen: number }) { this.seen = s.seen; }
  getParams() { return {}; }
  setParams() {}
}
export default {
  label: 'y',
  features: ['x'],
  metric: { name: 'zero', direction: 'max', score: () => ${options.score ?? '0'} },
  pipeline: () => ({ steps: ${options.steps ?? '[new Keeper()]'} }),
};
`;
}

const GOOD = source();

/** A workspace whose registry already holds another project with a generation, and an older release of "flaky". */
async function seeded(): Promise<Workspace> {
  const ws = workspace();
  const registry = ws.open();
  await registry.publishRelease('other', '1.0.0', { payload: new Uint8Array([1, 2, 3]) });
  await registry.commit({
    project: 'other',
    release: '1.0.0',
    mode: 'train',
    parent: null,
    states: [{ actor: 'a', bytes: new Uint8Array([4, 5]), codec: 'cbor' }],
  });
  await registry.publishRelease('flaky', '0.9.0', { payload: new Uint8Array([6]) });
  return ws;
}

/** After a failed run the registry is as it was; the fixed code then trains generation 1 of the same version. */
async function recovers(ws: Workspace, dir: string, data: string, before: Record<string, string>): Promise<void> {
  expect(listing(ws.registryPath)).toEqual(before);
  writeFileSync(path.join(dir, 'src', 'index.ts'), GOOD);
  const fixed = await statekeepInProcess(['train', dir, '--data', data], ws);
  expect({ code: fixed.code, stdout: fixed.stdout, stderr: fixed.stderr.split('\n')[0] }).toEqual({
    code: 0,
    stdout: '1\n',
    stderr: `published release flaky 1.0.0 (${fixed.stderr.match(/\(([^)]+)\)/)?.[1]}) from ${dir}`,
  });
  expect(await ws.open().releaseVersions('flaky')).toEqual(['0.9.0', '1.0.0']);
}

describe('a run from a directory that fails before its commit leaves the registry as it was', () => {
  const failures: [string, string, { code: string; exit: number; data?: Record<string, unknown> }][] = [
    [
      'an actor that throws in train',
      source({ train: "throw new Error('diverged');" }),
      { code: 'USER_CODE', exit: 1, data: { step: 'train', actor: 'keeper', detail: 'diverged' } },
    ],
    ['a metric that returns NaN', source({ score: 'Number.NaN' }), { code: 'USAGE', exit: 2 }],
    [
      'a metric that throws',
      source({ score: "(() => { throw new Error('no score'); })()" }),
      { code: 'USER_CODE', exit: 1, data: { step: 'score', metric: 'zero' } },
    ],
    [
      'a state holding a function',
      source({ state: '{ seen: this.seen, f: () => 1 }' }),
      { code: 'NOT_SERIALIZABLE', exit: 1, data: { actor: 'keeper', path: '$.f' } },
    ],
    [
      'a state holding a class instance',
      source({ top: 'class Thing { x = 1; }', state: '{ seen: this.seen, thing: new Thing() }' }),
      { code: 'NOT_SERIALIZABLE', exit: 1, data: { path: '$.thing' } },
    ],
    [
      'a state holding a cycle',
      source({ state: '(() => { const o: Record<string, unknown> = { seen: this.seen }; o.self = o; return o; })()' }),
      { code: 'NOT_SERIALIZABLE', exit: 1, data: { path: '$.self' } },
    ],
    [
      'a state holding a symbol',
      source({ state: "{ seen: this.seen, tag: Symbol('t') }" }),
      { code: 'NOT_SERIALIZABLE', exit: 1, data: { path: '$.tag' } },
    ],
    ['two actors sharing a name', source({ steps: '[new Keeper(), new Keeper()]' }), { code: 'USAGE', exit: 2 }],
    [
      'a module that throws on import',
      source({ top: "throw new Error('import failed');" }),
      { code: 'USER_CODE', exit: 1, data: { step: 'import', detail: 'import failed' } },
    ],
  ];

  for (const [kind, code, expected] of failures) {
    it(`${kind}: ${expected.code}, and the fixed code trains at the same version`, async () => {
      const ws = await seeded();
      const dir = projectDir('flaky', code);
      const data = csv(dir, 4);
      const before = listing(ws.registryPath);
      const failed = await statekeepInProcess(['--json', 'train', dir, '--data', data], ws);
      expect(failed.code).toBe(expected.exit);
      expect(failed.stdout).toBe('');
      expect(JSON.parse(failed.stderr).error).toMatchObject({ code: expected.code, data: expected.data ?? {} });
      await recovers(ws, dir, data, before);
    });
  }

  it('the same for tune', async () => {
    const ws = await seeded();
    const dir = projectDir(
      'flaky',
      source({ train: "throw new Error('diverged');" })
        .replace('getParams() { return {}; }', 'getParams() { return { k: 1 }; }')
        .replace('pipeline: () =>', "tuning: { space: { 'keeper.k': [1, 2] } },\n  pipeline: () =>"),
    );
    const data = csv(dir, 8);
    const before = listing(ws.registryPath);
    const failed = await statekeepInProcess(['--json', 'tune', dir, '--data', data], ws);
    expect(failed.code).toBe(1);
    expect(JSON.parse(failed.stderr).error).toMatchObject({ code: 'USER_CODE', data: { step: 'train' } });
    expect(listing(ws.registryPath)).toEqual(before);
  });

  it('a process killed (SIGKILL) while training leaves nothing that cleanup does not remove', async () => {
    const ws = await seeded();
    const marker = path.join(ws.cwd, 'training-started');
    const dir = projectDir(
      'flaky',
      source({
        top: "import { writeFileSync } from 'node:fs';",
        train: `writeFileSync(${JSON.stringify(marker)}, ''); await new Promise((r) => setTimeout(r, 60_000));`,
      }),
    );
    const data = csv(dir, 4);
    const before = listing(ws.registryPath);
    const child = spawn(process.execPath, [BIN, 'train', dir, '--data', data], {
      cwd: ws.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: ws.home },
      stdio: 'ignore',
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    for (let i = 0; i < 600 && !existsSync(marker); i++) await sleep(50);
    expect(existsSync(marker)).toBe(true);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect((await statekeep(['cleanup', '--older-than', '0'], ws)).code).toBe(0);
    await recovers(ws, dir, data, before);
  }, 60_000);
});
