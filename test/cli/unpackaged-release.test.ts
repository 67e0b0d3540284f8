import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorLines, statekeepInProcess, workspace } from './helpers.js';

const HINT =
  'this release has no package; its code is managed by a program — use PersistentModel or loadPredictor from code';

describe('a release without a package on the command line', () => {
  const ws = workspace();
  let data = '';
  beforeAll(async () => {
    const registry = ws.open();
    await registry.createRelease('model', '1.0.0');
    await registry.commit({
      project: 'model',
      release: '1.0.0',
      mode: 'train',
      parent: null,
      states: [{ actor: 'model', bytes: new Uint8Array([1, 2, 3]), codec: 'cbor' }],
    });
    data = path.join(ws.cwd, 'rows.csv');
    writeFileSync(data, 'x,y\n1,2\n');
  });

  it('list marks it as a release whose code a program manages, and --json says package null', async () => {
    const { code, stdout } = await statekeepInProcess(['list', 'model'], ws);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')[1]).toMatch(/^1\.0\.0 {4}\S+ {2}none \(code managed by a program\) +1$/);
    const rows = JSON.parse((await statekeepInProcess(['--json', 'list', 'model'], ws)).stdout) as unknown[];
    expect(rows).toEqual([expect.objectContaining({ version: '1.0.0', package: null, size: null, generations: 1 })]);
  });

  it('show marks its generations the same way', async () => {
    const { code, stdout } = await statekeepInProcess(['show', 'model', '1.0.0'], ws);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^package +none \(code managed by a program\)$/m);
  });

  it.each([
    ['apply', ['apply', 'model', '--data']],
    ['apply a release', ['apply', 'model', '1.0.0', '--data']],
    ['train', ['train', 'model', '--data']],
    ['tune', ['tune', 'model', '--data']],
  ])('%s refuses it with USAGE (exit 2) and the hint to use it from code; nothing is written', async (_, args) => {
    const { code, stderr } = await statekeepInProcess([...args, data], ws);
    expect(code).toBe(2);
    expect(errorLines(stderr)).toEqual({ message: 'release model 1.0.0 has no package', hint: HINT });
    const json = await statekeepInProcess(['--json', ...args, data], ws);
    expect(JSON.parse(json.stderr)).toMatchObject({ error: { code: 'USAGE' } });
    expect(await ws.open().generations('model', '1.0.0')).toEqual([1]);
  });

  it('verify finds it sound', async () => {
    const { code } = await statekeepInProcess(['verify'], ws);
    expect(code).toBe(0);
  });
});
