import { describe, expect, it } from 'vitest';
import type { StandardScalerState } from '../../examples/iris/src/actors/standard-scaler.js';
import type { LoadedProject, ProjectDefinition } from '../../src/pipeline/project.js';
import { PosixProvider } from '../../src/providers/posix/posix-provider.js';
import { digestOf } from '../../src/registry/digest.js';
import { releaseVersion } from '../../src/registry/versions.js';
import { statekeepInProcess, workspace } from '../cli/helpers.js';
import { type Bench, bench, iris, irisData, stateOf } from './fixtures.js';

/** Publishes another release of the bench's project, running `definition`. */
async function release(b: Bench, version: string, definition: ProjectDefinition<never> = iris): Promise<LoadedProject> {
  const payload = new TextEncoder().encode(`package of iris ${version}`);
  await b.registry.publishRelease('iris', version, { payload });
  return { ...b.project, release: releaseVersion(version), packageDigest: digestOf(payload), definition };
}

describe('train --from: warm-starting a new release from an earlier release', () => {
  it("continues the earlier release's states, and the parent names that release", async () => {
    const b = await bench();
    const one = await b.runtime.train({ project: b.project, data: await irisData('iris-early.csv') });
    const next = await release(b, '1.1.0');
    const first = await b.runtime.train({
      project: next,
      data: await irisData(),
      from: { release: '1.0.0' },
      sinceLast: true,
    });
    expect(first).toMatchObject({
      release: '1.1.0',
      generation: 1,
      parent: { release: '1.0.0', generation: 1 },
      training: { lower: '2024-03-11', upper: '2024-03-15', rows: 50 },
    });
    expect(first.metrics).toHaveProperty('accuracy_before');
    // The scaler went on from 1.0.0's 100 rows: it has seen 150.
    expect((await stateOf<StandardScalerState>(b, first, 'standard-scaler')).count).toBe(150);
    expect((await b.registry.manifest('iris', '1.1.0', 1)).parent).toEqual({ release: '1.0.0', generation: 1 });
    // The next run of 1.1.0 warm-starts from 1.1.0's own latest, a plain number again.
    const second = await b.runtime.train({ project: next, data: await irisData() });
    expect(second.parent).toBe(1);
    expect(one.parent).toBeNull();

    // A generation number picks which one; from the same release it is an ordinary parent.
    const again = await b.runtime.train({
      project: b.project,
      data: await irisData(),
      from: { release: '1.1.0', generation: 2 },
    });
    expect(again.parent).toEqual({ release: '1.1.0', generation: 2 });
    const same = await b.runtime.train({
      project: b.project,
      data: await irisData(),
      from: { release: '1.0.0', generation: 1 },
    });
    expect(same.parent).toBe(1);
  });

  it('refuses a release whose stateful actors differ, naming the actor, and one with another state version; nothing is committed', async () => {
    const b = await bench();
    await b.runtime.train({ project: b.project, data: await irisData() });
    const renamed = await release(b, '2.0.0', {
      ...iris,
      pipeline: (params) => {
        const p = iris.pipeline(params);
        return { ...p, steps: p.steps.map((s, i) => (i === 2 ? Object.assign(s, { name: 'classifier' }) : s)) };
      },
    } as ProjectDefinition<never>);
    await expect(
      b.runtime.train({ project: renamed, data: await irisData(), from: { release: '1.0.0' } }),
    ).rejects.toMatchObject({ code: 'USAGE', data: { argument: 'from', actor: 'classifier' } });

    const bumped = await release(b, '2.1.0', {
      ...iris,
      pipeline: (params) => {
        const p = iris.pipeline(params);
        return { ...p, steps: p.steps.map((s, i) => (i === 1 ? Object.assign(s, { stateVersion: 9 }) : s)) };
      },
    } as ProjectDefinition<never>);
    await expect(
      b.runtime.train({ project: bumped, data: await irisData(), from: { release: '1.0.0' } }),
    ).rejects.toMatchObject({
      code: 'INCOMPATIBLE_FORMAT',
      data: { subject: 'state of actor "standard-scaler" in iris 1.0.0 generation 1' },
    });
    await expect(
      b.runtime.train({ project: b.project, data: await irisData(), from: { release: '1.0.0' }, fresh: true }),
    ).rejects.toMatchObject({ code: 'USAGE', data: { argument: 'from' } });
    await expect(
      b.runtime.train({ project: renamed, data: await irisData(), from: { release: '9.9.9' } }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await b.registry.generations('iris', '2.0.0')).toEqual([]);
    expect(await b.registry.generations('iris', '2.1.0')).toEqual([]);
  });

  it('show and list print a parent in another release as RELEASE/GENERATION', async () => {
    const ws = workspace();
    const b = await bench(iris as ProjectDefinition<never>, new PosixProvider({ path: ws.registryPath }));
    await b.runtime.train({ project: b.project, data: await irisData() });
    const next = await release(b, '1.1.0');
    await b.runtime.train({ project: next, data: await irisData(), from: { release: '1.0.0', generation: 1 } });
    await b.registry.close();
    const shown = await statekeepInProcess(['show', 'iris', '1.1.0', '1'], ws);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^parent +1\.0\.0\/1$/m);
    const listed = await statekeepInProcess(['list', 'iris', '1.1.0'], ws);
    expect(listed.stdout.trimEnd().split('\n')[1]).toMatch(/^ +1 +train +\S+ +1\.0\.0\/1 /);
    const json = JSON.parse((await statekeepInProcess(['--json', 'list', 'iris', '1.1.0'], ws)).stdout);
    expect(json[0].parent).toEqual({ release: '1.0.0', generation: 1 });
  });
});
