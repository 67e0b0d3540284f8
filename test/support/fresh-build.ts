import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT } from './python-env.js';

const run = promisify(execFile);

/**
 * The first source file whose compiled module in dist/ is missing or older than it, or null when
 * dist/ is current. Child processes and the CLI's binary run dist/, so a stale one would test
 * yesterday's code.
 */
export function staleSource(root: string = ROOT): string | null {
  const src = path.join(root, 'src');
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const source = path.join(entry.parentPath, entry.name);
    // The web view's app (src/ui/app/: TSX, CSS, HTML) is bundled into one file by scripts/build-ui.js.
    const app = path.relative(path.join(src, 'ui', 'app'), source);
    const inApp = !app.startsWith('..') && !path.isAbsolute(app);
    if (!inApp && (!entry.name.endsWith('.ts') || entry.name.endsWith('.d.ts'))) continue;
    const built = inApp
      ? path.join(root, 'dist', 'ui', 'assets', 'app.js')
      : path.join(root, 'dist', path.relative(src, source)).replace(/\.ts$/, '.js');
    let builtAt: number;
    try {
      builtAt = statSync(built).mtimeMs;
    } catch {
      return path.relative(root, source);
    }
    if (builtAt < statSync(source).mtimeMs) return path.relative(root, source);
  }
  return null;
}

/** Builds dist/ when it is older than src/ (npm test builds it before; `npx vitest` does not). */
export async function ensureFreshBuild(log: (line: string) => void): Promise<void> {
  const stale = staleSource();
  if (stale === null) return;
  log(`dist/ is older than ${stale}: building it (npm run build) …`);
  try {
    // The build script, not tsc alone: it also bundles the startup libraries (scripts/bundle-startup.js).
    await run('npm', ['run', '--silent', 'build'], { cwd: ROOT });
  } catch (error) {
    const { stdout = '' } = error as { stdout?: string };
    throw new Error(`dist/ is stale and \`npm run build\` failed, so no test would run the current code:\n${stdout}`);
  }
  const still = staleSource();
  if (still !== null)
    throw new Error(`dist/ is still older than ${still} after a build: is something else writing src/?`);
}
