import { describe, expect, it } from 'vitest';
import type { ProjectDefinition } from '../../src/pipeline/project.js';
import { bench, recorder } from './fixtures.js';
import { Probe, probeProject, probeRows } from './probe-project.js';

/** The probe project, whose actor throws while training with any k in `failing`. */
function failingFor(failing: number[]): ProjectDefinition<never> {
  const base = probeProject();
  return {
    ...(base as ProjectDefinition<never>),
    pipeline: () => {
      const probe = new Probe('probe');
      const train = probe.train.bind(probe);
      probe.train = (rows) => {
        if (failing.includes(probe.getParams().k as number))
          throw new RangeError(`k ${String(probe.getParams().k)} diverged`);
        train(rows);
      };
      return { steps: [probe] };
    },
  };
}

describe('tune with failing candidates', () => {
  it('records a failing candidate as a failed trial, with its parameters and error, and goes on', async () => {
    const b = await bench(failingFor([2, 4]), undefined, 'probe');
    const { events, onProgress } = recorder();
    const manifest = await b.runtime.tune({ project: b.project, data: probeRows(20), onProgress });
    expect(manifest.tuning).toEqual({
      score: 0,
      params: { 'probe.k': 3 },
      trials: 4,
      failed: [
        { params: { 'probe.k': 2 }, code: 'USER_CODE', message: 'actor "probe" train() threw: k 2 diverged' },
        { params: { 'probe.k': 4 }, code: 'USER_CODE', message: 'actor "probe" train() threw: k 4 diverged' },
      ],
    });
    // Every candidate reports a trial, failed or not.
    expect(events.filter((e) => e.stage === 'trial').map((e) => [e.done, e.score])).toEqual([
      [1, -2],
      [2, undefined],
      [3, 0],
      [4, undefined],
    ]);
    // The failed trials read back from the stored manifest.
    expect((await b.registry.manifest('probe', '1.0.0', manifest.generation)).tuning).toEqual(manifest.tuning);
  });

  it('without failures the tuning info has no failed list, as before', async () => {
    const b = await bench(failingFor([]), undefined, 'probe');
    const manifest = await b.runtime.tune({ project: b.project, data: probeRows(20) });
    expect(manifest.tuning).toEqual({ score: 0, params: { 'probe.k': 3 }, trials: 4 });
  });

  it("fails only when every candidate fails, with the first one's error, and commits nothing", async () => {
    const b = await bench(failingFor([1, 2, 3, 4]), undefined, 'probe');
    await expect(b.runtime.tune({ project: b.project, data: probeRows(20) })).rejects.toMatchObject({
      code: 'USER_CODE',
      data: { step: 'train', actor: 'probe', detail: 'k 1 diverged' },
    });
    expect(await b.registry.generations('probe', '1.0.0')).toEqual([]);
  });
});
