import { NotFoundError } from '../../src/registry/errors/index.js';
import { copyFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createContainer, type RegistryCatalog } from '../../src/platform/index.js';
import type { Registry } from '../../src/registry/registry.js';
import type { ProviderClass } from '../../src/registry/spi.js';
import { TOKENS } from '../../src/platform/tokens.js';
import RecordingProvider, { recorded } from './fixtures/recording-provider.js';
import { load, sandbox, write } from './helpers.js';

const RECORDING = fileURLToPath(new URL('./fixtures/recording-provider.ts', import.meta.url));
const MEMORY = fileURLToPath(new URL('./fixtures/memory-provider.js', import.meta.url));

async function registryOf(
  platformText: string,
  prepare: (dir: string) => void = () => {},
): Promise<{ registry: Registry; catalog: RegistryCatalog }> {
  const box = sandbox();
  prepare(box.cwd);
  write(path.join(box.cwd, 'platform.yaml'), platformText);
  const container = createContainer(await load(box));
  return {
    registry: await container.getAsync<Registry>(TOKENS.Registry),
    catalog: container.get<RegistryCatalog>(TOKENS.Registries),
  };
}

async function roundTrip(registry: Registry): Promise<number> {
  await registry.publishRelease('iris', '1.0.0', { payload: new Uint8Array([1, 2, 3]) });
  const manifest = await registry.commit({
    project: 'iris',
    release: '1.0.0',
    mode: 'train',
    parent: null,
    states: [{ actor: 'scaler', bytes: new Uint8Array([7]), codec: 'cbor' }],
  });
  return manifest.generation;
}

describe('third-party providers named in platform.yaml', () => {
  it('loads a provider class written in the test suite, by module path, and binds it like a built-in', async () => {
    const before = recorded.length;
    const { registry } = await registryOf(
      `registry:\n  default: mine\n  instances:\n    mine:\n      provider: ${RECORDING}\n      bucket: \${BUCKET:-models}\n      relative: ./stays/as/written\n`,
    );
    expect(registry.descriptor).toMatchObject({ name: 'recording', target: 'recording mine' });
    expect(await roundTrip(registry)).toBe(1);
    expect(await registry.projects()).toEqual(['iris']);
    // Options arrive interpolated; only built-in providers' path options are resolved.
    expect(recorded.slice(before)).toEqual([
      {
        options: { bucket: 'models', relative: './stays/as/written' },
        context: { instance: 'mine', errors: expect.any(Object) },
        closed: false,
      },
    ]);
    // The provider gets statekeep's own error classes, so what it throws is what the Registry checks for.
    expect(recorded.at(-1)!.context.errors.NotFoundError).toBe(NotFoundError);
  });

  it('resolves a relative module path against the platform file, and loads plain-JS providers', async () => {
    const { registry } = await registryOf(
      'registry:\n  default: mem\n  instances:\n    mem: { provider: ./providers/memory-provider.js, label: shelf }\n',
      (cwd) => {
        mkdirSync(path.join(cwd, 'providers'));
        copyFileSync(MEMORY, path.join(cwd, 'providers', 'memory-provider.js'));
      },
    );
    expect(registry.descriptor.target).toBe('memory shelf');
    expect(await roundTrip(registry)).toBe(1);
  });

  it('loads a provider by package name, installed next to the platform file', async () => {
    const { registry } = await registryOf(
      'registry:\n  default: pkg\n  instances:\n    pkg: { provider: statekeep-provider-memory }\n',
      (cwd) => {
        const pkg = path.join(cwd, 'node_modules', 'statekeep-provider-memory');
        write(
          path.join(pkg, 'package.json'),
          JSON.stringify({ name: 'statekeep-provider-memory', type: 'module', main: 'index.js' }),
        );
        copyFileSync(MEMORY, path.join(pkg, 'index.js'));
      },
    );
    expect(registry.descriptor.name).toBe('memory');
    expect(await roundTrip(registry)).toBe(1);
  });

  it('binds the class under its provider name, and closes opened instances with the catalog', async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'platform.yaml'), `registry:\n  instances:\n    a: { provider: ${RECORDING} }\n`);
    const container = createContainer(await load(box));
    expect(await container.getAsync<ProviderClass>(TOKENS.ProviderClass, { name: RECORDING })).toBe(RecordingProvider);
    const catalog = container.get<RegistryCatalog>(TOKENS.Registries);
    const before = recorded.length;
    await catalog.get('a');
    await catalog.close();
    expect(recorded.slice(before).map((r) => r.closed)).toEqual([true]);
  });
});

describe('third-party providers that do not keep the SPI', () => {
  const module = (source: string) => (cwd: string) => void write(path.join(cwd, 'bad.js'), source);
  const platform = 'registry:\n  default: scratch\n  instances:\n    bad: { provider: ./bad.js }\n';

  async function openBad(source: string): Promise<unknown> {
    const { catalog } = await registryOf(platform, module(source));
    return catalog.get('bad').then(
      () => undefined,
      (e: unknown) => e,
    );
  }

  it('a refusal points at the line of the platform file that names the provider', async () => {
    const error = await openBad('export default class { descriptor = { name: "x", spiVersion: 99, target: "x" } }\n');
    expect(error).toMatchObject({
      code: 'CONFIG',
      data: { file: expect.stringMatching(/platform\.yaml$/), line: 4, column: 22, key: 'registry.instances.bad' },
    });
  });

  it('a module that fails to import is a PROVIDER error, raised only when the instance is used', async () => {
    const { registry, catalog } = await registryOf(platform, module('throw new Error("cannot start");\n'));
    expect(registry.descriptor.name).toBe('volatile');
    await expect(catalog.get('bad')).rejects.toMatchObject({ code: 'PROVIDER', data: { operation: 'load' } });
  });

  it('a module with several classes and no default export is a CONFIG error', async () => {
    expect(await openBad('export class A {}\nexport class B {}\n')).toMatchObject({ code: 'CONFIG' });
  });

  it('a class declaring another SPI version is a CONFIG error', async () => {
    expect(
      await openBad('export default class { descriptor = { name: "x", spiVersion: 99, target: "x" } }\n'),
    ).toMatchObject({ code: 'CONFIG', data: { key: 'registry.instances.bad' } });
  });

  it('a class missing required methods is a CONFIG error naming them', async () => {
    const error = await openBad(
      'export default class { descriptor = { name: "x", spiVersion: 1, target: "x" }; async listProjects() { return []; } }\n',
    );
    expect(error).toMatchObject({
      code: 'CONFIG',
      data: { key: 'registry.instances.bad', missing: expect.arrayContaining(['writeBlob', 'publishGeneration']) },
    });
    expect((error as { data: { missing: string[] } }).data.missing).not.toContain('listProjects');
  });

  it('a constructor that throws is a PROVIDER error', async () => {
    expect(await openBad('export default class { constructor() { throw new Error("no bucket"); } }\n')).toMatchObject({
      code: 'PROVIDER',
      data: { detail: 'no bucket' },
    });
  });
});
