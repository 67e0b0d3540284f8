import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BIN, statekeep, statekeepInProcess, workspace } from './helpers.js';
import { csv, HEAVY, projectDir, UNSERIALIZABLE } from './fixtures/projects.js';
import { EXAMPLE, IRIS, mainJob, ok } from './pipeline-sequence.js';
import type { GenerationManifest } from '../../src/registry/manifest.js';

// A dozen CLI processes per test (each starting Node, loading the CLI, building or mounting a
// package), on two cores that other test files share.
vi.setConfig({ testTimeout: 120_000 });

describe('the main job through the CLI, on posix, in child processes', () => {
  // The built binary end to end: every command a process of its own, sharing only the registry
  // and the staging cache on disk.
  it('train → 1, train again → 2, tune → 3, rollback → 4, and apply 4 equals apply 1', async () => {
    const ws = workspace();
    await mainJob((args) => statekeep(args, ws));
  });
});

describe('the CLI on posix', () => {
  it('a state that cannot be stored fails the train with NOT_SERIALIZABLE naming actor and path, and writes no generation', async () => {
    const ws = workspace();
    const dir = projectDir('keeper', UNSERIALIZABLE);
    const outcome = await statekeepInProcess(['--json', 'train', dir, '--data', csv(dir, 4)], ws);
    expect(outcome.code).toBe(1);
    expect(JSON.parse(outcome.stderr).error).toMatchObject({
      code: 'NOT_SERIALIZABLE',
      data: { actor: 'keeper', path: '$.callback' },
    });
    // No generation, and since the run failed before its commit, no release either.
    await expect(ws.open().generations('keeper', '1.0.0')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await ws.open().projects()).toEqual([]);
  });

  it('a train killed with SIGKILL mid-commit leaves no generation, and the next train succeeds', async () => {
    const ws = workspace();
    const dir = projectDir('heavy', HEAVY);
    const data = csv(dir, 3);
    expect(
      (await ok<GenerationManifest>((a) => statekeepInProcess(a, ws), ['train', dir, '--data', data])).generation,
    ).toBe(1);
    const blobs = path.join(ws.registryPath, 'v1', 'projects', 'heavy', 'blobs');
    const temps = (): string[] =>
      (readdirSync(blobs, { recursive: true }) as string[]).filter((f) => path.basename(f).startsWith('.tmp-'));
    const before = temps().length;
    for (let attempt = 0; attempt < 3; attempt++) {
      const child = spawn(process.execPath, [BIN, 'train', 'heavy', '--data', data], {
        cwd: ws.cwd,
        env: { PATH: process.env.PATH ?? '', HOME: ws.home },
        stdio: 'ignore',
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      // Kill the moment a state blob is being written: the commit has begun, nothing is published.
      let killed = false;
      while (!killed && child.exitCode === null) {
        if (temps().length > before + attempt) {
          child.kill('SIGKILL');
          killed = true;
        } else await new Promise((r) => setTimeout(r, 1));
      }
      expect(await exited).toBe('SIGKILL');
      expect(await ws.open().generations('heavy', '1.0.0')).toEqual([1]);
    }
    expect(temps().length).toBe(before + 3);
    const next = await ok<GenerationManifest>((a) => statekeepInProcess(a, ws), ['train', 'heavy', '--data', data]);
    expect(next).toMatchObject({ generation: 2, parent: 1 });
    const applied = await ok<{ predictions: number[] }>(
      (a) => statekeepInProcess(a, ws),
      ['apply', 'heavy', '--data', data],
    );
    expect(applied.predictions).toEqual([3, 3, 3]);
    const cleaned = await ok<{ removed: number }>((a) => statekeepInProcess(a, ws), ['cleanup', '--older-than', '0']);
    expect(cleaned.removed).toBe(3);
    expect(temps()).toEqual([]);
  });

  it('bad data is refused with BAD_DATA and its line; nothing is committed or published', async () => {
    const ws = workspace();
    const bad = path.join(ws.cwd, 'bad.csv');
    writeFileSync(
      bad,
      'sepal_length,sepal_width,petal_length,petal_width,species,measured_on\n5.1,3.5,1.4,0.2,setosa,2026-01-01\n4.9,oops,1.4,0.2,setosa,2026-01-02\n',
    );
    const outcome = await statekeepInProcess(['--json', 'train', EXAMPLE, '--data', bad], ws);
    expect(outcome.code).toBe(1);
    expect(JSON.parse(outcome.stderr).error).toMatchObject({
      code: 'BAD_DATA',
      data: { file: bad, line: 3, column: 'sepal_width' },
    });
    const missing = path.join(ws.cwd, 'missing.csv');
    writeFileSync(missing, 'sepal_length,species\n5.1,setosa\n');
    expect(
      JSON.parse((await statekeepInProcess(['--json', 'train', EXAMPLE, '--data', missing], ws)).stderr).error,
    ).toMatchObject({ code: 'BAD_DATA', data: { file: missing } });
    // Not even the directory's release: the data is read before it is published.
    expect(await ws.open().projects()).toEqual([]);
  });

  it('release publishes once; a second release of the version, or a tampered package, is refused', async () => {
    const ws = workspace();
    const cli = (args: string[]) => statekeepInProcess(args, ws);
    const record = await ok<{ version: string; package: { digest: string } }>(cli, ['release', EXAMPLE]);
    expect(record.version).toBe('1.0.0');
    const again = await cli(['--json', 'release', EXAMPLE]);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr).error).toMatchObject({ code: 'ALREADY_EXISTS', data: { release: '1.0.0' } });
    const listed = await ok<{ version: string; package: string; generations: number }[]>(cli, ['list', 'iris']);
    expect(listed).toEqual([
      expect.objectContaining({ version: '1.0.0', package: record.package.digest, generations: 0 }),
    ]);
    // Flip a byte of the stored package; a run with an empty staging cache must refuse it.
    const hex = record.package.digest.slice('sha256:'.length);
    const blob = path.join(ws.registryPath, 'v1', 'projects', 'iris', 'blobs', 'sha256', hex.slice(0, 2), hex.slice(2));
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(blob);
    bytes[bytes.length >> 1]! ^= 0xff;
    writeFileSync(blob, bytes);
    const tampered = await cli(['--json', 'train', 'iris', '--data', IRIS]);
    expect(tampered.code).toBe(1);
    expect(JSON.parse(tampered.stderr).error).toMatchObject({
      code: 'INTEGRITY',
      data: { project: 'iris', release: '1.0.0', expected: record.package.digest },
    });
    expect(await ws.open().generations('iris', '1.0.0')).toEqual([]);
  });
});
