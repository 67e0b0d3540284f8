import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/platform/public.js';
import { ConfigError } from '../../src/registry/errors/index.js';
import { configErrorOf, load, sandbox, write } from './helpers.js';

async function uriWith(value: string, env: Record<string, string>): Promise<unknown> {
  const box = sandbox();
  write(
    path.join(box.cwd, 'platform.yaml'),
    `registry:\n  instances:\n    team: { provider: mlflow, uri: "${value}" }\n`,
  );
  return (await load(box, { env })).registry.instances.team!.options.uri;
}

describe('${VAR} interpolation', () => {
  it('fills ${VAR} from the environment', async () => {
    expect(await uriWith('${MLFLOW_TRACKING_URI}', { MLFLOW_TRACKING_URI: 'http://mlflow:5000' })).toBe(
      'http://mlflow:5000',
    );
  });

  it('uses the ${VAR:-default} fallback when the variable is unset or empty, and the variable when set', async () => {
    expect(await uriWith('${URI:-http://localhost:5000}', {})).toBe('http://localhost:5000');
    expect(await uriWith('${URI:-http://localhost:5000}', { URI: '' })).toBe('http://localhost:5000');
    expect(await uriWith('${URI:-http://localhost:5000}', { URI: 'http://set:1' })).toBe('http://set:1');
  });

  it('fills several references inside one string and keeps the text around them', async () => {
    expect(await uriWith('https://${HOST}:${PORT:-443}/mlflow', { HOST: 'ml.example' })).toBe(
      'https://ml.example:443/mlflow',
    );
  });

  it('a set but empty variable with no fallback is the empty string', async () => {
    const box = sandbox();
    write(
      path.join(box.cwd, 'platform.yaml'),
      'registry:\n  instances:\n    team: { provider: mlflow, uri: "http://m", username: "${USER_NAME}" }\n',
    );
    expect((await load(box, { env: { USER_NAME: '' } })).registry.instances.team!.options.username).toBe('');
  });

  it('$${ writes a literal ${', async () => {
    expect(await uriWith('http://m/$${not_a_var}', {})).toBe('http://m/${not_a_var}');
  });

  it('fills values before validation, so an enum may come from the environment', async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'platform.yaml'), 'state:\n  compression: ${SK_COMPRESSION:-brotli}\n');
    expect((await load(box)).state.compression).toBe('brotli');
    expect((await load(box, { env: { SK_COMPRESSION: 'gzip' } })).state.compression).toBe('gzip');
  });

  it('a missing variable with no default is a ConfigError naming it, its file:line:col and the key', async () => {
    // In a registry instance, the error comes when the instance is opened (here as the default).
    const box = sandbox();
    const file = write(
      path.join(box.cwd, 'platform.yaml'),
      'registry:\n  default: team\n  instances:\n    team:\n      provider: mlflow\n      uri: ${MLFLOW_TRACKING_URI}\n',
    );
    const error = await openRegistry(undefined, { cwd: box.cwd, home: box.home, env: {} }).then(
      () => undefined,
      (e: unknown) => e as ConfigError,
    );
    expect(error).toBeInstanceOf(ConfigError);
    if (!(error instanceof ConfigError)) return;
    expect(error.data).toMatchObject({
      file,
      line: 6,
      column: 12,
      key: 'registry.instances.team.uri',
      variable: 'MLFLOW_TRACKING_URI',
    });
    expect(error.message).toContain(`${file}:6:12`);
    expect(error.message).toContain('MLFLOW_TRACKING_URI');
  });

  it('a malformed reference is a ConfigError at its place', async () => {
    for (const bad of ['${1BAD}', '${UNCLOSED', '${}']) {
      const { error, file } = await configErrorOf(`staging: "${bad}"\n`);
      expect(error.data).toMatchObject({ file, line: 1, column: 10, key: 'staging' });
    }
  });
});
