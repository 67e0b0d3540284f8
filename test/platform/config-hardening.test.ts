import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/platform/public.js';
import { statekeepInProcess } from '../cli/helpers.js';
import { configErrorOf, load, sandbox, write } from './helpers.js';

function withPlatform(text: string): { cwd: string; home: string; file: string } {
  const box = sandbox();
  return { ...box, file: write(path.join(box.cwd, 'platform.yaml'), text) };
}

// Nine anchors of nine references each: 9^9 strings if expanded.
const ALIAS_BOMB = [
  'a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]',
  ...'bcdefghi'.split('').map((name, i) => {
    const previous = 'abcdefghi'[i]!;
    return `${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`;
  }),
  '',
].join('\n');

describe('a YAML alias bomb in the platform file', () => {
  it('is a CONFIG error naming the file, not an internal one', async () => {
    const { error, file } = await configErrorOf(ALIAS_BOMB);
    expect(error.code).toBe('CONFIG');
    expect(error.data.file).toBe(file);
    expect(error.message.startsWith(`${file}: `)).toBe(true);
  });

  it('makes every command exit 2', async () => {
    const ws = withPlatform(ALIAS_BOMB);
    const { code, stdout, stderr } = await statekeepInProcess(['list', '--json'], ws);
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(JSON.parse(stderr).error).toMatchObject({ code: 'CONFIG', data: { file: ws.file } });
  });
});

describe('an unset ${VAR} in a registry instance the command does not use', () => {
  const TEAM =
    'registry:\n  default: local\n  instances:\n    local: { provider: posix, path: ./registry }\n' +
    '    team: { provider: mlflow, uri: "${MLFLOW_TRACKING_URI}" }\n';

  it('does not stop commands on the default instance', async () => {
    const ws = withPlatform(TEAM);
    const { code, stdout } = await statekeepInProcess(['list', '--json'], ws);
    expect({ code, stdout }).toEqual({ code: 0, stdout: '[]\n' });
  });

  it('is a CONFIG error at its file:line:col when that instance is opened (exit 2)', async () => {
    const ws = withPlatform(TEAM);
    const { code, stderr } = await statekeepInProcess(['list', '--registry', 'team', '--json'], ws);
    expect(code).toBe(2);
    const { error } = JSON.parse(stderr);
    expect(error).toMatchObject({
      code: 'CONFIG',
      data: { file: ws.file, line: 5, column: 36, key: 'registry.instances.team.uri', variable: 'MLFLOW_TRACKING_URI' },
    });
    expect(error.message).toContain(`${ws.file}:5:36`);
    await expect(openRegistry('team', { cwd: ws.cwd, home: ws.home, env: {} })).rejects.toMatchObject({
      code: 'CONFIG',
      data: { key: 'registry.instances.team.uri', variable: 'MLFLOW_TRACKING_URI' },
    });
  });

  it('statekeep config shows it as written, with the variable marked unset', async () => {
    const ws = withPlatform(TEAM);
    const { code, stdout } = await statekeepInProcess(['config', '--json'], ws);
    expect(code).toBe(0);
    const view = JSON.parse(stdout);
    expect(view.config.registry.instances.team).toEqual({ provider: 'mlflow', uri: '${MLFLOW_TRACKING_URI}' });
    expect(view.origins['registry.instances.team.uri']).toEqual({
      kind: 'env',
      variables: ['MLFLOW_TRACKING_URI'],
      unset: ['MLFLOW_TRACKING_URI'],
      file: ws.file,
      line: 5,
      column: 36,
    });
    const plain = await statekeepInProcess(['config'], ws);
    const row = plain.stdout.split('\n').find((l) => l.startsWith('registry.instances.team.uri '))!;
    expect(row.split(/ {2,}/)).toEqual([
      'registry.instances.team.uri',
      '${MLFLOW_TRACKING_URI}',
      `$MLFLOW_TRACKING_URI unset (${ws.file}:5)`,
    ]);
  });

  it('once the variable is set, the value is checked as any other (a bad URI is still refused at load)', async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'platform.yaml'), TEAM);
    const team = (await load(box, { env: { MLFLOW_TRACKING_URI: 'http://127.0.0.1:9' } })).registry.instances.team!;
    expect(team.options.uri).toBe('http://127.0.0.1:9');
    expect(team.unset).toBeUndefined();
    const { error } = await configErrorOf(TEAM, { MLFLOW_TRACKING_URI: 'ftp://files.example' });
    expect(error.data).toMatchObject({ line: 5, column: 36, key: 'registry.instances.team.uri' });
  });

  it('outside registry instances an unset variable still stops every command', async () => {
    const { error, file } = await configErrorOf('staging: ${SK_STAGING}\n');
    expect(error.data).toMatchObject({ file, line: 1, column: 10, key: 'staging', variable: 'SK_STAGING' });
  });
});

describe('a bad MLflow uri in platform.yaml', () => {
  it('is a CONFIG error at its file:line:col, like every other config error', async () => {
    for (const uri of ['not a url', 'ftp://files.example', 'localhost:5000']) {
      const { error, file } = await configErrorOf(
        `registry:\n  instances:\n    team:\n      provider: mlflow\n      uri: "${uri}"\n`,
      );
      expect(error.data, uri).toMatchObject({ file, line: 5, column: 12, key: 'registry.instances.team.uri' });
      expect(error.message).toContain(`${file}:5:12`);
    }
  });
});

describe("a provider's refusal of one of its options", () => {
  it('names the option with the file:line:col of the instance that sets it', async () => {
    const ws = withPlatform(
      'registry:\n  default: team\n  instances:\n    team:\n      provider: mlflow\n      uri: http://127.0.0.1:9\n      username: alice\n',
    );
    const previous = process.env.MLFLOW_TRACKING_PASSWORD;
    delete process.env.MLFLOW_TRACKING_PASSWORD;
    try {
      await expect(openRegistry(undefined, { cwd: ws.cwd, home: ws.home, env: {} })).rejects.toMatchObject({
        code: 'CONFIG',
        data: { file: ws.file, line: 5, column: 17, key: 'registry.instances.team.password' },
        message: expect.stringContaining(`${ws.file}:5:17: registry.instances.team.password: is missing`),
      });
    } finally {
      if (previous !== undefined) process.env.MLFLOW_TRACKING_PASSWORD = previous;
    }
  });
});

describe('a secret whose value also fills a setting that is not secret', () => {
  const SHARED =
    'registry:\n  default: local\n  instances:\n    local: { provider: posix, path: ./registry }\n' +
    '    team:\n      provider: mlflow\n      uri: "https://alice:${SK_PW}@ml.example"\n      username: alice\n' +
    '      password: ${SK_PW}\n      namespace: ${SK_PW}\n';
  const env = { SK_PW: 'hunter2secret' };

  it('is masked wherever it appears in statekeep config: plain, --json, --debug, --registry', async () => {
    const ws = withPlatform(SHARED);
    for (const args of [
      ['config'],
      ['config', '--json'],
      ['config', '--debug'],
      ['config', '--registry', 'team'],
      ['config', '--json', '--registry', 'team'],
    ]) {
      const { code, stdout, stderr } = await statekeepInProcess(args, ws, { env });
      expect(code, args.join(' ')).toBe(0);
      expect(stdout, args.join(' ')).not.toContain('hunter2secret');
      expect(stderr, args.join(' ')).not.toContain('hunter2secret');
      expect(stdout).toContain('********');
    }
    const view = JSON.parse((await statekeepInProcess(['config', '--json'], ws, { env })).stdout);
    expect(view.config.registry.instances.team).toEqual({
      provider: 'mlflow',
      uri: 'https://alice:********@ml.example',
      username: 'alice',
      password: '********',
      namespace: '********',
    });
  });

  it('is masked in error messages that quote the other setting', async () => {
    const ws = withPlatform(SHARED.replace('namespace: ${SK_PW}', 'namespace: "${SK_PW}."'));
    const { code, stderr } = await statekeepInProcess(['list', '--json'], ws, { env });
    expect(code).toBe(2);
    expect(stderr).not.toContain('hunter2secret');
    expect(JSON.parse(stderr).error).toMatchObject({
      code: 'CONFIG',
      data: { key: 'registry.instances.team.namespace' },
    });
  });

  it("is masked in any verb's output, here a posix path that holds it", async () => {
    const ws = withPlatform(SHARED.replace('path: ./registry', 'path: "./${SK_PW}"'));
    const { code, stdout, stderr } = await statekeepInProcess(['list'], ws, { env });
    expect({ code, stdout }).toEqual({ code: 0, stdout: '' });
    expect(stderr).toBe(`no projects in ${path.join(ws.cwd, '********')}\n`);
  });
});
