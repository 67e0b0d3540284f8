import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The git commit a project directory is at, and whether it has uncommitted changes; nulls outside git. */
export async function sourceCommit(dir: string): Promise<{ commit: string | null; dirty: boolean | null }> {
  try {
    const { stdout: head } = await run('git', ['rev-parse', '--verify', 'HEAD'], { cwd: dir });
    const { stdout: status } = await run('git', ['status', '--porcelain', '--', '.'], { cwd: dir });
    return { commit: head.trim(), dirty: status.trim().length > 0 };
  } catch {
    // Not a repository, no commits yet, or no git at all: the package simply records no commit.
    return { commit: null, dirty: null };
  }
}
