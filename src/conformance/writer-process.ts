import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ProviderRecipe } from './target.js';

export interface WriterJob {
  recipe: ProviderRecipe;
  project: string;
  release: string;
  commits: number;
  stateBytes?: number;
  /** Die by SIGKILL inside the first commit, after its number is allocated. */
  crash?: boolean;
  /** Keep committing until this many ms have passed (instead of `commits` times). */
  forMs?: number;
  /** Each commit also holds one of this many shared states, picked at random (they recur across writers). */
  pool?: number;
  /** The gc grace period the writer's Registry runs with. */
  gcGraceMs?: number;
}

// Writer processes are plain Node, so they run the built kit: next to this module when the kit
// runs from dist/, and the repository's dist/ when statekeep's own tests run it from src/.
const WRITER = fileURLToPath(
  new URL(import.meta.url.endsWith('.ts') ? '../../dist/conformance/writer.js' : './writer.js', import.meta.url),
);

/**
 * Runs one writer process to completion; resolves with the generation numbers it printed. A
 * crashing writer resolves with none once it is dead by SIGKILL, and rejects if it lived.
 */
export function runWriter(job: WriterJob): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRITER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const numbers = out.trim().split('\n').filter(Boolean).map(Number);
      if (job.crash === true) {
        if (signal === 'SIGKILL' && numbers.length === 0) resolve([]);
        else reject(new Error(`the crashing writer did not die mid-commit (exit ${code}, ${signal}): ${err.trim()}`));
      } else if (code !== 0) reject(new Error(`writer exited with ${code ?? signal}: ${err.trim()}`));
      else resolve(numbers);
    });
  });
}
