import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Layout } from '../../../src/providers/posix/layout.js';
import type { ProjectName } from '../../../src/registry/names.js';
import type { ReleaseVersion } from '../../../src/registry/versions.js';
import { seed, statekeep, workspace } from '../../cli/helpers.js';

// The trials, through the real binary on a posix registry: damage is reported with exit 1
// and code INTEGRITY by show, list and rollback, and nothing new is written.
const IRIS = 'iris' as ProjectName;
const V = '1.0.0' as ReleaseVersion;

async function damaged(ws: ReturnType<typeof workspace>, args: string[]): Promise<Record<string, unknown>> {
  const outcome = await statekeep(['--json', ...args], ws);
  expect({ args, code: outcome.code }).toEqual({ args, code: 1 });
  return JSON.parse(outcome.stderr).error;
}

describe('statekeep on a damaged posix registry', () => {
  it('a lost first manifest and hint: show, list and rollback report the missing generation', async () => {
    const ws = workspace();
    await seed(ws);
    const layout = new Layout(ws.registryPath);
    unlinkSync(layout.manifest(IRIS, V, 1));
    unlinkSync(layout.latestHint(IRIS, V));
    const gap = { code: 'INTEGRITY', data: { project: 'iris', release: '1.0.0', generation: 1 } };
    expect(await damaged(ws, ['show', 'iris', '1.0.0'])).toMatchObject(gap);
    expect(await damaged(ws, ['list', 'iris'])).toMatchObject(gap);
    expect(await damaged(ws, ['list', 'iris', '1.0.0'])).toMatchObject(gap);
    expect(await damaged(ws, ['rollback', 'iris', '1.0.0', '--to', '2'])).toMatchObject(gap);
    expect(existsSync(layout.manifest(IRIS, V, 1))).toBe(false);
    expect(existsSync(layout.manifest(IRIS, V, 3))).toBe(false);
  });

  it('an edited metric: show, list and rollback refuse the manifest', async () => {
    const ws = workspace();
    await seed(ws);
    const layout = new Layout(ws.registryPath);
    const file = layout.manifest(IRIS, V, 1);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"accuracy": 0.9', '"accuracy": 0.97'));
    const refused = { code: 'INTEGRITY', data: { generation: 1, subject: 'generation manifest' } };
    expect(await damaged(ws, ['show', 'iris', '1.0.0', '1'])).toMatchObject(refused);
    expect(await damaged(ws, ['list', 'iris', '1.0.0'])).toMatchObject(refused);
    expect(await damaged(ws, ['rollback', 'iris', '1.0.0', '--to', '1'])).toMatchObject(refused);
    expect(existsSync(layout.manifest(IRIS, V, 3))).toBe(false);
  });

  it('a release record relabelled from another version: list and rollback refuse it', async () => {
    const ws = workspace();
    await seed(ws);
    const layout = new Layout(ws.registryPath);
    const other = readFileSync(layout.releaseRecord(IRIS, '1.1.0'), 'utf8');
    writeFileSync(layout.releaseRecord(IRIS, V), other.replace('"version": "1.1.0"', '"version": "1.0.0"'));
    const refused = { code: 'INTEGRITY', data: { project: 'iris', release: '1.0.0', subject: 'release record' } };
    expect(await damaged(ws, ['list', 'iris'])).toMatchObject(refused);
    expect(await damaged(ws, ['rollback', 'iris', '1.0.0', '--to', '1'])).toMatchObject(refused);
    expect(existsSync(layout.manifest(IRIS, V, 3))).toBe(false);
  });
});
