import { existsSync } from 'node:fs';
import path from 'node:path';
import { ContainerModule, inject, injectable } from 'inversify';
import type { StateCodec } from '../../src/codec/state-codec.js';
import { describe, expect, it } from 'vitest';
import { createContainer, type PlatformConfig, type RegistryCatalog } from '../../src/platform/index.js';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import type { Registry } from '../../src/registry/registry.js';
import type { ProviderClass } from '../../src/registry/spi.js';
import { TOKENS } from '../../src/platform/tokens.js';
import type { Clock } from '../../src/registry/clock.js';
import { Runtime } from '../../src/pipeline/runtime.js';
import { bench, irisData } from '../pipeline/fixtures.js';
import { load, sandbox, write } from './helpers.js';

async function platformIn(text?: string, registry?: string): Promise<{ platform: PlatformConfig; cwd: string }> {
  const box = sandbox();
  if (text !== undefined) write(path.join(box.cwd, 'platform.yaml'), text);
  return { platform: await load(box, { registry }), cwd: box.cwd };
}

describe('the container module', () => {
  it('binds the platform, a clock, the catalog of every instance, and the default Registry', async () => {
    const { platform, cwd } = await platformIn();
    const container = createContainer(platform);
    expect(container.get(TOKENS.Platform)).toBe(platform);
    expect(container.get<Clock>(TOKENS.Clock)()).toBeInstanceOf(Date);
    const catalog = container.get<RegistryCatalog>(TOKENS.Registries);
    expect(catalog.names()).toEqual(['local', 'scratch']);
    expect(catalog.defaultName).toBe('local');
    const registry = await container.getAsync<Registry>(TOKENS.Registry);
    expect(registry.descriptor).toMatchObject({ name: 'posix', target: path.join(cwd, '.statekeep', 'registry') });
    expect(await catalog.get('local')).toBe(registry);
  });

  it('binds provider classes by provider name', async () => {
    const container = createContainer((await platformIn()).platform);
    expect(await container.getAsync<ProviderClass>(TOKENS.ProviderClass, { name: 'volatile' })).toBe(VolatileProvider);
  });

  it('injects the instance chosen by --registry as TOKENS.Registry', async () => {
    const container = createContainer((await platformIn(undefined, 'scratch')).platform);
    expect((await container.getAsync<Registry>(TOKENS.Registry)).descriptor.name).toBe('volatile');
  });

  it('opens instances lazily: an unused instance whose module cannot load does not stop the default', async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'broken.js'), 'throw new Error("loaded");\n');
    write(
      path.join(box.cwd, 'platform.yaml'),
      'registry:\n  default: scratch\n  instances:\n    broken: { provider: ./broken.js }\n    team: { provider: mlflow, uri: "http://127.0.0.1:9" }\n',
    );
    const container = createContainer(await load(box));
    const registry = await container.getAsync<Registry>(TOKENS.Registry);
    expect(await registry.projects()).toEqual([]);
    await expect(container.get<RegistryCatalog>(TOKENS.Registries).get('broken')).rejects.toMatchObject({
      code: 'PROVIDER',
    });
  });

  it('binds the state codec with the compression platform.yaml sets', async () => {
    const { platform } = await platformIn('state:\n  compression: gzip\n');
    const codec = await createContainer(platform).getAsync<StateCodec & { compression: string }>(TOKENS.Codec);
    expect([codec.name, codec.compression]).toEqual(['cbor', 'gzip']);
    const meta = { actor: 'scaler', stateVersion: 1 } as Parameters<StateCodec['encode']>[1];
    expect(await codec.decode(await codec.encode({ mean: [1, 2] }, meta), meta)).toEqual({ mean: [1, 2] });
  });

  it('binds the MLflow provider class by its name, without contacting any server', async () => {
    const { platform } = await platformIn(
      'registry:\n  instances:\n    team: { provider: mlflow, uri: "http://127.0.0.1:9", retries: 0 }\n',
    );
    const container = createContainer(platform);
    const { MlflowProvider } = await import('../../src/providers/mlflow/mlflow-provider.js');
    expect(await container.getAsync<ProviderClass>(TOKENS.ProviderClass, { name: 'mlflow' })).toBe(MlflowProvider);
    const team = await container.get<RegistryCatalog>(TOKENS.Registries).get('team');
    expect(team.descriptor.name).toBe('mlflow');
  });

  it('resolves a class that injects the asynchronous tokens, as the runtime does, with getAsync', async () => {
    @injectable()
    class Consumer {
      constructor(
        @inject(TOKENS.Registry) readonly registry: Registry,
        @inject(TOKENS.Codec) readonly codec: StateCodec,
        @inject(TOKENS.Clock) readonly clock: Clock,
      ) {}
    }
    const token = Symbol('Consumer');
    const module = new ContainerModule(({ bind }) => {
      bind(token).to(Consumer).inSingletonScope();
    });
    const container = createContainer((await platformIn(undefined, 'scratch')).platform, { modules: [module] });
    const consumer = await container.getAsync<Consumer>(token);
    expect(consumer.registry).toBe(await container.getAsync(TOKENS.Registry));
    expect(consumer.codec.name).toBe('cbor');
  });

  it('builds the Runtime, an undecorated class, from the bound registry (and codec and clock), once', async () => {
    const b = await bench();
    const module = new ContainerModule(({ rebind }) => {
      rebind<Registry>(TOKENS.Registry).toConstantValue(b.registry);
    });
    const container = createContainer((await platformIn(undefined, 'scratch')).platform, { modules: [module] });
    const runtime = await container.getAsync<Runtime>(TOKENS.Runtime);
    expect(runtime).toBeInstanceOf(Runtime);
    expect(await container.getAsync(TOKENS.Runtime)).toBe(runtime);
    const manifest = await runtime.train({ project: b.project, data: await irisData() });
    expect(manifest.generation).toBe(1);
    expect(await b.registry.latest('iris', '1.0.0')).toBe(1);
  });

  it('an unknown instance name in the catalog is NOT_FOUND', async () => {
    const catalog = createContainer((await platformIn()).platform).get<RegistryCatalog>(TOKENS.Registries);
    await expect(catalog.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND', data: { what: 'registry instance' } });
  });
});

describe('swapping bindings in tests, without touching production code', () => {
  it('puts volatile in place of posix: the default posix instance writes nothing to disk', async () => {
    const { platform, cwd } = await platformIn();
    const container = createContainer(platform, { providers: { posix: VolatileProvider } });
    const registry = await container.getAsync<Registry>(TOKENS.Registry);
    await registry.publishRelease('iris', '1.0.0', { payload: new Uint8Array([1]) });
    expect(registry.descriptor.name).toBe('volatile');
    expect(await registry.projects()).toEqual(['iris']);
    expect(existsSync(path.join(cwd, '.statekeep'))).toBe(false);
  });

  it('rebinds a single token from a test module: a fixed clock stamps the generations', async () => {
    const fixed = new Date('2030-01-02T03:04:05.000Z');
    const clock = new ContainerModule(({ rebind }) => {
      rebind<Clock>(TOKENS.Clock).toConstantValue(() => fixed);
    });
    const container = createContainer((await platformIn(undefined, 'scratch')).platform, { modules: [clock] });
    const registry = await container.getAsync<Registry>(TOKENS.Registry);
    const record = await registry.publishRelease('iris', '1.0.0', { payload: new Uint8Array([1]) });
    expect(record.created).toBe(fixed.toISOString());
  });
});
