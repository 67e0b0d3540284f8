import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CopyReport } from '../registry/copy.js';
import type { ProviderRecipe } from './target.js';

export interface CopyJob {
  source: ProviderRecipe;
  /** The source instance's name, as provenance records it. */
  sourceName: string;
  destination: ProviderRecipe;
  append?: boolean;
  /**
   * Die by SIGKILL at the destination provider's `call`-th method call (of `method` only, when
   * given): before it, during it, or after it resolved.
   */
  kill?: { call: number; when: 'before' | 'during' | 'after'; method?: string };
}

// Like the commit writer (writer-process.ts): plain Node runs the built kit, next to this module
// in dist/, or the repository's dist/ when statekeep's own tests run the kit from src/.
const COPY_WRITER = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts') ? '../../dist/conformance/copy-writer.js' : './copy-writer.js',
    import.meta.url,
  ),
);

/** The built posix provider, for a source registry a child process can open. */
export const POSIX_PROVIDER_MODULE = fileURLToPath(
  new URL(
    import.meta.url.endsWith('.ts')
      ? '../../dist/providers/posix/posix-provider.js'
      : '../providers/posix/posix-provider.js',
    import.meta.url,
  ),
);

/**
 * Runs one copy process. Resolves with its report when it finishes, or with null when it died
 * by SIGKILL as the job asked (it may finish first, if the copy needs fewer calls); rejects on
 * any other failure.
 */
export function runCopyWriter(job: CopyJob): Promise<CopyReport | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [COPY_WRITER, JSON.stringify(job)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (job.kill !== undefined && signal === 'SIGKILL') resolve(null);
      else if (code !== 0) reject(new Error(`copy process exited with ${code ?? signal}: ${err.trim()}`));
      else resolve(JSON.parse(out) as CopyReport);
    });
  });
}
