import { spawnSync } from 'node:child_process';
import { closeSync, copyFileSync, openSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { sandbox, write } from '../platform/helpers.js';
import { BIN, errorLines, statekeep, statekeepInProcess, workspace } from './helpers.js';

const MEMORY = fileURLToPath(new URL('../platform/fixtures/memory-provider.js', import.meta.url));

function withPlatform(text: string): { cwd: string; home: string; file: string } {
  const box = sandbox();
  return { ...box, file: write(path.join(box.cwd, 'platform.yaml'), text) };
}

describe('configuration errors exit 2 with file:line:col and a hint', () => {
  it('malformed YAML', async () => {
    const ws = withPlatform('registry:\n  default: [local\n');
    const { code, stdout, stderr } = await statekeepInProcess(['list'], ws);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(errorLines(stderr).message.startsWith(`${ws.file}:3:1: malformed YAML`)).toBe(true);
  });

  it('a mistyped key, with the nearest valid key suggested', async () => {
    const ws = withPlatform('registry:\n  instances:\n    local: { provider: posix, pth: ./r }\n');
    const { code, stderr } = await statekeepInProcess(['list'], ws);
    expect(code).toBe(2);
    const { message, hint } = errorLines(stderr);
    expect(message.startsWith(`${ws.file}:3:31: registry.instances.local.pth:`)).toBe(true);
    expect(hint).toBe('did you mean "path"?');
  });

  it('an unknown provider, with the nearest provider suggested', async () => {
    const ws = withPlatform('registry:\n  instances:\n    local: { provider: posx, path: ./r }\n');
    const { code, stderr } = await statekeepInProcess(['config'], ws);
    expect(code).toBe(2);
    expect(errorLines(stderr).message.startsWith(`${ws.file}:3:24: registry.instances.local.provider:`)).toBe(true);
    expect(errorLines(stderr).hint).toBe('did you mean "posix"?');
  });

  it('a missing environment variable, named', async () => {
    const ws = withPlatform(
      'registry:\n  default: team\n  instances:\n    team: { provider: mlflow, uri: "${MLFLOW_TRACKING_URI}" }\n',
    );
    const { code, stderr } = await statekeepInProcess(['list', '--json'], ws);
    expect(code).toBe(2);
    const { error } = JSON.parse(stderr);
    expect(error).toMatchObject({
      code: 'CONFIG',
      data: { file: ws.file, line: 4, column: 36, key: 'registry.instances.team.uri', variable: 'MLFLOW_TRACKING_URI' },
    });
    expect(error.message).toContain(`${ws.file}:4:36`);
  });

  it('a wrong type', async () => {
    const ws = withPlatform('staging: 42\n');
    const { code, stderr } = await statekeepInProcess(['config', '--json'], ws);
    expect(code).toBe(2);
    expect(JSON.parse(stderr).error).toMatchObject({ code: 'CONFIG', data: { line: 1, column: 10, key: 'staging' } });
  });

  it('an unknown --registry, with the nearest instance suggested', async () => {
    const { code, stderr } = await statekeepInProcess(['list', '--registry', 'scrach'], sandbox());
    expect(code).toBe(2);
    expect(errorLines(stderr).hint).toBe('did you mean "scratch"?');
  });
});

describe('usage errors exit 2', () => {
  it('an unknown command, with the nearest command suggested', async () => {
    const { code, stdout, stderr } = await statekeepInProcess(['lsit'], sandbox());
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(errorLines(stderr)).toEqual({ message: "unknown command 'lsit'", hint: 'did you mean list?' });
  });

  it("an unknown option, or too many arguments, with the verb's help named", async () => {
    const option = await statekeepInProcess(['list', '--colour'], sandbox());
    expect(option.code).toBe(2);
    expect(errorLines(option.stderr).hint).toBe('run `statekeep list --help` for usage');
    expect((await statekeepInProcess(['list', 'a', 'b', 'c'], sandbox())).code).toBe(2);
  });
});

describe('error output', () => {
  it('with --json, an error is one JSON object on stderr and nothing on stdout', async () => {
    const { code, stdout, stderr } = await statekeepInProcess(['show', 'iris', '1.0.0', '--json'], workspace());
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    const { error } = JSON.parse(stderr);
    expect(Object.keys(error)).toEqual(['code', 'message', 'hint', 'data']);
    expect(error).toMatchObject({ code: 'NOT_FOUND', data: { what: 'project', project: 'iris' } });
  });

  it('shows stack traces only with --debug', async () => {
    const ws = workspace();
    const plain = await statekeepInProcess(['show', 'iris', '1.0.0'], ws);
    expect(plain.stderr.trimEnd().split('\n')).toHaveLength(2);
    // The built binary's own trace: frames of dist/, not of the sources the tests run.
    const debug = await statekeep(['show', 'iris', '1.0.0', '--debug'], ws);
    expect(debug.code).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at .+registry\.js/);
    expect(
      JSON.parse((await statekeepInProcess(['show', 'iris', '1.0.0', '--debug', '--json'], ws)).stderr).error.stack,
    ).toMatch(/NotFoundError/);
  });

  it('an unexpected error is an internal error: exit 1, a hint to rerun with --debug, no stack', async () => {
    const ws = withPlatform(
      'registry:\n  default: mem\n  instances:\n    mem: { provider: ./memory.js, failWith: "cannot read properties of undefined" }\n',
    );
    copyFileSync(MEMORY, path.join(ws.cwd, 'memory.js'));
    const { code, stderr } = await statekeep(['list'], ws);
    expect(code).toBe(1);
    expect(errorLines(stderr)).toEqual({
      message: 'internal error: cannot read properties of undefined',
      hint: 'rerun with --debug for the stack trace, and report it',
    });
    expect(JSON.parse((await statekeepInProcess(['list', '--json'], ws)).stderr).error.code).toBe('INTERNAL');
  });

  it('masks secrets of the platform in every message', async () => {
    const ws = withPlatform(
      'registry:\n  default: mem\n  instances:\n    mem: { provider: ./memory.js, apiKey: "${KEY}", failWith: "denied for key ${KEY}" }\n',
    );
    copyFileSync(MEMORY, path.join(ws.cwd, 'memory.js'));
    const { code, stderr } = await statekeepInProcess(['list', '--debug'], ws, { env: { KEY: 'sk-live-1234567890' } });
    expect(code).toBe(1);
    expect(stderr).toContain('denied for key ********');
    expect(stderr).not.toContain('sk-live-1234567890');
  });

  it('output that cannot be written is one line and a hint, exit 1, no stack', async () => {
    const ws = workspace();
    await ws.open().publishRelease('iris', '1.0.0', { payload: new Uint8Array([1]) });
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [BIN, 'list'], {
        cwd: ws.cwd,
        env: { PATH: process.env.PATH ?? '', HOME: ws.home },
        stdio: ['ignore', full, 'pipe'],
        encoding: 'utf8',
      });
      expect(run.status).toBe(1);
      expect(errorLines(run.stderr).message).toBe('cannot write the output (ENOSPC)');
    } finally {
      closeSync(full);
    }
  });

  it('colours errors on a terminal only, and never with NO_COLOR', async () => {
    const ws = workspace();
    const tty = await statekeepInProcess(['show', 'iris', '1.0.0'], ws, { tty: true });
    expect(tty.code).toBe(1);
    expect(tty.stderr).toContain('\x1b[');
    const noColor = await statekeepInProcess(['show', 'iris', '1.0.0'], ws, { tty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stderr).not.toContain('\x1b[');
    expect(errorLines(noColor.stderr).message).toBe('project not found: iris');
    const piped = await statekeepInProcess(['show', 'iris', '1.0.0'], ws, { tty: false });
    expect(piped.stderr).toBe(noColor.stderr);
  });

  it('colours table headers on a terminal only, and never with NO_COLOR', async () => {
    const ws = workspace();
    await ws.open().publishRelease('iris', '1.0.0', { payload: new Uint8Array([1]) });
    expect((await statekeepInProcess(['list'], ws, { tty: true })).stdout).toContain('\x1b[1mPROJECT');
    expect((await statekeepInProcess(['list'], ws, { tty: true, env: { NO_COLOR: '1' } })).stdout).toBe(
      'PROJECT  RELEASES  LATEST\niris            1  1.0.0\n',
    );
  });
});
