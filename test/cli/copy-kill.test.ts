import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, vi } from 'vitest';
import { seedCopySource, snapshotRegistry } from '../../src/conformance/copy-fixtures.js';
import type { GenerationManifest } from '../../src/registry/manifest.js';
import { PosixProvider } from '../../src/providers/posix/posix-provider.js';
import { Registry } from '../../src/registry/registry.js';
import { BIN, workspace } from './helpers.js';

vi.setConfig({ testTimeout: 240_000 });

const ITERATIONS = 5;

/**
 * Runs the real CLI; with `kill`, SIGKILLs it that many ms after it starts, or (`afterFirstWrite`)
 * after the destination's directory appears, which is when the first blob is written. Resolves
 * with how it ended, and when (ms from its start) it first wrote.
 */
function runCopy(
  ws: { cwd: string; home: string },
  to: string,
  kill?: { ms: number; afterFirstWrite?: boolean },
): Promise<{ code: number | null; signal: string | null; stderr: string; ms: number; firstWrite: number }> {
  const started = performance.now();
  const root = path.join(ws.cwd, to);
  let firstWrite = Number.NaN;
  const watch = async (): Promise<void> => {
    while (!existsSync(root) && child.exitCode === null && child.signalCode === null) await sleep(2);
    firstWrite = performance.now() - started;
  };
  const child = spawn(process.execPath, [BIN, 'copy', '--from', 'local', '--to', to], {
    cwd: ws.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: ws.home },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const watching = watch();
  if (kill !== undefined)
    void (kill.afterFirstWrite === true ? watching : Promise.resolve())
      .then(() => sleep(kill.ms))
      .then(() => child.kill('SIGKILL'));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const ms = performance.now() - started;
      void watching.then(() => resolve({ code, signal, stderr, ms, firstWrite }));
    });
  });
}

describe('statekeep copy killed by SIGKILL at random moments', () => {
  it(`ends, after a rerun, in a complete copy with no generation twice (${ITERATIONS} destinations, killed twice each)`, async () => {
    const targets = Array.from({ length: ITERATIONS + 1 }, (_, i) => `t${i}`);
    const ws = workspace(targets.map((t) => `    ${t}: { provider: posix, path: ./${t} }\n`).join(''));
    // States big enough that writing them is a good part of a run.
    await seedCopySource(ws.open(), 2 * 2 ** 20);
    const expected = await snapshotRegistry(ws.open());
    // One uninterrupted run shows how long a run lasts here, so the kills fall anywhere in it.
    const full = await runCopy(ws, targets[0]!);
    expect({ code: full.code, stderr: full.stderr }).toEqual({ code: 0, stderr: '' });
    const writing = full.ms - full.firstWrite;
    const kills: string[] = [];
    for (const target of targets.slice(1)) {
      // The first kill falls while the copy writes; the second anywhere, startup and the look at
      // what is already there included.
      const moments = [{ ms: Math.random() * writing, afterFirstWrite: true }, { ms: Math.random() * full.ms }];
      kills.push(moments.map((m) => `${Math.round(m.ms)} ms${m.afterFirstWrite ? ' into writing' : ''}`).join(', '));
      for (const moment of moments) {
        const killed = await runCopy(ws, target, moment);
        // A run that finished before its kill is fine too; one that failed otherwise is not.
        if (killed.signal !== 'SIGKILL')
          expect({ code: killed.code, stderr: killed.stderr }).toEqual({ code: 0, stderr: '' });
      }
      const rerun = await runCopy(ws, target);
      expect({ code: rerun.code, stderr: rerun.stderr, kills }).toEqual({ code: 0, stderr: '', kills });
      const copy = new Registry(new PosixProvider({ path: path.join(ws.cwd, target) }));
      const copies = new Map<string, GenerationManifest['copiedFrom']>();
      expect(await snapshotRegistry(copy, copies)).toEqual(expected);
      // Every generation is one copy of one source generation: the same number, once.
      const sources = [...copies].map(([at, from]) => `${at.split('/').slice(0, 2).join('/')}/${from?.generation}`);
      expect(sources.sort()).toEqual([...copies.keys()].sort());
      expect(new Set(sources).size).toBe(copies.size);
    }
  });
});
