// statekeep verify on a posix registry against the plain loop it cannot beat: reading every blob
// file of the same registry and hashing it. Each verify is paired with a plain pass taken right
// before it, because the disk and the CPUs are shared and drift within a run.
// Run alone: node bench/run.js verify
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Layout } from '../dist/providers/posix/layout.js';
import { PosixProvider } from '../dist/providers/posix/posix-provider.js';
import { Registry } from '../dist/registry/registry.js';
import { ratios, time } from './report.js';

export const name = 'verify';

export const targets = {
  // Verify's throughput over the plain loop's: 1 is as fast, 0.8 is 80% of it.
  'verify.throughput_ratio': ['>=', 0.8],
};

const GENERATIONS = 8;
const STATES = 4;
const STATE_BYTES = 8 * 2 ** 20;
const RUNS = 5;

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'statekeep-bench-verify-'));
  try {
    const registry = new Registry(new PosixProvider({ path: join(dir, 'registry') }, { instance: 'bench' }));
    await registry.publishRelease('bench', '1.0.0', { payload: randomBytes(1024) });
    for (let g = 0; g < GENERATIONS; g++) {
      await registry.commit({
        project: 'bench',
        release: '1.0.0',
        mode: 'train',
        parent: null,
        states: Array.from({ length: STATES }, (_, a) => ({
          actor: `a${a}`,
          bytes: randomBytes(STATE_BYTES),
          codec: 'raw',
        })),
      });
    }
    const layout = new Layout(registry.descriptor.target);
    const files = [];
    for (const manifest of await registry.manifests('bench', '1.0.0'))
      for (const s of manifest.states) files.push(layout.blob('bench', s.digest));
    const plains = [];
    const verifies = [];
    let checkedBytes = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      const plain = await time(async () => {
        for (const file of files)
          createHash('sha256')
            .update(await readFile(file))
            .digest('hex');
      });
      const verify = await time(async () => {
        const summary = await registry.verify();
        if (summary.damaged + summary.missing > 0) throw new Error('the bench registry verified as damaged');
        checkedBytes = summary.bytes;
      });
      if (i > 0) {
        plains.push(plain);
        verifies.push(verify);
      }
    }
    // Samples, not medians, so that the report gives each figure's spread.
    return {
      'verify.baseline_ms': plains,
      'verify.registry_ms': verifies,
      'verify.mib_per_s': verifies.map((ms) => checkedBytes / 2 ** 20 / (ms / 1000)),
      'verify.throughput_ratio': ratios(plains, verifies),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
