import { describe, expect, it } from 'vitest';
import { configErrorOf } from './helpers.js';

// Each case: the file text, then what the ConfigError must say about where and what.
describe('validation errors name file:line:col and the key', () => {
  it('malformed YAML', async () => {
    const { error, file } = await configErrorOf('registry:\n  default: local\nstate: [cbor\n');
    expect(error.data).toMatchObject({ file, line: 4, column: 1 });
    expect(error.message.startsWith(`${file}:4:1: malformed YAML`)).toBe(true);
  });

  it('a duplicate key is malformed YAML at the second one', async () => {
    const { error } = await configErrorOf('staging: ./a\nstaging: ./b\n');
    expect(error.data).toMatchObject({ line: 2, column: 1, yamlCode: 'DUPLICATE_KEY' });
  });

  it('more than one document is malformed YAML at the second, in words a user can act on', async () => {
    const { error, file } = await configErrorOf('staging: ./a\n---\nstaging: ./b\n');
    expect(error.data).toMatchObject({ file, line: 2, column: 1, yamlCode: 'MULTIPLE_DOCS' });
    expect(error.message).toBe(`${file}:2:1: malformed YAML: more than one document (a second ---)`);
  });

  it('a file that is not a mapping at all names no key', async () => {
    const { error, file } = await configErrorOf('just text\n');
    expect(error.data).toMatchObject({ file, line: 1, column: 1 });
    expect(error.data).not.toHaveProperty('key');
    expect(error.message).toBe(`${file}:1:1: must be an object, not a string`);
  });

  it('a value of the wrong type', async () => {
    const { error, file } = await configErrorOf(
      'registry:\n  instances:\n    team:\n      provider: mlflow\n      uri: http://m\n      timeoutMs: soon\n',
    );
    expect(error.data).toMatchObject({ file, line: 6, column: 18, key: 'registry.instances.team.timeoutMs' });
    expect(error.message).toContain(`${file}:6:18: registry.instances.team.timeoutMs:`);
  });

  it('a top-level mapping where a string belongs, and a list where a mapping belongs', async () => {
    expect((await configErrorOf('staging:\n  path: x\n')).error.data).toMatchObject({
      line: 2,
      column: 3,
      key: 'staging',
    });
    expect((await configErrorOf('state: [cbor]\n')).error.data).toMatchObject({ line: 1, column: 8, key: 'state' });
  });

  it('an unknown top-level key suggests the nearest valid key', async () => {
    const { error, file } = await configErrorOf('registy:\n  default: local\n');
    expect(error.data).toMatchObject({ file, line: 1, column: 1, key: 'registy', suggestion: 'registry' });
    expect(error.hint).toContain('"registry"');
  });

  it('an unknown provider option suggests the nearest option of that provider', async () => {
    const { error } = await configErrorOf(
      'registry:\n  instances:\n    local:\n      provider: posix\n      pth: ./registry\n',
    );
    expect(error.data).toMatchObject({ line: 5, column: 7, key: 'registry.instances.local.pth', suggestion: 'path' });
  });

  it('an unknown key with nothing near lists what is allowed', async () => {
    const { error } = await configErrorOf(
      'registry:\n  instances:\n    team: { provider: mlflow, uri: "http://m", zzz: 1 }\n',
    );
    expect(error.data).toMatchObject({ line: 3, key: 'registry.instances.team.zzz' });
    expect(error.data.suggestion).toBeUndefined();
    expect(error.hint).toContain('namespace');
  });

  it('an unknown provider suggests the nearest built-in one', async () => {
    for (const typo of ['posx', 'Posix', 'mlfow']) {
      const { error, file } = await configErrorOf(
        `registry:\n  instances:\n    local: { provider: ${typo}, path: ./r }\n`,
      );
      expect(error.data).toMatchObject({ file, line: 3, column: 24, key: 'registry.instances.local.provider' });
      expect(error.data.suggestion).toBe(typo === 'mlfow' ? 'mlflow' : 'posix');
    }
  });

  it('a provider module path that does not exist', async () => {
    const { error, file } = await configErrorOf(
      'registry:\n  instances:\n    mine:\n      provider: ./nowhere/registry.js\n',
    );
    expect(error.data).toMatchObject({ file, line: 4, column: 17, key: 'registry.instances.mine.provider' });
  });

  it('a missing required option names it', async () => {
    const posix = await configErrorOf('registry:\n  instances:\n    shared:\n      provider: posix\n');
    expect(posix.error.data).toMatchObject({ line: 3, column: 5, key: 'registry.instances.shared.path' });
    const mlflow = await configErrorOf('registry:\n  instances:\n    team: { provider: mlflow }\n');
    expect(mlflow.error.data).toMatchObject({ line: 3, column: 5, key: 'registry.instances.team.uri' });
    const none = await configErrorOf('registry:\n  instances:\n    bare: { path: ./x }\n');
    expect(none.error.data).toMatchObject({ line: 3, column: 5, key: 'registry.instances.bare.provider' });
  });

  it('a value outside the allowed set suggests the nearest allowed value', async () => {
    const { error } = await configErrorOf('state:\n  compression: zip\n');
    expect(error.data).toMatchObject({ line: 2, column: 16, key: 'state.compression', suggestion: 'gzip' });
  });

  it('an instance name that breaks the naming rule', async () => {
    const { error } = await configErrorOf('registry:\n  instances:\n    "../escape": { provider: volatile }\n');
    expect(error.data).toMatchObject({ line: 3, column: 5, key: 'registry.instances.../escape' });
  });

  it('never repeats a secret value in a message', async () => {
    const { error } = await configErrorOf(
      'registry:\n  instances:\n    team: { provider: mlflow, uri: "http://m", token: 987654321 }\n',
    );
    expect(error.data).toMatchObject({ key: 'registry.instances.team.token' });
    expect(JSON.stringify(error.toJSON())).not.toContain('987654321');
  });

  it('reports the first problem in file order when there are several', async () => {
    const { error } = await configErrorOf('state:\n  compression: zip\nstaging: 5\n');
    expect(error.data).toMatchObject({ line: 2, key: 'state.compression' });
  });
});

describe('validation of option values', () => {
  it('a number out of range, with the allowed range in the hint', async () => {
    const { error } = await configErrorOf(
      'registry:\n  instances:\n    team: { provider: mlflow, uri: "http://m", retries: 50 }\n',
    );
    expect(error.data).toMatchObject({ line: 3, column: 57, key: 'registry.instances.team.retries' });
    expect(error.hint).toContain('default 4');
  });

  it('a value of the wrong form, with the form in the hint', async () => {
    const { error } = await configErrorOf(
      'registry:\n  instances:\n    team: { provider: mlflow, uri: "http://m", namespace: "a.b" }\n',
    );
    expect(error.data).toMatchObject({
      line: 3,
      column: 59,
      key: 'registry.instances.team.namespace',
      problem: '"a.b" is not a valid namespace',
    });
    expect(error.hint).toContain('1-64 characters');
  });

  it('an empty path', async () => {
    const { error } = await configErrorOf('registry:\n  instances:\n    local: { provider: posix, path: "" }\n');
    expect(error.data).toMatchObject({ line: 3, column: 37, key: 'registry.instances.local.path' });
  });
});
