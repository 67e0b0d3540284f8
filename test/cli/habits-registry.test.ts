import { beforeAll, describe, expect, it } from 'vitest';
import { colourEnabled } from '../../src/cli/colour.js';
import { errorLines, seed, statekeepInProcess, workspace } from './helpers.js';

type Workspace = ReturnType<typeof workspace>;

/** iris 1.0.0 and 1.1.0 (the newest) each with generations; 1.1.0's second one tuned. */
async function twoReleases(ws: Workspace): Promise<void> {
  await seed(ws);
  const registry = ws.open();
  const states = [{ actor: 'model', bytes: new Uint8Array([1]), codec: 'cbor' }];
  await registry.commit({
    project: 'iris',
    release: '1.1.0',
    mode: 'train',
    parent: null,
    metrics: { f1: 0.5 },
    states,
  });
  await registry.commit({
    project: 'iris',
    release: '1.1.0',
    mode: 'tune',
    parent: 1,
    tuning: { score: 0.8, trials: 4, params: { 'model.depth': 3, 'model.kernel': 'rbf' } },
    metrics: { f1: 0.75, accuracy: 0.9 },
    states,
  });
}

async function jsonError(ws: Workspace, args: string[]): Promise<{ code: number; error: Record<string, unknown> }> {
  const outcome = await statekeepInProcess(['--json', ...args], ws);
  return { code: outcome.code, error: JSON.parse(outcome.stderr).error };
}

describe('show and rollback without a release take the newest, as apply does', () => {
  it('show PROJECT is the newest release; a newest release without generations is NOT_FOUND naming it', async () => {
    const empty = workspace();
    await seed(empty);
    expect(await jsonError(empty, ['show', 'iris'])).toMatchObject({
      code: 1,
      error: { code: 'NOT_FOUND', data: { what: 'generation', release: '1.1.0' } },
    });
    const ws = workspace();
    await twoReleases(ws);
    const { code, stdout } = await statekeepInProcess(['show', 'iris'], ws);
    expect(code).toBe(0);
    expect(stdout.split('\n').slice(0, 3)).toEqual(['project     iris', 'release     1.1.0', 'generation  2']);
  });

  it('show prints the tuned parameters and the metrics as text', async () => {
    const ws = workspace();
    await twoReleases(ws);
    const lines = (await statekeepInProcess(['show', 'iris', '1.1.0', '2'], ws)).stdout.split('\n');
    expect(lines).toContain('tuning      score 0.8 after 4 trials');
    expect(lines).toContain('params      model.depth=3, model.kernel="rbf"');
    expect(lines).toContain('metrics     f1=0.75, accuracy=0.9');
    // A generation nobody tuned has no params line.
    expect((await statekeepInProcess(['show', 'iris', '1.1.0', '1'], ws)).stdout).not.toMatch(/^params/m);
  });

  it("rollback PROJECT --to N rolls back the newest release; --to @ALIAS, the alias's release", async () => {
    const ws = workspace();
    await twoReleases(ws);
    expect(await statekeepInProcess(['rollback', 'iris', '--to', '1'], ws)).toMatchObject({ code: 0, stdout: '3\n' });
    expect((await ws.open().manifest('iris', '1.1.0', 3)).rollbackOf).toBe(1);
    expect((await statekeepInProcess(['alias', 'set', 'iris', 'production', '1.0.0', '1'], ws)).code).toBe(0);
    const rolled = await statekeepInProcess(['rollback', 'iris', '--to', '@production'], ws);
    expect(rolled).toMatchObject({ code: 0, stdout: '3\n' });
    expect((await ws.open().manifest('iris', '1.0.0', 3)).rollbackOf).toBe(1);
    expect(await ws.open().generations('iris', '1.1.0')).toEqual([1, 2, 3]);
  });
});

describe('"did you mean" for project, release and alias names', () => {
  const ws = workspace();
  beforeAll(async () => {
    await seed(ws);
    expect((await statekeepInProcess(['alias', 'set', 'iris', 'production', '1.0.0', '1'], ws)).code).toBe(0);
  });

  it('a mistyped project names the near one in the hint and in data.suggestion', async () => {
    expect(await jsonError(ws, ['show', 'irsi', '1.0.0'])).toMatchObject({
      code: 1,
      error: { code: 'NOT_FOUND', data: { what: 'project', project: 'irsi', suggestion: 'iris' } },
    });
    const text = await statekeepInProcess(['list', 'wnie'], ws);
    expect(text.code).toBe(1);
    expect(errorLines(text.stderr)).toEqual({
      message: 'project not found: wnie',
      hint: 'did you mean "wine"? run `statekeep list` to see the projects, or publish a release with `statekeep release`',
    });
  });

  it('a mistyped release, and a mistyped alias', async () => {
    expect(await jsonError(ws, ['show', 'iris', '1.0.1'])).toMatchObject({
      error: { code: 'NOT_FOUND', data: { what: 'release', suggestion: '1.0.0' } },
    });
    const release = await statekeepInProcess(['list', 'iris', '1.0.1'], ws);
    expect(errorLines(release.stderr).hint).toMatch(/^did you mean release 1\.0\.0\? /);
    const alias = await jsonError(ws, ['show', 'iris', '@prodution']);
    expect(alias).toMatchObject({
      code: 1,
      error: { code: 'NOT_FOUND', data: { what: 'alias', suggestion: 'production' } },
    });
    expect(alias.error.hint).toMatch(/^did you mean @production\? /);
  });

  it('no near name leaves the error as it was', async () => {
    const far = await jsonError(ws, ['show', 'zzzzzz', '1.0.0']);
    expect(far).toMatchObject({ code: 1, error: { code: 'NOT_FOUND', data: { what: 'project' } } });
    expect(far.error.data).not.toHaveProperty('suggestion');
    expect(far.error.hint).toBe(
      'run `statekeep list` to see the projects, or publish a release with `statekeep release`',
    );
  });
});

describe('colour', () => {
  const ws = workspace();
  beforeAll(() => seed(ws));
  const ESC = '\x1b[';

  it('FORCE_COLOR colours a pipe, FORCE_COLOR=0 a terminal not; --json never', async () => {
    expect((await statekeepInProcess(['list'], ws, { env: { FORCE_COLOR: '1' } })).stdout).toContain(`${ESC}1mPROJECT`);
    expect((await statekeepInProcess(['list'], ws, { tty: true, env: { FORCE_COLOR: '0' } })).stdout).not.toContain(
      ESC,
    );
    expect((await statekeepInProcess(['list'], ws, { tty: true })).stdout).toContain(ESC);
    const json = await statekeepInProcess(['--json', 'show', 'nope', '1.0.0'], ws, {
      tty: true,
      env: { FORCE_COLOR: '1' },
    });
    expect(json.code).toBe(1);
    expect(json.stderr + json.stdout).not.toContain(ESC);
    // As git does: the error in red, its hint's label in yellow.
    const text = await statekeepInProcess(['show', 'nope', '1.0.0'], ws, { env: { FORCE_COLOR: '1' } });
    expect(text.stderr).toContain(`${ESC}31m${ESC}1mstatekeep:`);
    expect(text.stderr).toContain(`  ${ESC}33mhint:${ESC}39m `);
    const listed = await statekeepInProcess(['--json', 'list'], ws, { tty: true, env: { FORCE_COLOR: '1' } });
    expect(listed.stdout).not.toContain(ESC);
  });

  it('is decided by --json, FORCE_COLOR, then the terminal, NO_COLOR and TERM', () => {
    const tty = { isTTY: true };
    const pipe = {};
    expect(colourEnabled(tty, {})).toBe(true);
    expect(colourEnabled(tty, {}, true)).toBe(false);
    expect(colourEnabled(tty, { FORCE_COLOR: '1' }, true)).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colourEnabled(pipe, { FORCE_COLOR: '3' })).toBe(true);
    expect(colourEnabled(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(colourEnabled(tty, { FORCE_COLOR: 'false' })).toBe(false);
    expect(colourEnabled(pipe, { FORCE_COLOR: '' })).toBe(false);
    expect(colourEnabled(tty, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(tty, { TERM: 'dumb' })).toBe(false);
    expect(colourEnabled(pipe, {})).toBe(false);
  });
});
