import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { statekeepInProcess } from '../cli/helpers.js';
import { sandbox } from '../platform/helpers.js';

const exec = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Inside the package (not under node_modules), so that `import 'statekeep'` resolves to the built
// package by its self-reference, as it does for a user who installed it.
const SCRIPTS = fileURLToPath(new URL(`./.examples-${process.pid}/`, import.meta.url));

/** Every fenced js block right after a `<!-- readme-example: NAME -->` marker, exactly as printed. */
function readmeExamples(): Map<string, string> {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const examples = new Map<string, string>();
  for (const match of readme.matchAll(/<!-- readme-example: ([\w-]+) -->\n```js\n([\s\S]*?)\n```/g))
    examples.set(match[1]!, match[2]!);
  return examples;
}

async function run(name: string, box: { cwd: string; home: string } = sandbox()): Promise<string> {
  if (!existsSync(path.join(ROOT, 'dist', 'index.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  mkdirSync(SCRIPTS, { recursive: true });
  const script = path.join(SCRIPTS, `${name}.mjs`);
  writeFileSync(script, readmeExamples().get(name)!);
  const { stdout } = await exec(process.execPath, [script], {
    cwd: box.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: box.home },
  });
  return stdout;
}

afterAll(() => rmSync(SCRIPTS, { recursive: true, force: true }));

describe("README's library examples, run exactly as printed", () => {
  it('are all found', () => {
    expect([...readmeExamples().keys()]).toEqual(['serving', 'retention', 'persistent-model', 'rows-in-memory']);
  });

  it('PersistentModel: saves generation 1 of a new project and loads it back', async () => {
    expect(await run('persistent-model')).toBe('saved means 1.0.0 generation 1\n[ 2, 4 ]\n');
  });

  it('serving: loads the generation @production holds, and follows it', async () => {
    // The README assumes a trained iris with an alias: the platform defaults, in a directory of its own.
    const box = sandbox();
    const example = path.join(ROOT, 'examples', 'iris');
    const data = path.join(example, 'data', 'iris.csv');
    expect((await statekeepInProcess(['train', example, '--data', data], box)).code).toBe(0);
    expect((await statekeepInProcess(['alias', 'set', 'iris', 'production', '1.0.0', '1'], box)).code).toBe(0);
    expect(await run('serving', box)).toBe("1 [ 'setosa' ]\n[ 'setosa' ]\n");
  });

  it('retention: prunes to tombstones, frees the blobs, keeps the numbers', async () => {
    expect(await run('retention')).toBe('[ 1, 2 ] 2\nkeepLast: 1\nNOT_FOUND true\n3\n');
  });

  it('rows in memory: trains and applies', async () => {
    expect(await run('rows-in-memory')).toBe('generation 1: mae 26.67\n[ 140 ]\n');
  });
});
