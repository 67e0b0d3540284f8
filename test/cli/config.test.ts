import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULTS_FILE } from '../../src/platform/index.js';
import { sandbox, write } from '../platform/helpers.js';
import { statekeepInProcess } from './helpers.js';

const TEAM =
  'registry:\n  default: local\n  instances:\n    team:\n      provider: mlflow\n      uri: ${MLFLOW_URI}\n      username: alice\n      password: ${MLFLOW_PASSWORD}\n      token: literal-token-value\n';

describe('statekeep config', () => {
  it('prints every setting with its value and origin: defaults, file:line, $VAR, --registry', async () => {
    const box = sandbox();
    const file = write(path.join(box.cwd, 'platform.yaml'), TEAM);
    const { code, stdout } = await statekeepInProcess(['config', '--registry', 'scratch'], box, {
      env: { MLFLOW_URI: 'https://ml.example', MLFLOW_PASSWORD: 'hunter2-secret' },
    });
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(`platform file  ${file} (found in the current directory)`);
    expect(lines[1]).toBe(`defaults       ${DEFAULTS_FILE}`);
    const row = (key: string): string[] => lines.find((l) => l.startsWith(`${key} `))!.split(/ {2,}/);
    expect(row('registry.default')).toEqual(['registry.default', 'scratch', '--registry']);
    expect(row('registry.instances.local.path')).toEqual([
      'registry.instances.local.path',
      path.join(box.cwd, '.statekeep', 'registry'),
      'defaults',
    ]);
    expect(row('registry.instances.team.uri')).toEqual([
      'registry.instances.team.uri',
      'https://ml.example',
      `$MLFLOW_URI (${file}:6)`,
    ]);
    expect(row('registry.instances.team.username')).toEqual(['registry.instances.team.username', 'alice', `${file}:7`]);
    expect(row('registry.instances.team.password')).toEqual([
      'registry.instances.team.password',
      '********',
      `$MLFLOW_PASSWORD (${file}:8)`,
    ]);
    expect(row('registry.instances.team.token')[1]).toBe('********');
    expect(stdout).not.toContain('hunter2-secret');
    expect(stdout).not.toContain('literal-token-value');
  });

  it('gives the same as one JSON object: the file, the config (secrets masked) and each origin', async () => {
    const box = sandbox();
    const file = write(path.join(box.cwd, 'platform.yaml'), TEAM);
    const { code, stdout } = await statekeepInProcess(['config', '--json'], box, {
      env: { MLFLOW_URI: 'https://bob:pa55word@ml.example', MLFLOW_PASSWORD: 'hunter2-secret' },
    });
    expect(code).toBe(0);
    const view = JSON.parse(stdout);
    expect(view).toMatchObject({ file, via: 'cwd', defaults: DEFAULTS_FILE });
    expect(view.config.registry.instances.team).toEqual({
      provider: 'mlflow',
      uri: 'https://bob:********@ml.example',
      username: 'alice',
      password: '********',
      token: '********',
    });
    expect(view.config.state).toEqual({ codec: 'cbor', compression: 'none' });
    expect(view.origins['registry.instances.team.password']).toEqual({
      kind: 'env',
      variables: ['MLFLOW_PASSWORD'],
      file,
      line: 8,
      column: 17,
    });
    expect(view.origins['state.codec']).toMatchObject({ kind: 'defaults', file: DEFAULTS_FILE });
    expect(stdout).not.toContain('pa55word');
  });

  it('with no platform file, says the defaults apply', async () => {
    const box = sandbox();
    const { code, stdout } = await statekeepInProcess(['config'], box);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('platform file  none found; the defaults apply');
    expect(JSON.parse((await statekeepInProcess(['config', '--json'], box)).stdout)).toMatchObject({
      file: null,
      via: 'none',
    });
  });

  it('names the platform file given by --platform or $STATEKEEP_PLATFORM', async () => {
    const box = sandbox();
    const file = write(path.join(box.root, 'elsewhere.yaml'), 'state:\n  compression: gzip\n');
    expect(JSON.parse((await statekeepInProcess(['config', '--json', '--platform', file], box)).stdout)).toMatchObject({
      file,
      via: 'flag',
    });
    expect(
      JSON.parse((await statekeepInProcess(['config', '--json'], box, { env: { STATEKEEP_PLATFORM: file } })).stdout),
    ).toMatchObject({ file, via: 'env', config: { state: { compression: 'gzip' } } });
  });
});
