import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statekeep, statekeepInProcess, workspace } from './helpers.js';
import { EXAMPLE, IRIS } from './pipeline-sequence.js';

type Workspace = ReturnType<typeof workspace>;

async function fails(
  ws: Workspace,
  args: string[],
): Promise<{ code: number; error: { code: string; data: Record<string, unknown> } }> {
  const outcome = await statekeepInProcess(['--json', ...args], ws);
  expect(outcome.stdout).toBe('');
  return { code: outcome.code, error: JSON.parse(outcome.stderr).error };
}

describe('a run from a project directory that fails on its inputs publishes nothing', () => {
  it('a missing, unreadable or malformed data file', async () => {
    const ws = workspace();
    const headerOnly = path.join(ws.cwd, 'header-only.csv');
    writeFileSync(headerOnly, 'sepal_length,sepal_width,petal_length,petal_width,species,measured_on\r\n');
    const folder = path.join(ws.cwd, 'folder.csv');
    mkdirSync(folder);
    expect(await fails(ws, ['train', EXAMPLE, '--data', path.join(ws.cwd, 'absent.csv')])).toMatchObject({
      code: 1,
      error: { code: 'NOT_FOUND', data: { what: 'file' } },
    });
    expect(await fails(ws, ['train', EXAMPLE, '--data', folder])).toMatchObject({
      code: 1,
      error: { code: 'BAD_DATA', data: { file: folder } },
    });
    expect(await fails(ws, ['train', EXAMPLE, '--data', path.join(ws.cwd, 'rows.txt')])).toMatchObject({
      code: 1,
      error: { code: 'BAD_DATA' },
    });
    expect(await fails(ws, ['train', EXAMPLE, '--data', headerOnly])).toMatchObject({
      code: 1,
      error: { code: 'BAD_DATA', data: { file: headerOnly } },
    });
    expect(await ws.open().projects()).toEqual([]);
  });

  it('bad tune options, and --fresh with --since-last, exit 2 before anything is resolved', async () => {
    const ws = workspace();
    expect(await fails(ws, ['tune', EXAMPLE, '--data', IRIS, '--trials', '0'])).toMatchObject({
      code: 2,
      error: { code: 'USAGE', data: { argument: '--trials' } },
    });
    expect(await fails(ws, ['tune', EXAMPLE, '--data', IRIS, '--seed', 'x'])).toMatchObject({
      code: 2,
      error: { code: 'USAGE', data: { argument: '--seed' } },
    });
    expect(await fails(ws, ['tune', EXAMPLE, '--data', IRIS, '--strategy', 'best'])).toMatchObject({
      code: 2,
      error: { code: 'USAGE', data: { argument: '--strategy' } },
    });
    expect(await fails(ws, ['train', EXAMPLE, '--data', IRIS, '--fresh', '--since-last'])).toMatchObject({
      code: 2,
      error: { code: 'USAGE', data: { commander: 'commander.conflictingOption' } },
    });
    expect(await ws.open().projects()).toEqual([]);
  });

  it('apply of a directory whose version is not released: NOT_FOUND, and no release is made for it', async () => {
    const ws = workspace();
    expect(await fails(ws, ['apply', EXAMPLE, '--data', IRIS])).toMatchObject({
      code: 1,
      error: { code: 'NOT_FOUND' },
    });
    expect(await ws.open().projects()).toEqual([]);
  });
});

describe('apply --out', () => {
  it('refuses an unknown format before running, and an unwritable place with exit 2, leaving no temp file', async () => {
    const ws = workspace();
    expect((await statekeepInProcess(['train', EXAMPLE, '--data', IRIS], ws)).code).toBe(0);
    expect(await fails(ws, ['apply', 'iris', '--data', IRIS, '--out', path.join(ws.cwd, 'out.txt')])).toMatchObject({
      code: 2,
      error: { code: 'USAGE', data: { argument: '--out' } },
    });
    const nowhere = path.join(ws.cwd, 'no', 'such', 'dir', 'out.csv');
    expect(await fails(ws, ['apply', 'iris', '--data', IRIS, '--out', nowhere])).toMatchObject({
      code: 2,
      error: { code: 'USAGE', data: { argument: '--out' } },
    });
    const taken = path.join(ws.cwd, 'taken.csv');
    mkdirSync(taken);
    expect(await fails(ws, ['apply', 'iris', '--data', IRIS, '--out', taken])).toMatchObject({
      code: 2,
      error: { code: 'USAGE', data: { argument: '--out' } },
    });
    expect(existsSync(path.join(ws.cwd, `.taken.csv.${process.pid}.tmp`))).toBe(false);
  });
});

describe('paths with spaces', () => {
  it('runs a project directory named by a bare name with a space, and writes --out to a path with one', async () => {
    const ws = workspace();
    cpSync(EXAMPLE, path.join(ws.cwd, 'my iris'), { recursive: true });
    const trained = await statekeep(['--json', 'train', 'my iris', '--data', IRIS], ws);
    expect(trained.code, trained.stderr).toBe(0);
    expect(JSON.parse(trained.stdout)).toMatchObject({ project: 'iris', generation: 1 });
    const applied = await statekeep(['apply', 'iris', '--data', IRIS, '--out', 'predicted species.csv'], ws);
    expect(applied.code, applied.stderr).toBe(0);
    expect(readFileSync(path.join(ws.cwd, 'predicted species.csv'), 'utf8').split('\n')).toHaveLength(152);
  });
});
