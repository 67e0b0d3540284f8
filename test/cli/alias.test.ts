import { describe, expect, it } from 'vitest';
import { STATEKEEP_VERSION } from '../../src/version.js';
import { seed, statekeepInProcess, workspace } from './helpers.js';
import { EXAMPLE, IRIS, IRIS_EARLY, ok } from './pipeline-sequence.js';

/** iris 1.0.0 #1 #2 (from seed) and iris 1.1.0 #1. */
async function seeded(): Promise<ReturnType<typeof workspace>> {
  const ws = workspace();
  await seed(ws);
  await ws.open().commit({
    project: 'iris',
    release: '1.1.0',
    mode: 'train',
    parent: null,
    states: [{ actor: 'scaler', bytes: new Uint8Array(10), codec: 'cbor' }],
  });
  return ws;
}

describe('statekeep alias', () => {
  it('set prints the move, list shows where each alias points, history prints every move newest first', async () => {
    const ws = await seeded();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    expect(await cli(['alias', 'set', 'iris', 'production', '1.0.0', '1', '--reason', 'first'])).toEqual({
      code: 0,
      stdout: 'iris production: unset → 1.0.0 #1 (entry 1)\n',
      stderr: '',
    });
    expect((await cli(['alias', 'set', 'iris', 'production', '1.1.0', '1', '--expect', '1.0.0/1'])).stdout).toBe(
      'iris production: 1.0.0 #1 → 1.1.0 #1 (entry 2)\n',
    );
    await cli(['alias', 'set', 'iris', 'staging', '@production']);
    const list = await cli(['alias', 'list', 'iris']);
    expect(list.code).toBe(0);
    const [header, production, staging] = list.stdout.split('\n');
    expect(header).toBe('ALIAS       RELEASE  GENERATION  SINCE                 REASON');
    expect(production).toMatch(/^production {2}1\.1\.0 {13}1 {2}\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}-$/);
    expect(staging).toMatch(/^staging {5}1\.1\.0 {13}1 {2}\S+Z {2}-$/);
    const history = await cli(['--json', 'alias', 'history', 'iris', 'production']);
    expect(
      JSON.parse(history.stdout).map((e: { entry: number; reason: string | null }) => [e.entry, e.reason]),
    ).toEqual([
      [2, null],
      [1, 'first'],
    ]);
    const table = (await cli(['alias', 'history', 'iris', 'production'])).stdout.split('\n');
    expect(table[0]).toBe('ENTRY  TIME                  ACTION  FROM      TO        REASON  STATEKEEP');
    expect(table[1]).toMatch(
      new RegExp(`^ {4}2  \\S+Z  set     1\\.0\\.0 #1  1\\.1\\.0 #1  -       ${STATEKEEP_VERSION}$`),
    );
    expect(table[2]).toMatch(/^ {4}1 {2}\S+Z {2}set {5}unset {5}1\.0\.0 #1 {2}first/);
  });

  it('a lost compare-and-swap exits 1 with CONFLICT naming the alias, the expected and the actual target', async () => {
    const ws = await seeded();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    await cli(['alias', 'set', 'iris', 'production', '1.0.0', '2']);
    const lost = await cli(['--json', 'alias', 'set', 'iris', 'production', '1.1.0', '1', '--expect', '1.0.0/1']);
    expect(lost.code).toBe(1);
    expect(JSON.parse(lost.stderr).error).toMatchObject({
      code: 'CONFLICT',
      data: { project: 'iris', alias: 'production', expected: '1.0.0 #1', actual: '1.0.0 #2' },
    });
    const unset = await cli(['alias', 'set', 'iris', 'production', '1.1.0', '1', '--expect-unset']);
    expect(unset.code).toBe(1);
    expect(unset.stderr).toMatch(/^statekeep: alias production of iris holds 1\.0\.0 #2, not the expected unset/);
    expect(JSON.parse((await cli(['--json', 'alias', 'history', 'iris', 'production'])).stdout)).toHaveLength(1);
  });

  it('--to-previous moves back; rm unsets; both are recorded', async () => {
    const ws = await seeded();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    await cli(['alias', 'set', 'iris', 'production', '1.0.0', '1']);
    await cli(['alias', 'set', 'iris', 'production', '1.1.0', '1']);
    expect((await cli(['alias', 'set', 'iris', 'production', '--to-previous', '--reason', 'bad'])).stdout).toBe(
      'iris production: 1.1.0 #1 → 1.0.0 #1 (entry 3)\n',
    );
    expect((await cli(['alias', 'rm', 'iris', 'production', '--expect', '1.0.0/1'])).stdout).toBe(
      'iris production: 1.0.0 #1 → removed (entry 4)\n',
    );
    expect(await cli(['alias', 'list', 'iris'])).toEqual({ code: 0, stdout: '', stderr: 'iris has no aliases\n' });
    const gone = await cli(['--json', 'show', 'iris', '@production']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stderr).error).toMatchObject({ code: 'NOT_FOUND', data: { what: 'alias' } });
  });

  it('rejects bad input with exit 2 and changes nothing: latest, bad names, bad --expect, missing generation', async () => {
    const ws = await seeded();
    const cli = async (args: string[]) => {
      const outcome = await statekeepInProcess(['--json', ...args], ws);
      return { code: outcome.code, error: JSON.parse(outcome.stderr).error.code as string };
    };
    expect(await cli(['alias', 'set', 'iris', 'latest', '1.0.0', '1'])).toEqual({ code: 2, error: 'INVALID_NAME' });
    expect(await cli(['alias', 'set', 'iris', '../x', '1.0.0', '1'])).toEqual({ code: 2, error: 'INVALID_NAME' });
    expect(await cli(['alias', 'set', 'iris', 'p', '1.0.0', '1', '--expect', '1.0.0'])).toEqual({
      code: 2,
      error: 'USAGE',
    });
    expect(await cli(['alias', 'set', 'iris', 'p', '1.0.0', '1', '--expect', '1.0.0/1', '--expect-unset'])).toEqual({
      code: 2,
      error: 'USAGE',
    });
    expect(await cli(['alias', 'set', 'iris', 'p', '1.0.0'])).toEqual({ code: 2, error: 'USAGE' });
    expect(await cli(['alias', 'set', 'iris', 'p', '1.0.0', '1', '--to-previous'])).toEqual({
      code: 2,
      error: 'USAGE',
    });
    expect(await cli(['alias', 'set', 'iris', 'p', '1.0.0', '9'])).toEqual({ code: 1, error: 'NOT_FOUND' });
    expect(await cli(['alias', 'set', 'nope', 'p', '1.0.0', '1'])).toEqual({ code: 1, error: 'NOT_FOUND' });
    expect(await ws.open().aliases('iris')).toEqual([]);
  });

  it('show and rollback take @ALIAS; @latest is the newest generation', async () => {
    const ws = await seeded();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    await cli(['alias', 'set', 'iris', 'production', '1.0.0', '1']);
    const shown = JSON.parse((await cli(['--json', 'show', 'iris', '@production'])).stdout);
    expect(shown).toMatchObject({ release: '1.0.0', generation: 1 });
    expect(JSON.parse((await cli(['--json', 'show', 'iris', '@latest'])).stdout)).toMatchObject({
      release: '1.1.0',
      generation: 1,
    });
    const both = await cli(['--json', 'show', 'iris', '@production', '2']);
    expect(both.code).toBe(2);
    const rolled = await cli(['rollback', 'iris', '1.0.0', '--to', '@production']);
    expect(rolled).toMatchObject({ code: 0, stdout: '3\n' });
    expect((await ws.open().manifest('iris', '1.0.0', 3)).rollbackOf).toBe(1);
    const elsewhere = await cli(['--json', 'rollback', 'iris', '1.1.0', '--to', '@production']);
    expect(elsewhere.code).toBe(2);
    expect(JSON.parse(elsewhere.stderr).error.data).toEqual({ argument: '--to' });
  });
});

describe('statekeep apply @ALIAS', () => {
  it('applies the generation the alias points at', { timeout: 120_000 }, async () => {
    const ws = workspace();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    await ok(cli, ['train', EXAMPLE, '--data', IRIS_EARLY]);
    await ok(cli, ['train', 'iris', '--data', IRIS]);
    await ok(cli, ['alias', 'set', 'iris', 'production', '1.0.0', '1']);
    const viaAlias = await ok<{ generation: number; predictions: string[] }>(cli, [
      'apply',
      'iris',
      '@production',
      '--data',
      IRIS,
    ]);
    const direct = await ok<{ generation: number; predictions: string[] }>(cli, [
      'apply',
      'iris',
      '1.0.0',
      '1',
      '--data',
      IRIS,
    ]);
    expect(viaAlias.generation).toBe(1);
    expect(viaAlias).toEqual(direct);
  });
});
