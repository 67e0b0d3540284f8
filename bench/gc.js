// statekeep gc on a posix registry of 10,000 generations (10 releases of 1,000) whose states
// share 1,000 blobs: the steady-state run that finds everything referenced (it reads every
// manifest and lists every blob), a dry run of a policy that would prune 90% of it, against the
// plain loop gc cannot beat: reading and parsing every manifest file. Each gc is paired with a
// plain pass taken right before it.
// Run alone: node bench/run.js gc
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixProvider } from '../dist/providers/posix/posix-provider.js';
import { Registry } from '../dist/registry/registry.js';
import { retentionPolicy } from '../dist/registry/retention.js';
import { ratios, time } from './report.js';

export const name = 'gc';

const RELEASES = 10;
const PER_RELEASE = 1000;
const BLOBS = 1000;
const RUNS = 5;

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'statekeep-bench-gc-'));
  try {
    const root = join(dir, 'registry');
    const registry = new Registry(new PosixProvider({ path: root }, { instance: 'bench' }));
    const versions = Array.from({ length: RELEASES }, (_, r) => `1.${r}.0`);
    for (const v of versions) await registry.publishRelease('bench', v, { payload: new TextEncoder().encode(v) });
    // Releases fill in parallel (no two writers share a release), commits within one in order.
    const built = performance.now();
    await Promise.all(
      versions.map(async (v, r) => {
        for (let g = 0; g < PER_RELEASE; g++) {
          await registry.commit({
            project: 'bench',
            release: v,
            mode: 'train',
            parent: null,
            states: [
              {
                actor: 'model',
                bytes: new TextEncoder().encode(`state ${(r * PER_RELEASE + g) % BLOBS}`),
                codec: 'raw',
              },
            ],
          });
        }
      }),
    );
    const buildMs = performance.now() - built;
    const generationsDir = (v) => join(root, 'v1', 'projects', 'bench', 'releases', v, 'generations');
    const plain = async () => {
      for (const v of versions)
        for (const file of await readdir(generationsDir(v)))
          if (file.endsWith('.json')) JSON.parse(await readFile(join(generationsDir(v), file), 'utf8'));
    };
    const policy = retentionPolicy({ keepLast: 100 }, 'retention', 'bench');
    const plains = [];
    const sweeps = [];
    const dryRuns = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const base = await time(plain);
      let report;
      const sweep = await time(async () => {
        report = await registry.gc();
      });
      if (report.blobsReferenced !== BLOBS + RELEASES || report.blobsDeleted !== 0)
        throw new Error(`the bench registry swept as ${JSON.stringify(report)}`);
      const dry = await time(async () => {
        report = await registry.gc({ dryRun: true, policyFor: () => policy });
      });
      if (report.pruned.length !== RELEASES * (PER_RELEASE - 100)) throw new Error('the dry run pruned too little');
      if (i > 0) {
        plains.push(base);
        sweeps.push(sweep);
        dryRuns.push(dry);
      }
    }
    return {
      'gc.fixture_build_ms': Math.round(buildMs),
      'gc.baseline_ms_10k': plains,
      'gc.sweep_ms_10k': sweeps,
      'gc.dry_run_ms_10k': dryRuns,
      'gc.sweep_ratio': ratios(sweeps, plains),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
