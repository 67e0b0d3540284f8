import { describe, expect, it } from 'vitest';
import { tableFromRecords } from '../../src/pipeline/data/table.js';
import { bench, irisData, recorder, stateOf } from './fixtures.js';
import { probeProject, probeRows, type ProbeState } from './probe-project.js';

describe('tune', () => {
  it('scores every grid combination on the holdout, retrains the best on all rows, and commits mode tune', async () => {
    const b = await bench();
    const { events, onProgress } = recorder();
    const manifest = await b.runtime.tune({ project: b.project, data: await irisData(), onProgress });
    const trials = events.filter((e) => e.stage === 'trial');
    expect(trials.map((e) => [e.done, e.total])).toEqual(Array.from({ length: 9 }, (_, i) => [i + 1, 9]));
    const best = Math.max(...trials.map((e) => e.score!));
    expect(manifest).toMatchObject({
      generation: 1,
      mode: 'tune',
      parent: null,
      training: { rows: 150, lower: '2024-03-01', upper: '2024-03-15' },
    });
    expect(manifest.tuning).toEqual({ score: best, params: trials.find((e) => e.score === best)!.params, trials: 9 });
    expect(manifest.metrics.accuracy_holdout).toBe(best);
    expect(manifest.metrics.accuracy).toBeGreaterThan(0.9);
    expect(manifest.states.map((s) => s.actor)).toEqual(['label-encoder', 'mean-imputer', 'standard-scaler', 'model']);
  });

  it('commits the best candidate, trained fresh on every row', async () => {
    const b = await bench(probeProject({}), undefined, 'probe');
    const data = tableFromRecords(probeRows(12));
    await b.runtime.train({ project: b.project, data });
    const manifest = await b.runtime.tune({ project: b.project, data });
    expect(manifest).toMatchObject({
      generation: 2,
      mode: 'tune',
      parent: null,
      tuning: { score: 0, params: { 'probe.k': 3 }, trials: 4 },
    });
    expect(await stateOf<ProbeState>(b, manifest, 'probe')).toEqual({ k: 3, rows: 12 });
  });

  it('train after tune keeps the tuned hyper-parameters and records them; --fresh drops them', async () => {
    const b = await bench(probeProject({}), undefined, 'probe');
    const data = tableFromRecords(probeRows(8));
    const tuned = await b.runtime.tune({ project: b.project, data });
    const next = await b.runtime.train({ project: b.project, data });
    expect(next).toMatchObject({ mode: 'train', parent: tuned.generation, tuning: tuned.tuning });
    expect(await stateOf<ProbeState>(b, next, 'probe')).toEqual({ k: 3, rows: 16 });
    const fresh = await b.runtime.train({ project: b.project, data, fresh: true });
    expect(fresh.tuning).toBeNull();
    expect(await stateOf<ProbeState>(b, fresh, 'probe')).toEqual({ k: 1, rows: 8 });
  });

  it('random search is deterministic for a seed and differs across seeds', async () => {
    const data = await irisData();
    const run = async (seed: number) => {
      const b = await bench();
      const { events, onProgress } = recorder();
      const manifest = await b.runtime.tune({
        project: b.project,
        data,
        strategy: 'random',
        trials: 4,
        seed,
        onProgress,
      });
      return { manifest, params: events.filter((e) => e.stage === 'trial').map((e) => e.params) };
    };
    const [one, again, other] = [await run(11), await run(11), await run(12)];
    expect(one.manifest.tuning?.trials).toBe(4);
    expect(again.manifest.tuning).toEqual(one.manifest.tuning);
    expect(again.manifest.states).toEqual(one.manifest.states);
    expect(again.params).toEqual(one.params);
    expect(other.params).not.toEqual(one.params);
  });

  it('refuses to run without a tuning space, or a grid with a trial count, and commits nothing', async () => {
    const b = await bench();
    const data = await irisData();
    const { tuning: _, ...untunable } = b.project.definition;
    await expect(b.runtime.tune({ project: { ...b.project, definition: untunable }, data })).rejects.toMatchObject({
      code: 'USAGE',
    });
    await expect(b.runtime.tune({ project: b.project, data, strategy: 'grid', trials: 3 })).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: 'trials' },
    });
    await expect(b.runtime.tune({ project: b.project, data, holdout: 1.5 })).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: 'holdout' },
    });
    const typo = { ...b.project.definition, tuning: { space: { 'modle.l2': [0, 1] } } };
    await expect(b.runtime.tune({ project: { ...b.project, definition: typo }, data })).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: 'modle.l2' },
    });
    expect(await b.registry.generations('iris', '1.0.0')).toEqual([]);
  });
});
