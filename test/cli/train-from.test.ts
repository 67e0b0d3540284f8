import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statekeepInProcess, workspace } from './helpers.js';
import { EXAMPLE, IRIS, IRIS_EARLY } from './pipeline-sequence.js';

/** The iris example at another version: the next release of the same code. */
function irisAt(version: string): string {
  const dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'statekeep-iris-')), 'iris');
  cpSync(EXAMPLE, dir, { recursive: true });
  const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, version }));
  return dir;
}

describe('train --from on the command line', () => {
  it('warm-starts a new release from an earlier one and says so; a malformed --from is a usage error', async () => {
    const ws = workspace();
    expect((await statekeepInProcess(['train', EXAMPLE, '--data', IRIS_EARLY], ws)).code).toBe(0);
    const next = irisAt('1.1.0');
    const outcome = await statekeepInProcess(['train', next, '--data', IRIS, '--from', '1.0.0/1', '--since-last'], ws);
    expect(outcome.code, outcome.stderr).toBe(0);
    expect(outcome.stdout).toBe('1\n');
    expect(outcome.stderr).toMatch(
      /^iris 1\.1\.0: generation 1 \(train, warm start from release 1\.0\.0 generation 1, 50 rows\): /m,
    );
    const shown = await statekeepInProcess(['show', 'iris', '1.1.0'], ws);
    expect(shown.stdout).toMatch(/^parent +1\.0\.0\/1$/m);
    expect(shown.stdout).toMatch(
      /^warm start +label-encoder continued, mean-imputer continued, standard-scaler continued, model continued$/m,
    );

    for (const bad of ['', '1.0.0/', '1.0.0/1/2']) {
      const refused = await statekeepInProcess(['--json', 'train', 'iris', '--data', IRIS, '--from', bad], ws);
      expect(refused.code).toBe(2);
      expect(JSON.parse(refused.stderr).error).toMatchObject({ code: 'USAGE', data: { argument: '--from' } });
    }
    const conflicting = await statekeepInProcess(['train', 'iris', '--data', IRIS, '--from', '1.0.0', '--fresh'], ws);
    expect(conflicting.code).toBe(2);
    expect(await ws.open().generations('iris', '1.1.0')).toEqual([1]);
  });
});
