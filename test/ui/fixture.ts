import { cp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PosixProvider } from '../../src/providers/posix/posix-provider.js';
import { Registry } from '../../src/registry/registry.js';
import { statekeepInProcess, workspace } from '../cli/helpers.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/iris/', import.meta.url));
const data = (file: string): string => path.join(EXAMPLE, 'data', file);

export interface DemoRegistry {
  cwd: string;
  home: string;
  registryPath: string;
  /** A Registry over the same files, to read what the page should show. */
  open(): Registry;
}

/**
 * A posix registry made as `npm run demo` makes it, through the CLI: iris 1.0.0 #1 train on the
 * early rows, #2 train --since-last (warm start from #1), #3 tune, #4 rollback to #1, alias
 * production set at #4; then, as a team moves on, release 1.1.0 (the example with its version
 * bumped) #1 trained on all rows, and production moved there: an alias that crossed releases.
 */
export async function demoRegistry(): Promise<DemoRegistry> {
  const ws = workspace();
  const run = async (args: string[]): Promise<string> => {
    const outcome = await statekeepInProcess(args, ws);
    if (outcome.code !== 0) throw new Error(`statekeep ${args.join(' ')} failed: ${outcome.stderr}`);
    return outcome.stdout.trim();
  };
  await run(['train', EXAMPLE, '--data', data('iris-early.csv')]);
  await run(['train', 'iris', '--data', data('iris.csv'), '--since-last']);
  await run(['tune', 'iris', '--data', data('iris.csv')]);
  await run(['rollback', 'iris', '1.0.0', '--to', '1']);
  await run([
    'alias',
    'set',
    'iris',
    'production',
    '1.0.0',
    '4',
    '--expect-unset',
    '--reason',
    'rolled back to the first training',
  ]);
  const next = path.join(ws.cwd, 'iris-next');
  await cp(EXAMPLE, next, { recursive: true });
  const pkg = path.join(next, 'package.json');
  await writeFile(pkg, (await readFile(pkg, 'utf8')).replace('"version": "1.0.0"', '"version": "1.1.0"'));
  await run(['train', next, '--data', data('iris.csv')]);
  await run(['alias', 'set', 'iris', 'production', '1.1.0', '1', '--reason', 'release 1.1.0 trained on all rows']);
  return {
    cwd: ws.cwd,
    home: ws.home,
    registryPath: ws.registryPath,
    open: () => new Registry(new PosixProvider({ path: ws.registryPath })),
  };
}
