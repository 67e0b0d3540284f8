import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, UsageError } from '../../src/registry/errors/index.js';
import { DEFAULTS_FILE } from '../../src/platform/index.js';
import { load, sandbox, write } from './helpers.js';

const named = (name: string): string =>
  `registry:\n  default: ${name}\n  instances:\n    ${name}: { provider: volatile }\n`;

describe('platform file lookup', () => {
  it('with no platform file, the defaults give a posix registry under ./.statekeep and a volatile scratch', async () => {
    const box = sandbox();
    const platform = await load(box);
    expect(platform.source).toEqual({ file: null, via: 'none', defaults: DEFAULTS_FILE });
    expect(platform.registry.default).toBe('local');
    expect(platform.registry.instances.local).toEqual({
      name: 'local',
      provider: 'posix',
      module: null,
      options: { path: path.join(box.cwd, '.statekeep', 'registry') },
    });
    expect(platform.registry.instances.scratch).toEqual({
      name: 'scratch',
      provider: 'volatile',
      module: null,
      options: {},
    });
    expect(platform.state).toEqual({ codec: 'cbor', compression: 'none' });
    expect(platform.staging).toBe(path.join(box.cwd, '.statekeep', 'staging'));
  });

  it('--platform wins over $STATEKEEP_PLATFORM, ./platform.yaml and ~/.statekeep/platform.yaml', async () => {
    const box = sandbox();
    const flag = write(path.join(box.root, 'flag.yaml'), named('fromflag'));
    const env = write(path.join(box.root, 'env.yaml'), named('fromenv'));
    write(path.join(box.cwd, 'platform.yaml'), named('fromcwd'));
    write(path.join(box.home, '.statekeep', 'platform.yaml'), named('fromhome'));
    const platform = await load(box, { platformFile: flag, env: { STATEKEEP_PLATFORM: env } });
    expect(platform.registry.default).toBe('fromflag');
    expect(platform.source).toMatchObject({ file: flag, via: 'flag' });
  });

  it('$STATEKEEP_PLATFORM wins over ./platform.yaml and the home file', async () => {
    const box = sandbox();
    const env = write(path.join(box.root, 'env.yaml'), named('fromenv'));
    write(path.join(box.cwd, 'platform.yaml'), named('fromcwd'));
    write(path.join(box.home, '.statekeep', 'platform.yaml'), named('fromhome'));
    const platform = await load(box, { env: { STATEKEEP_PLATFORM: env } });
    expect(platform.source).toMatchObject({ file: env, via: 'env' });
  });

  it('./platform.yaml wins over ~/.statekeep/platform.yaml, which applies when nothing else is found', async () => {
    const box = sandbox();
    const home = write(path.join(box.home, '.statekeep', 'platform.yaml'), named('fromhome'));
    expect((await load(box)).source).toMatchObject({ file: home, via: 'home' });
    const cwd = write(path.join(box.cwd, 'platform.yaml'), named('fromcwd'));
    expect((await load(box)).source).toMatchObject({ file: cwd, via: 'cwd' });
  });

  it('relative --platform and $STATEKEEP_PLATFORM paths are relative to the current directory', async () => {
    const box = sandbox();
    const file = write(path.join(box.cwd, 'conf', 'p.yaml'), named('relative'));
    expect((await load(box, { platformFile: 'conf/p.yaml' })).source.file).toBe(file);
    expect((await load(box, { env: { STATEKEEP_PLATFORM: 'conf/p.yaml' } })).source.file).toBe(file);
  });

  it('a --platform or $STATEKEEP_PLATFORM file that does not exist is a ConfigError naming it', async () => {
    const box = sandbox();
    const missing = path.join(box.root, 'nope.yaml');
    for (const options of [{ platformFile: missing }, { env: { STATEKEEP_PLATFORM: missing } }]) {
      const error = await load(box, options).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).data.file).toBe(missing);
    }
  });

  it('reads the environment it is given, when called, not the process environment at import', async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'platform.yaml'), 'staging: ${STAGE_DIR:-/tmp/one}\n');
    expect((await load(box, { env: { STAGE_DIR: '/srv/a' } })).staging).toBe('/srv/a');
    expect((await load(box, { env: { STAGE_DIR: '/srv/b' } })).staging).toBe('/srv/b');
  });
});

describe('merging over config/defaults.yaml', () => {
  it('merges mappings key by key: the file sets compression, the codec still comes from the defaults', async () => {
    const box = sandbox();
    const file = write(path.join(box.cwd, 'platform.yaml'), 'state:\n  compression: gzip\n');
    const platform = await load(box);
    expect(platform.state).toEqual({ codec: 'cbor', compression: 'gzip' });
    expect(platform.origins['state.compression']).toEqual({ kind: 'file', file, line: 2, column: 16 });
    expect(platform.origins['state.codec']).toMatchObject({ kind: 'defaults', file: DEFAULTS_FILE });
    expect(Object.keys(platform.registry.instances).sort()).toEqual(['local', 'scratch']);
  });

  it('an instance in the file replaces the default instance of that name as a whole', async () => {
    const box = sandbox();
    write(
      path.join(box.cwd, 'platform.yaml'),
      'registry:\n  instances:\n    local: { provider: mlflow, uri: "http://mlflow:5000" }\n',
    );
    const platform = await load(box);
    expect(platform.registry.instances.local).toEqual({
      name: 'local',
      provider: 'mlflow',
      module: null,
      options: { uri: 'http://mlflow:5000' },
    });
    expect(platform.origins['registry.instances.local.path']).toBeUndefined();
  });

  it("resolves relative paths in a file against that file's directory, the defaults' against the cwd, ~ against home", async () => {
    const box = sandbox();
    const dir = path.join(box.root, 'conf');
    write(
      path.join(dir, 'platform.yaml'),
      'registry:\n  instances:\n    shared: { provider: posix, path: ../shared/registry }\n    mine: { provider: posix, path: ~/registry }\nstaging: ./cache\n',
    );
    const platform = await load(box, { platformFile: path.join(dir, 'platform.yaml') });
    expect(platform.registry.instances.shared!.options.path).toBe(path.join(box.root, 'shared', 'registry'));
    expect(platform.registry.instances.mine!.options.path).toBe(path.join(box.home, 'registry'));
    expect(platform.staging).toBe(path.join(dir, 'cache'));
    expect(platform.registry.instances.local!.options.path).toBe(path.join(box.cwd, '.statekeep', 'registry'));
  });

  it('an empty platform file, or one with comments only, means the defaults', async () => {
    const box = sandbox();
    const file = write(path.join(box.cwd, 'platform.yaml'), '# nothing yet\n');
    const platform = await load(box);
    expect(platform.source.file).toBe(file);
    expect(platform.registry.default).toBe('local');
  });

  it('follows YAML aliases: a setting reached through *name resolves and is placed at its anchor', async () => {
    const box = sandbox();
    const file = write(
      path.join(box.cwd, 'platform.yaml'),
      'registry:\n  default: copy\n  instances:\n    first: &shared { provider: posix, path: ./r }\n    copy: *shared\n',
    );
    const platform = await load(box);
    expect(platform.registry.instances.copy).toEqual({
      name: 'copy',
      provider: 'posix',
      module: null,
      options: { path: path.join(box.cwd, 'r') },
    });
    expect(platform.origins['registry.instances.copy.path']).toEqual({ kind: 'file', file, line: 4, column: 45 });
  });

  it('records where every setting came from', async () => {
    const box = sandbox();
    const file = write(
      path.join(box.cwd, 'platform.yaml'),
      'registry:\n  default: team\n  instances:\n    team:\n      provider: mlflow\n      uri: ${URI}\n',
    );
    const platform = await load(box, { env: { URI: 'http://m:5000' } });
    expect(platform.origins['registry.default']).toEqual({ kind: 'file', file, line: 2, column: 12 });
    expect(platform.origins['registry.instances.team.uri']).toEqual({
      kind: 'env',
      variables: ['URI'],
      file,
      line: 6,
      column: 12,
    });
    expect(platform.origins['registry.instances.local.path']).toMatchObject({ kind: 'defaults', line: 8 });
  });
});

describe('choosing the registry instance', () => {
  it('--registry replaces registry.default and is recorded as a flag', async () => {
    const box = sandbox();
    const platform = await load(box, { registry: 'scratch' });
    expect(platform.registry.default).toBe('scratch');
    expect(platform.origins['registry.default']).toEqual({ kind: 'flag', flag: '--registry' });
  });

  it('an unknown --registry is a UsageError suggesting the nearest instance', async () => {
    const error = await load(sandbox(), { registry: 'scrach' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).data).toEqual({ argument: '--registry', suggestion: 'scratch' });
  });

  it('registry.default naming no instance is a ConfigError at its line, suggesting the nearest', async () => {
    const box = sandbox();
    const file = write(path.join(box.cwd, 'platform.yaml'), '# team registry\nregistry:\n  default: lokal\n');
    const error = (await load(box).catch((e: unknown) => e)) as ConfigError;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.data).toMatchObject({ file, line: 3, column: 12, key: 'registry.default', suggestion: 'local' });
  });
});
