import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProjectName } from '../../src/registry/names.js';
import type { Provider } from '../../src/registry/spi.js';
import type { Finding } from '../../src/registry/verify.js';
import { commit, publish, registryOf } from '../conformance/fixtures.js';
import { layoutOf, posixAt, scratch } from '../providers/posix/support.js';

const FOREIGN_URL = new URL('./fixtures/foreign-provider.js', import.meta.url);
const { ForeignAlreadyExistsError } = (await import(FOREIGN_URL.href)) as {
  ForeignAlreadyExistsError: new (data: Record<string, unknown>, hint: string) => Error;
};

describe('alias logs', () => {
  let space: Awaited<ReturnType<typeof scratch>>;
  beforeEach(async () => (space = await scratch()));
  afterEach(() => space.dispose());

  async function twoGenerations(provider: Provider = posixAt(space.root)) {
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    await commit(registry, 'p', '1.0.0', { a: 's1' });
    await commit(registry, 'p', '1.0.0', { a: 's2' });
    return registry;
  }

  it('an edited entry (its target changed) is damage on every read and in verify', async () => {
    const provider = posixAt(space.root);
    const registry = await twoGenerations(provider);
    await registry.setAlias('p', 'production', { release: '1.0.0', generation: 1 });
    const file = layoutOf(provider).aliasEntry('p' as ProjectName, 'production', 1);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('"generation": 1');
    writeFileSync(file, text.replace('"generation": 1', '"generation": 2'));
    const damage = { code: 'INTEGRITY', data: { project: 'p', subject: 'alias entry production#1' } };
    await expect(registry.resolveAlias('p', 'production')).rejects.toMatchObject(damage);
    await expect(registry.aliases('p')).rejects.toMatchObject(damage);
    const findings: Finding[] = [];
    const summary = await registry.verify({}, (f) => findings.push(f));
    expect(findings).toContainEqual(
      expect.objectContaining({ code: 'ALIAS_DAMAGED', place: { project: 'p', alias: 'production', entry: 1 } }),
    );
    expect(summary.damaged).toBe(1);
  });

  it('an alias log under a name no alias can have (a reserved one, put there by hand) is not an alias', async () => {
    const provider = posixAt(space.root);
    const registry = await twoGenerations(provider);
    await registry.setAlias('p', 'production', { release: '1.0.0', generation: 1 });
    const layout = layoutOf(provider);
    mkdirSync(layout.aliasLog('p', 'Latest'));
    copyFileSync(layout.aliasEntry('p', 'production', 1), layout.aliasEntry('p', 'Latest', 1));
    expect((await registry.aliases('p')).map((a) => a.alias)).toEqual(['production']);
    expect(await registry.verify()).toMatchObject({ damaged: 0, missing: 0 });
  });

  it('an unconditional move that loses the race to a provider built against another copy of statekeep retries', async () => {
    const inner = posixAt(space.root);
    let raced = false;
    // Another process takes entry 1 first; the provider reports the exclusive create's refusal
    // with its own branded class, as a third-party provider would.
    async function appendAliasEntry(project: ProjectName, alias: string, entry: number, bytes: Uint8Array) {
      if (!raced) {
        raced = true;
        await registryOf(inner).setAlias('p', 'production', { release: '1.0.0', generation: 2 }, { reason: 'other' });
      }
      try {
        await inner.appendAliasEntry(project, alias, entry, bytes);
      } catch (error) {
        throw Object.assign(new ForeignAlreadyExistsError({ what: 'alias entry' }, 'h'), { cause: error });
      }
    }
    const provider = new Proxy(inner, {
      get(target, key) {
        if (key === 'appendAliasEntry') return appendAliasEntry;
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const registry = await twoGenerations(provider);
    const moved = await registry.setAlias('p', 'production', { release: '1.0.0', generation: 1 });
    expect(moved).toMatchObject({ entry: 2, from: { release: '1.0.0', generation: 2 } });
    expect(await registry.resolveAlias('p', 'production')).toEqual({ release: '1.0.0', generation: 1 });
  });
});
