// node bench/run.js copy: copies a release of 4 × 16 MiB states from a posix registry into a real
// MLflow server (statekeep's copy: read and verify from posix, store and verify into MLflow,
// publish the record and the manifest), against the MLflow provider committing the same states
// directly (publishRelease + commit through Registry + MlflowProvider). Same server, same run;
// each round a fresh project on both sides, so both upload every byte; the order alternates.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { copyRegistry } from '../dist/registry/copy.js';
import { Registry } from '../dist/registry/registry.js';
import { MlflowProvider } from '../dist/providers/mlflow/mlflow-provider.js';
import { PosixProvider } from '../dist/providers/posix/posix-provider.js';
import { startServer } from './mlflow.js';
import { ratios, time } from './report.js';

export const name = 'copy';
export const targets = { 'copy.posix_to_mlflow_ratio': ['<=', 1.2] };

const STATES = 4;
const STATE_BYTES = 16 * 2 ** 20;
const ROUNDS = 5;

export async function run() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'statekeep-bench-copy-'));
  const server = await startServer(dir);
  const source = new Registry(new PosixProvider({ path: path.join(dir, 'posix') }));
  try {
    const copies = [];
    const directs = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const states = Array.from({ length: STATES }, (_, s) => ({
        actor: `actor-${s}`,
        bytes: randomBytes(STATE_BYTES),
        codec: 'raw',
      }));
      const payload = randomBytes(1024);
      const project = `bench-${i}`;
      // The source release, made beforehand: what the copy reads.
      await source.publishRelease(project, '1.0.0', { payload });
      await source.commit({ project, release: '1.0.0', mode: 'train', parent: null, states });
      // A fresh Registry per measurement, as every CLI command has.
      const direct = () => {
        const registry = new Registry(new MlflowProvider({ uri: server.uri, namespace: 'direct' }));
        return time(async () => {
          await registry.publishRelease(project, '1.0.0', { payload });
          await registry.commit({ project, release: '1.0.0', mode: 'train', parent: null, states });
        });
      };
      const copy = () => {
        const from = new Registry(new PosixProvider({ path: path.join(dir, 'posix') }));
        const to = new Registry(new MlflowProvider({ uri: server.uri, namespace: 'copy' }));
        return time(async () => {
          const report = await copyRegistry(
            { registry: from, name: 'posix' },
            { registry: to, name: 'mlflow' },
            { project },
          );
          if (report.copied.generations !== 1) throw new Error(`copied ${report.copied.generations} generations`);
        });
      };
      const [first, second] = i % 2 === 0 ? [direct, copy] : [copy, direct];
      const a = await first();
      const b = await second();
      const [directMs, copyMs] = i % 2 === 0 ? [a, b] : [b, a];
      // Round 0 warms both sides up (imports, connections, the server's lazy setup).
      if (i > 0) {
        directs.push(directMs);
        copies.push(copyMs);
      }
    }
    return {
      'copy.posix_to_mlflow_ms': copies,
      'copy.mlflow_commit_ms': directs,
      'copy.posix_to_mlflow_ratio': ratios(copies, directs),
    };
  } finally {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
