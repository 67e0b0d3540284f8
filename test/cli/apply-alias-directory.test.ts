import { describe, expect, it } from 'vitest';
import { statekeepInProcess, workspace } from './helpers.js';
import { EXAMPLE, IRIS, IRIS_EARLY, ok } from './pipeline-sequence.js';

// apply takes a project name or a project directory; @ALIAS is the project's alias either way.
describe('statekeep apply DIR @ALIAS', () => {
  it("applies the generation the alias of the directory's project points at", { timeout: 120_000 }, async () => {
    const ws = workspace();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    await ok(cli, ['train', EXAMPLE, '--data', IRIS_EARLY]);
    await ok(cli, ['train', EXAMPLE, '--data', IRIS]);
    await ok(cli, ['alias', 'set', 'iris', 'production', '1.0.0', '1']);
    const fromDirectory = await ok<{ generation: number; predictions: string[] }>(cli, [
      'apply',
      EXAMPLE,
      '@production',
      '--data',
      IRIS,
    ]);
    const byName = await ok<{ generation: number; predictions: string[] }>(cli, [
      'apply',
      'iris',
      '@production',
      '--data',
      IRIS,
    ]);
    expect(fromDirectory.generation).toBe(1);
    expect(fromDirectory).toEqual(byName);
  });
});
