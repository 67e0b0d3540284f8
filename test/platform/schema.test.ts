import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlatform, SCHEMA_FILE } from '../../src/platform/index.js';
import { BUILTIN_PROVIDER_NAMES, platformSchema } from '../../src/platform/platform-schema.js';
import { loadProviderClass } from '../../src/platform/provider-loader.js';
import { VALIDATOR_FILE, validatorSource } from '../../src/platform/schema-codegen.js';
import { BUILTIN_PROVIDERS } from '../../src/providers/index.js';
import { sandbox } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8')) as {
  $defs: { instance: { properties: { provider: { anyOf: { enum?: string[] }[] } } } } & Record<
    string,
    { properties: Record<string, unknown>; required?: string[] }
  >;
};

describe('config/platform.schema.json', () => {
  it('names the same built-in providers as the loader', () => {
    const inSchema = schema.$defs.instance.properties.provider.anyOf.find((branch) => branch.enum)!.enum;
    expect(inSchema).toEqual([...BUILTIN_PROVIDER_NAMES]);
    expect(BUILTIN_PROVIDERS.map((p) => p.name)).toEqual(['posix', 'volatile', 'mlflow', 'sql', 'redis']);
    expect(BUILTIN_PROVIDER_NAMES).toEqual(['posix', 'volatile', 'mlflow', 'sql', 'redis']);
  });

  it('is what `npm run gen:schema` writes from the provider list (run it after changing a describe.ts)', () => {
    expect(schema).toEqual(platformSchema());
  });

  it('is compiled into the validator that `npm run gen:schema` writes, and that validation uses', () => {
    expect(readFileSync(path.join(ROOT, VALIDATOR_FILE), 'utf8')).toBe(validatorSource());
  });

  it('declares the options each built-in provider takes', () => {
    // retention is the Registry's (gc and the writers' bound), never passed to the provider.
    const options = (name: string): string[] =>
      Object.keys(schema.$defs[name]!.properties).filter((key) => key !== 'provider' && key !== 'retention');
    for (const name of ['posix', 'volatile', 'mlflow', 'redis'])
      expect(schema.$defs[name]!.properties.retention).toEqual({ $ref: '#/$defs/retention' });
    expect(options('posix')).toEqual(['path']);
    expect(schema.$defs.posix!.required).toEqual(['path']);
    expect(options('volatile')).toEqual([]);
    expect(options('mlflow')).toEqual(['uri', 'username', 'password', 'token', 'timeoutMs', 'retries', 'namespace']);
    expect(schema.$defs.mlflow!.required).toEqual(['uri']);
    expect(options('sql')).toEqual(['url', 'schema', 'maxConnections', 'connectTimeoutMs', 'retries', 'artifacts']);
    expect(schema.$defs.sql!.required).toEqual(['url', 'artifacts']);
    expect(options('redis')).toEqual([
      'url',
      'username',
      'password',
      'prefix',
      'connectTimeoutMs',
      'commandTimeoutMs',
      'retries',
    ]);
    expect(schema.$defs.redis!.required).toEqual(['url']);
  });
});

describe('the built-in provider list, src/providers/index.ts', () => {
  it('has one entry per provider folder, each describing itself in its describe.ts', () => {
    const folders = readdirSync(path.join(ROOT, 'src', 'providers'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect([...BUILTIN_PROVIDER_NAMES].sort()).toEqual(folders);
  });

  it('loads each provider class lazily, by name, as a class that declares the provider name', async () => {
    for (const name of BUILTIN_PROVIDER_NAMES) {
      const cls = await loadProviderClass({ provider: name, module: null });
      expect(cls).toBeTypeOf('function');
      expect(cls).toBe(await BUILTIN_PROVIDERS.find((p) => p.name === name)!.load());
    }
  });
});

describe('the documented example, platform.yaml at the repository root', () => {
  it('loads without any environment, with posix as the active default and volatile and mlflow shown', async () => {
    const box = sandbox();
    const platform = await loadPlatform({
      platformFile: path.join(ROOT, 'platform.yaml'),
      cwd: box.cwd,
      home: box.home,
      env: {},
    });
    expect(platform.registry.default).toBe('local');
    const providers = Object.fromEntries(Object.values(platform.registry.instances).map((i) => [i.name, i.provider]));
    expect(providers).toEqual({ local: 'posix', scratch: 'volatile', team: 'mlflow' });
    expect(platform.registry.instances.local!.options.path).toBe(path.join(ROOT, '.statekeep', 'registry'));
  });

  it('points editors at the schema', () => {
    expect(readFileSync(path.join(ROOT, 'platform.yaml'), 'utf8').split('\n')[0]).toBe(
      '# yaml-language-server: $schema=./config/platform.schema.json',
    );
  });
});
