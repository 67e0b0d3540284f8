import { describe, expect, it } from 'vitest';
import { csv, projectDir } from './fixtures/projects.js';
import { errorLines, statekeepInProcess, workspace } from './helpers.js';

const THROWS = `
class Keeper {
  name = 'keeper';
  train() { throw new RangeError('weights diverged'); }
  apply(rows: unknown[]) { return rows.map(() => 0); }
  getState() { return {}; }
  setState() {}
  getParams() { return {}; }
  setParams() {}
}
export default {
  label: 'y',
  features: ['x'],
  metric: { name: 'zero', direction: 'max', score: () => 0 },
  pipeline: () => ({ steps: [new Keeper()] }),
};
`;

describe("the project's own failures, on the command line", () => {
  it('an actor that throws is USER_CODE (exit 1) naming it, the step and the message; --debug shows its stack', async () => {
    const ws = workspace();
    const dir = projectDir('thrower', THROWS);
    const data = csv(dir, 3);
    const plain = await statekeepInProcess(['train', dir, '--data', data], ws);
    expect(plain.code).toBe(1);
    expect(errorLines(plain.stderr)).toEqual({
      message: 'actor "keeper" train() threw: weights diverged',
      hint: 'fix the project code; rerun with --debug to see where it threw',
    });
    expect(plain.stderr.trimEnd().split('\n')).toHaveLength(2);
    const debug = await statekeepInProcess(['train', dir, '--data', data, '--debug'], ws);
    expect(debug.code).toBe(1);
    // The user's own error and where it was thrown: the project's module in the staging cache.
    expect(debug.stderr).toMatch(
      /caused by: RangeError: weights diverged\n\s+at Keeper\.train \(.*index\.mjs:\d+:\d+\)/,
    );
  });

  it('library errors name arguments; the CLI turns them into options in the hint', async () => {
    const ws = workspace();
    const dir = projectDir('thrower', THROWS);
    const outcome = await statekeepInProcess(['--json', 'train', dir, '--release', '9.9.9', '--data', csv(dir, 3)], ws);
    expect(outcome.code).toBe(2);
    const { error } = JSON.parse(outcome.stderr);
    expect(error).toMatchObject({ code: 'USAGE', data: { argument: 'release' } });
    expect(error.message).not.toContain('--');
    expect(error.hint).toMatch(/ \(option --release\)$/);
  });
});
