import { describe, expect, it } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import type { ProviderClass } from '../../src/registry/spi.js';
import { statekeepInProcess, workspace } from './helpers.js';
import { mainJob, ok } from './pipeline-sequence.js';

describe('the main job through the CLI, on volatile', () => {
  it('train → 1, train again → 2, tune → 3, rollback → 4, and apply 4 equals apply 1', async () => {
    // A volatile registry lives as long as its process, so every command runs in this one, and
    // the test binds one shared volatile store in place of a fresh one per command.
    const shared = new VolatileProvider();
    const SharedVolatile = function SharedVolatile() {
      return shared;
    } as unknown as ProviderClass;
    const ws = workspace();
    const cli = (args: string[]) =>
      statekeepInProcess(['--registry', 'scratch', ...args], ws, {
        overrides: { providers: { volatile: SharedVolatile } },
      });
    await mainJob(cli);
    expect(await ok<{ project: string }[]>(cli, ['list'])).toEqual([expect.objectContaining({ project: 'iris' })]);
    // Nothing reached the posix default.
    expect(await ws.open().projects()).toEqual([]);
  });
});

describe('train, tune and apply for people', () => {
  const shared = new VolatileProvider();
  const SharedVolatile = function SharedVolatile() {
    return shared;
  } as unknown as ProviderClass;
  const ws = workspace();
  const run = (args: string[], tty: boolean | { stdout: boolean; stderr: boolean }) =>
    statekeepInProcess(['--registry', 'scratch', ...args], ws, {
      tty,
      overrides: { providers: { volatile: SharedVolatile } },
    });
  const progressLine = '\r\x1b[2K';

  it('print the generation on stdout, a one-line summary on stderr, and a progress line only on a terminal', async () => {
    const { EXAMPLE, IRIS } = await import('./pipeline-sequence.js');
    const piped = await run(['train', EXAMPLE, '--data', IRIS], false);
    expect(piped).toMatchObject({ code: 0, stdout: '1\n' });
    expect(piped.stderr).not.toContain(progressLine);
    expect(piped.stderr.trimEnd().split('\n')).toHaveLength(2);

    const terminal = await run(['tune', 'iris', '--data', IRIS], true);
    expect(terminal).toMatchObject({ code: 0, stdout: '2\n' });
    expect(terminal.stderr).toContain(progressLine);
    expect(terminal.stderr).toMatch(/trial 9\/9/);

    // Output redirected to a file, stderr still on the terminal: a script's run, no progress line.
    const redirected = await run(['train', 'iris', '--data', IRIS], { stdout: false, stderr: true });
    expect(redirected).toMatchObject({ code: 0, stdout: '3\n' });
    expect(redirected.stderr).not.toContain(progressLine);

    const json = await run(['--json', 'train', 'iris', '--data', IRIS], true);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect(JSON.parse(json.stdout)).toMatchObject({ generation: 4, parent: 3 });

    const applied = await run(['apply', 'iris', '1.0.0', '1', '--data', IRIS], false);
    const lines = applied.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('predicted_species');
    expect(lines).toHaveLength(151);
    expect(new Set(lines.slice(1))).toEqual(new Set(['setosa', 'versicolor', 'virginica']));
  });
});
