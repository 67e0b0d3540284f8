import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { PosixProvider } from '../../src/providers/posix/posix-provider.js';
import { Registry } from '../../src/registry/registry.js';
import { run } from '../../src/cli/main.js';
import type { ContainerOverrides } from '../../src/platform/index.js';
import { sandbox, write } from '../platform/helpers.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = path.join(ROOT, 'bin', 'statekeep.js');

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built CLI (bin/statekeep.js over dist/) in a child process, with only the given
 * environment. For what only a process shows: the real binary's exit status, signals, stdout
 * pipes, module loading, paths relative to its working directory. Everything else runs in this
 * process (statekeepInProcess), which is several times cheaper.
 */
export async function statekeep(
  args: string[],
  where: { cwd: string; home: string },
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<Outcome> {
  if (!existsSync(path.join(ROOT, 'dist', 'cli', 'main.js')))
    throw new Error('dist/cli/main.js is missing: run `npm run build` (npm test does) before these tests');
  try {
    const { stdout, stderr } = await exec(process.execPath, [...nodeArgs, BIN, ...args], {
      cwd: where.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: where.home, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw error;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

/**
 * Runs the CLI in this process with captured streams; for what needs a fake terminal or swapped
 * bindings. `tty: true` makes both streams terminals; an object sets each one.
 */
export async function statekeepInProcess(
  args: string[],
  where: { cwd: string; home: string },
  options: {
    env?: Record<string, string>;
    tty?: boolean | { stdout: boolean; stderr: boolean };
    overrides?: ContainerOverrides;
  } = {},
): Promise<Outcome> {
  let stdout = '';
  let stderr = '';
  const tty =
    typeof options.tty === 'object' ? options.tty : { stdout: options.tty === true, stderr: options.tty === true };
  const code = await run(args, {
    io: {
      stdout: { write: (t: string) => (stdout += t), isTTY: tty.stdout },
      stderr: { write: (t: string) => (stderr += t), isTTY: tty.stderr },
      env: options.env ?? {},
      cwd: where.cwd,
      home: where.home,
    },
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  return { code, stdout, stderr };
}

export const T0 = Date.parse('2030-01-02T03:04:05.000Z');

/** A sandbox whose ./platform.yaml makes a posix registry at ./registry the default. */
export function workspace(extra = ''): { cwd: string; home: string; registryPath: string; open(): Registry } {
  const box = sandbox();
  write(
    path.join(box.cwd, 'platform.yaml'),
    `registry:\n  default: local\n  instances:\n    local: { provider: posix, path: ./registry }\n${extra}`,
  );
  const registryPath = path.join(box.cwd, 'registry');
  const open = (): Registry => new Registry(new PosixProvider({ path: registryPath }), { clock: () => new Date(T0) });
  return { ...box, registryPath, open };
}

/**
 * iris 1.0.0 (at T0): generation 1 (T0 + 3 s; train, 2 states, 2500 bytes), generation 2
 * (T0 + 4 s; tune of 1, 1 state); iris 1.1.0 (T0 + 1 s) without generations; wine 0.1.0.
 * Each step sets the clock, so the times do not depend on how often the registry reads it.
 */
export async function seed(ws: { registryPath: string }): Promise<void> {
  let now = T0;
  const registry = new Registry(new PosixProvider({ path: ws.registryPath }), { clock: () => new Date(now) });
  const at = (seconds: number): void => {
    now = T0 + 1000 * seconds;
  };
  await registry.publishRelease('iris', '1.0.0', { payload: new Uint8Array([1, 2, 3]) });
  at(1);
  await registry.publishRelease('iris', '1.1.0', { payload: new Uint8Array([1, 2, 3, 4]) });
  at(2);
  await registry.publishRelease('wine', '0.1.0', { payload: new Uint8Array([9]) });
  at(3);
  await registry.commit({
    project: 'iris',
    release: '1.0.0',
    mode: 'train',
    parent: null,
    training: { lower: 0, upper: 99, rows: 150 },
    metrics: { accuracy: 0.9 },
    states: [
      { actor: 'scaler', bytes: new Uint8Array(2000), codec: 'cbor' },
      { actor: 'model', bytes: new Uint8Array(500).fill(1), codec: 'cbor' },
    ],
  });
  at(4);
  await registry.commit({
    project: 'iris',
    release: '1.0.0',
    mode: 'tune',
    parent: 1,
    tuning: { score: 0.5, params: {}, trials: 3 },
    states: [{ actor: 'scaler', bytes: new Uint8Array(2001), codec: 'cbor' }],
  });
}

/** stderr as the errors reporter writes it: `statekeep: <message>` then `  hint: <hint>`. */
export function errorLines(stderr: string): { message: string; hint: string } {
  const [first = '', second = ''] = stderr.trimEnd().split('\n');
  expectPrefix(first, 'statekeep: ');
  expectPrefix(second, '  hint: ');
  return { message: first.slice('statekeep: '.length), hint: second.slice('  hint: '.length) };
}

function expectPrefix(line: string, prefix: string): void {
  if (!line.startsWith(prefix))
    throw new Error(`expected a line starting with ${JSON.stringify(prefix)}, got ${JSON.stringify(line)}`);
}
