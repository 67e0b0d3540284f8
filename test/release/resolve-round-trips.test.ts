import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { Registry } from '../../src/registry/registry.js';
import { ProjectSource } from '../../src/release/project-source.js';
import { StagingCache } from '../../src/release/staging-cache.js';
import { countingProvider } from '../support/counting-provider.js';

const EXAMPLE = path.resolve('examples/iris');
const clock = (): Date => new Date('2026-05-06T07:08:09.000Z');

describe('resolving a registered project by name', () => {
  it('lists its releases once, to find the latest', async () => {
    const { provider, take } = countingProvider(new VolatileProvider());
    const registry = new Registry(provider, { clock });
    const source = new ProjectSource(
      registry,
      new StagingCache(await mkdtemp(path.join(os.tmpdir(), 'statekeep-staging-'))),
      clock,
    );
    await source.publish(EXAMPLE);
    take();
    const project = await source.resolve('iris');
    expect(project.release).toBe('1.0.0');
    expect(take().listReleases).toBe(1);
  });
});
