// npm run demo: the main job, through the real CLI, on the embedded default registry (posix
// under ./.statekeep of the working directory). It works in .statekeep-demo/, which it owns and
// starts afresh, so the generation numbers below are the same on every run.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const work = path.join(root, '.statekeep-demo');
const bin = path.join(root, 'bin', 'statekeep.js');
// Paths are given relative to the working directory, as a user would type them.
const example = path.join('..', 'examples', 'iris');
const data = (file) => path.join(example, 'data', file);

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

function statekeep(title, args, { quiet = false } = {}) {
  if (title) console.log(`\n── ${title}`);
  if (!quiet) console.log(`$ statekeep ${args.join(' ')}`);
  // HOME points into the demo too, so no ~/.statekeep/platform.yaml of the user's takes part.
  const run = spawnSync(process.execPath, [bin, ...args], {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', HOME: work },
  });
  if (!quiet || run.status !== 0) {
    process.stdout.write(run.stdout);
    process.stdout.write(run.stderr);
  }
  if (run.status !== 0) {
    console.error(`\ndemo failed: statekeep exited with ${run.status}`);
    process.exit(1);
  }
  return run.stdout.trim();
}

function expect(what, actual, wanted) {
  if (String(actual) !== String(wanted)) {
    console.error(`\ndemo failed: ${what} is ${actual}, expected ${wanted}`);
    process.exit(1);
  }
}

console.log(
  `statekeep demo: the iris example (examples/iris) in ${path.relative(root, work)}/, registry: posix (the default)`,
);
expect(
  'generation',
  statekeep('1. train on the first 100 rows → generation 1', ['train', example, '--data', data('iris-early.csv')]),
  1,
);
expect(
  'generation',
  statekeep('2. train again on the 50 rows measured since → generation 2 (warm-started from 1)', [
    'train',
    'iris',
    '--data',
    data('iris.csv'),
    '--since-last',
  ]),
  2,
);
expect(
  'generation',
  statekeep('3. tune: grid search on a holdout split, best candidate retrained on all rows → generation 3', [
    'tune',
    'iris',
    '--data',
    data('iris.csv'),
  ]),
  3,
);
statekeep('4. list the generations of release 1.0.0', ['list', 'iris', '1.0.0']);
expect(
  'generation',
  statekeep('5. roll back to generation 1 → generation 4', ['rollback', 'iris', '1.0.0', '--to', '1']),
  4,
);
statekeep('6. apply generation 4, and generation 1, to all 150 rows', [
  'apply',
  'iris',
  '1.0.0',
  '4',
  '--data',
  data('iris.csv'),
  '--out',
  'generation-4.csv',
]);
statekeep(null, ['apply', 'iris', '1.0.0', '1', '--data', data('iris.csv'), '--out', 'generation-1.csv']);

statekeep('7. point the alias production at generation 4, only if it is unset (compare-and-swap)', [
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
statekeep(null, ['show', 'iris', '@production']);
statekeep('8. verify: hash every blob, parse every manifest, record and alias entry', ['verify', 'iris']);

const four = readFileSync(path.join(work, 'generation-4.csv'), 'utf8');
const one = readFileSync(path.join(work, 'generation-1.csv'), 'utf8');
const manifests = JSON.parse(statekeep(null, ['--json', 'list', 'iris', '1.0.0'], { quiet: true }));
const digests = (n) =>
  JSON.parse(statekeep(null, ['--json', 'show', 'iris', '1.0.0', String(n)], { quiet: true })).states.map(
    (s) => s.digest,
  );
expect('generation 4 predictions equal generation 1 predictions', four === one, true);
expect(
  'generation 4 state digests equal generation 1 state digests',
  JSON.stringify(digests(4)) === JSON.stringify(digests(1)),
  true,
);
console.log(
  `\n✓ generation 4 (rollback of 1) reuses generation 1's ${digests(1).length} state digests and gives identical predictions for all ${four.trim().split('\n').length - 1} rows`,
);
console.log(
  `✓ ${manifests.length} generations in ${path.relative(root, work)}/.statekeep/registry; look around: cd ${path.relative(process.cwd(), work) || '.'} && npx statekeep list iris 1.0.0`,
);
