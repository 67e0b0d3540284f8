import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProviderRecipe } from './target.js';

/** Where a racer moves the alias, as the Registry's setAlias takes it. */
export interface RaceTarget {
  release: string;
  generation: number;
}

export interface AliasRace {
  recipe: ProviderRecipe;
  project: string;
  alias: string;
  to: RaceTarget;
  expect: RaceTarget | null;
  reason: string;
}

export interface AliasRaceOutcome {
  won: boolean;
  entry?: number;
  code?: string | undefined;
  data?: unknown;
}

export interface AliasRacer {
  /** Resolves once the process can move. */
  ready: Promise<void>;
  /** Lets it move. */
  start(): void;
  done: Promise<AliasRaceOutcome>;
}

// Like the commit writer (writer-process.ts): plain Node runs the built kit, next to this module
// in dist/, or the repository's dist/ when statekeep's own tests run the kit from src/.
const ALIAS_WRITER = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? '../../dist/conformance/alias-writer.js' : './alias-writer.js',
    import.meta.url,
  ),
);

/** Starts one alias-writer process, which waits for start() before it moves. */
export function startAliasRacer(job: AliasRace): AliasRacer {
  const child = spawn(process.execPath, [ALIAS_WRITER, JSON.stringify(job)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    if (out.startsWith('ready\n')) markReady();
  });
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<AliasRaceOutcome>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`alias writer exited with ${code}: ${err.trim()}`));
      resolve(JSON.parse(out.trim().split('\n').at(-1)!) as AliasRaceOutcome);
    });
  });
  // A writer that dies before it is ready must fail the test, not hang it.
  done.catch(() => markReady());
  return { ready, start: () => child.stdin.end('go\n'), done };
}
