import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as main from '../../src/index.js';
import * as platformEntry from '../../src/platform/public.js';
import { openRegistry } from '../../src/platform/public.js';
import * as runtimeEntry from '../../src/runtime.js';
import { sandbox, write } from './helpers.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the public entry points', () => {
  it('statekeep holds the registry, its providers, the codec and the errors', () => {
    for (const name of ['Registry', 'PosixProvider', 'VolatileProvider', 'CborStateCodec', 'StatekeepError', 'Errors'])
      expect(main, name).toHaveProperty(name);
    expect(runtimeEntry).toHaveProperty('Runtime');
    expect(platformEntry).toHaveProperty('loadPlatform');
    expect(platformEntry).toHaveProperty('openRegistry');
  });

  it('keep the wiring internal: no container, tokens, catalog, table parsers, name helpers or CLI', () => {
    const internal = [
      'RegistryCatalog',
      'platformModule',
      'createContainer',
      'TOKENS',
      'parseTable',
      'kebabCase',
      'nameActors',
      'run',
      'StagingCache',
      'ProjectSource',
    ];
    for (const entry of [main, runtimeEntry, platformEntry])
      expect(internal.filter((name) => name in entry)).toEqual([]);
    expect('Runtime' in main).toBe(false);
  });

  it('package.json exports each of them from dist/, with its types', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; default: string } | string>;
    };
    expect(Object.keys(pkg.exports)).toEqual([
      '.',
      './runtime',
      './platform',
      './mlflow',
      './conformance',
      './package.json',
    ]);
    for (const [key, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(existsSync(path.join(ROOT, target.default)), key).toBe(true);
      expect(existsSync(path.join(ROOT, target.types)), key).toBe(true);
    }
  });
});

describe('openRegistry', () => {
  const platform = 'registry:\n  default: local\n  instances:\n    local: { provider: posix, path: ./registry }\n';

  it("opens the platform file's default instance, or the one named, and closes it", async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'platform.yaml'), platform);
    const registry = await openRegistry(undefined, { cwd: box.cwd, env: {}, home: box.home });
    expect(registry.descriptor.name).toBe('posix');
    await registry.publishRelease('iris', '1.0.0', { payload: new Uint8Array([1]) });
    await registry.close();
    expect(existsSync(path.join(box.cwd, 'registry'))).toBe(true);
    const again = await openRegistry('local', { cwd: box.cwd, env: {}, home: box.home });
    expect(await again.projects()).toEqual(['iris']);
    await again.close();
    const scratch = await openRegistry('scratch', { cwd: box.cwd, env: {}, home: box.home });
    expect(scratch.descriptor.name).toBe('volatile');
  });

  it('an instance the platform does not name is NOT_FOUND; a missing platform file is CONFIG', async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'platform.yaml'), platform);
    await expect(openRegistry('lokal', { cwd: box.cwd, env: {}, home: box.home })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      hint: 'did you mean "local"?',
    });
    await expect(
      openRegistry(undefined, { platform: 'nope.yaml', cwd: box.cwd, env: {}, home: box.home }),
    ).rejects.toMatchObject({ code: 'CONFIG' });
  });
});
