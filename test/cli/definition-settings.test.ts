import { describe, expect, it } from 'vitest';
import { csv, projectDir } from './fixtures/projects.js';
import { statekeepInProcess, workspace } from './helpers.js';

// The tuning settings of the project's own definition: a bad one is the project's, and the
// CLI must not send the user to an option they never gave.
const definition = (tuning: string): string => `
class Keeper {
  name = 'keeper';
  depth = 1;
  train() {}
  apply(rows: unknown[]) { return rows.map(() => 0); }
  getState() { return {}; }
  setState() {}
  getParams() { return { depth: this.depth }; }
  setParams(p: { depth: number }) { this.depth = p.depth; }
}
export default {
  label: 'y',
  features: ['x'],
  metric: { name: 'zero', direction: 'max', score: () => 0 },
  pipeline: () => ({ steps: [new Keeper()] }),
  tuning: { space: { 'keeper.depth': [1, 2] }, ${tuning} },
};
`;

describe("a bad tuning setting in the project's definition", () => {
  for (const [setting, option] of [
    ['seed: 1.5', '--seed'],
    ['trials: 0', '--trials'],
  ] as const) {
    it(`${setting} is a USAGE error whose hint names no ${option}`, async () => {
      const ws = workspace();
      const dir = projectDir('tuned', definition(setting));
      const outcome = await statekeepInProcess(['--json', 'tune', dir, '--data', csv(dir, 8)], ws);
      expect(outcome.code).toBe(2);
      const { error } = JSON.parse(outcome.stderr);
      expect(error.code).toBe('USAGE');
      expect(`${error.message} ${error.hint}`).not.toContain(option);
    });
  }

  it('a bad --seed given on the command line still names the option', async () => {
    const ws = workspace();
    const dir = projectDir('tuned', definition('seed: 1'));
    const outcome = await statekeepInProcess(['--json', 'tune', dir, '--data', csv(dir, 8), '--seed', '1.5'], ws);
    expect(outcome.code).toBe(2);
    expect(JSON.parse(outcome.stderr).error.hint).toContain('--seed');
  });
});
