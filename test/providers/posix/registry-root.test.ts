import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { publish, registryOf } from '../../conformance/fixtures.js';
import { filesUnder, posixAt, scratch } from './support.js';

// Lets a test make the marker look absent for the provider's next reads of it, the way it looks
// to a reader that checks a moment before a racing creator publishes it.
const marker = vi.hoisted(() => ({ misses: 0 }));
vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  const readFile = ((path: Parameters<typeof actual.readFile>[0], ...rest: unknown[]) => {
    if (marker.misses > 0 && String(path).endsWith('statekeep-registry.json')) {
      marker.misses -= 1;
      return Promise.reject(
        Object.assign(new Error(`ENOENT: ${String(path)}`), { code: 'ENOENT', syscall: 'open', path: String(path) }),
      );
    }
    return (actual.readFile as (...args: unknown[]) => Promise<unknown>)(path, ...rest);
  }) as typeof actual.readFile;
  return { ...actual, readFile };
});

describe('posix registry root and format marker', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  it('refuses a registry written in a newer format, naming both formats, for reads and writes alike', async () => {
    mkdirSync(space.root);
    writeFileSync(join(space.root, 'statekeep-registry.json'), '{"format":2}\n');
    const before = filesUnder(space.root);
    const registry = registryOf(posixAt(space.root));
    const refused = {
      code: 'INCOMPATIBLE_FORMAT',
      data: { found: '2', supported: '1', subject: `registry at ${space.root}` },
    };
    await expect(registry.projects()).rejects.toMatchObject(refused);
    await expect(publish(registry, 'p', '1.0.0')).rejects.toMatchObject(refused);
    expect(filesUnder(space.root)).toEqual(before);
  });

  it('refuses a non-empty directory without a marker, to read or to write, and writes nothing into it', async () => {
    mkdirSync(space.root);
    writeFileSync(join(space.root, 'notes.txt'), "someone else's file");
    const registry = registryOf(posixAt(space.root));
    await expect(publish(registry, 'p', '1.0.0')).rejects.toMatchObject({ code: 'CONFIG', data: { key: 'path' } });
    await expect(registry.projects()).rejects.toMatchObject({ code: 'CONFIG', data: { key: 'path' } });
    expect(filesUnder(space.root)).toEqual(['notes.txt']);
  });

  it('makes an existing empty directory a registry on the first write', async () => {
    mkdirSync(space.root);
    const registry = registryOf(posixAt(space.root));
    expect(await registry.projects()).toEqual([]);
    expect(filesUnder(space.root)).toEqual([]);
    await publish(registry, 'p', '1.0.0');
    expect(JSON.parse(readFileSync(join(space.root, 'statekeep-registry.json'), 'utf8'))).toEqual({ format: 1 });
    expect(await registry.projects()).toEqual(['p']);
  });

  it("a crashed creator's temp marker does not make the root foreign", async () => {
    mkdirSync(space.root);
    writeFileSync(join(space.root, '.tmp-1-0123456789ab'), '{"form');
    const registry = registryOf(posixAt(space.root));
    expect(await registry.projects()).toEqual([]);
    await publish(registry, 'p', '1.0.0');
    expect(await registry.releaseVersions('p')).toEqual(['1.0.0']);
  });

  it('refuses a marker that is not one with PROVIDER, and a root that is a file with CONFIG', async () => {
    mkdirSync(space.root);
    writeFileSync(join(space.root, 'statekeep-registry.json'), 'not json');
    await expect(registryOf(posixAt(space.root)).projects()).rejects.toMatchObject({
      code: 'PROVIDER',
      data: { provider: 'posix' },
    });
    const file = join(space.dir, 'a-file');
    writeFileSync(file, 'x');
    await expect(registryOf(posixAt(file)).projects()).rejects.toMatchObject({ code: 'CONFIG', data: { key: 'path' } });
    await expect(publish(registryOf(posixAt(join(file, 'below'))), 'p', '1.0.0')).rejects.toMatchObject({
      code: 'CONFIG',
      data: { key: 'path' },
    });
  });

  it("a marker published between a reader's two looks is found, not taken for a foreign directory", async () => {
    await publish(registryOf(posixAt(space.root)), 'p', '1.0.0');
    marker.misses = 1;
    expect(await registryOf(posixAt(space.root)).projects()).toEqual(['p']);
    // Absent on both looks while the root holds a registry's files: that root is not ours.
    marker.misses = 2;
    await expect(registryOf(posixAt(space.root)).projects()).rejects.toMatchObject({ code: 'CONFIG' });
    expect(marker.misses).toBe(0);
  });

  it('two providers creating one registry at once both succeed, and one marker results', async () => {
    const one = registryOf(posixAt(space.root));
    const two = registryOf(posixAt(space.root));
    await Promise.all([publish(one, 'a', '1.0.0'), publish(two, 'b', '1.0.0')]);
    expect(await one.projects()).toEqual(['a', 'b']);
    expect(filesUnder(space.root).filter((f) => !f.startsWith('v1/'))).toEqual(['statekeep-registry.json']);
  });
});
