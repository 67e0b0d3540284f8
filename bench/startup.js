// Start-up cost: `statekeep list` on an empty posix registry, `statekeep show` of a generation
// and a plain `import 'statekeep'`, each a fresh node process, next to `node -e ""` in the same
// run (the floor no command beats); the *_over_node figures are ratios to that floor.
// Runs alternate between the three so that drift on a shared machine hits each alike.
// Run alone: node bench/run.js startup
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, round, time } from './report.js';

export const name = 'startup';

export const targets = {
  'cli.list_empty_ms': ['<=', 250],
  'cli.show_ms': ['<=', 300],
  'lib.import_ms': ['<=', 100],
};

const RUNS = 9;
const BIN = fileURLToPath(new URL('../bin/statekeep.js', import.meta.url));
const INDEX = new URL('../dist/index.js', import.meta.url).href;
const exec = promisify(execFile);

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'statekeep-bench-startup-'));
  try {
    await writeFile(
      join(dir, 'platform.yaml'),
      'registry:\n  default: empty\n  instances:\n    empty: { provider: posix, path: ./registry }\n',
    );
    // A registry with one generation for `show`, written through the built library.
    const { Registry } = await import(new URL('../dist/registry/registry.js', import.meta.url).href);
    const { PosixProvider } = await import(new URL('../dist/providers/posix/posix-provider.js', import.meta.url).href);
    const registry = new Registry(new PosixProvider({ path: join(dir, 'shown') }));
    await registry.publishRelease('iris', '1.0.0', { payload: new Uint8Array([1]) });
    await registry.commit({
      project: 'iris',
      release: '1.0.0',
      mode: 'train',
      parent: null,
      metrics: { accuracy: 0.9 },
      states: [{ actor: 'model', bytes: new Uint8Array(64), codec: 'raw' }],
    });
    await registry.close();
    await writeFile(
      join(dir, 'show.yaml'),
      'registry:\n  default: shown\n  instances:\n    shown: { provider: posix, path: ./shown }\n',
    );
    const env = { ...process.env, NO_COLOR: '1' };
    delete env.STATEKEEP_PLATFORM;
    const options = { cwd: dir, env };
    const commands = {
      'cli.node_baseline_ms': ['-e', ''],
      'cli.list_empty_ms': [BIN, 'list'],
      'cli.show_ms': [BIN, '--platform', join(dir, 'show.yaml'), 'show', 'iris'],
      'lib.import_process_ms': ['--input-type=module', '-e', `await import(${JSON.stringify(INDEX)})`],
    };
    // What a program pays for importing statekeep, timed inside the process: Node's own start
    // (cli.node_baseline_ms) is the same with or without statekeep.
    const importScript = `const t = performance.now(); await import(${JSON.stringify(INDEX)}); process.stdout.write(String(performance.now() - t));`;
    const imports = [];
    const times = Object.fromEntries(Object.keys(commands).map((key) => [key, []]));
    // One unmeasured round warms the file cache.
    for (let i = 0; i < RUNS + 1; i++) {
      for (const [key, args] of Object.entries(commands)) {
        const ms = await time(() => exec(process.execPath, args, options));
        if (i > 0) times[key].push(ms);
      }
      const { stdout } = await exec(process.execPath, ['--input-type=module', '-e', importScript], options);
      if (i > 0) imports.push(Number(stdout));
    }
    times['lib.import_ms'] = imports;
    const out = {};
    for (const [key, values] of Object.entries(times)) {
      out[key] = round(median(values), 1);
      out[`${key.replace(/_ms$/, '')}_spread_ms`] = round(Math.max(...values) - Math.min(...values), 1);
    }
    for (const key of ['cli.list_empty_ms', 'cli.show_ms'])
      out[`${key.replace(/_ms$/, '')}_over_node`] = round(out[key] / out['cli.node_baseline_ms'], 2);
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
