import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const CLOCK = (): Date => new Date('2026-03-04T05:06:07.000Z');

/** Writes a small TypeScript project with a CommonJS dependency into a fresh temp directory. */
export async function makeProject(
  options: { name?: string; version?: string; answer?: number; pkg?: Record<string, unknown>; git?: boolean } = {},
): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-project-'));
  await writeProject(dir, options);
  if (options.git) {
    const git = (...args: string[]): void => void execFileSync('git', args, { cwd: dir, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'init');
  }
  return dir;
}

export async function writeProject(
  dir: string,
  options: { name?: string; version?: string; answer?: number; pkg?: Record<string, unknown> } = {},
): Promise<void> {
  await mkdir(path.join(dir, 'src'), { recursive: true });
  await mkdir(path.join(dir, 'node_modules', 'padder'), { recursive: true });
  await writeFile(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: options.name ?? 'demo',
        version: options.version ?? '1.0.0',
        statekeep: { entry: 'src/index.ts' },
        engines: { node: '>=20' },
        ...options.pkg,
      },
      null,
      2,
    ),
  );
  // A CommonJS dependency that itself requires a Node built-in, as real dependencies do.
  await writeFile(
    path.join(dir, 'node_modules', 'padder', 'package.json'),
    JSON.stringify({ name: 'padder', version: '1.0.0', main: 'index.js' }),
  );
  await writeFile(
    path.join(dir, 'node_modules', 'padder', 'index.js'),
    "const { sep } = require('node:path');\nmodule.exports = (s, n) => String(s).padStart(n, '0') + (sep === '/' ? '' : '');\n",
  );
  await writeFile(
    path.join(dir, 'src', 'index.ts'),
    `import pad from 'padder';\nconst answer: number = ${options.answer ?? 42};\nexport default { answer, padded: pad(answer, 5) };\n`,
  );
}
