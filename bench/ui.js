// statekeep ui's release page (GET /api/projects/P/releases/V: every manifest read and checked,
// every distinct state blob read and hashed) against the plain Registry reads it cannot beat:
// manifests() and readState() of each distinct blob, in this process, with no HTTP. Each page is
// paired with a plain pass taken right before it (the machine is shared and drifts).
// Run alone: node bench/run.js ui
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixProvider } from '../dist/providers/posix/posix-provider.js';
import { Registry } from '../dist/registry/registry.js';
import { createUiServer } from '../dist/ui/server.js';
import { ratios, time } from './report.js';

export const name = 'ui';

export const targets = {
  // The page's time over the plain reads': 1 is as fast; what it adds is JSON and HTTP.
  'ui.release_page_ratio': ['<=', 1.5],
};

const GENERATIONS = 40;
const STATES = 4;
const STATE_BYTES = 256 * 1024;
const RUNS = 7;

function get(port, path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () =>
        res.statusCode === 200 ? resolve(Buffer.concat(chunks)) : reject(new Error(`GET ${path}: ${res.statusCode}`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'statekeep-bench-ui-'));
  const registry = new Registry(new PosixProvider({ path: join(dir, 'registry') }, { instance: 'bench' }));
  const server = createUiServer(registry);
  try {
    await registry.publishRelease('bench', '1.0.0', { payload: randomBytes(1024) });
    // A warm-started line: each generation changes one state and keeps the others' blobs.
    let states = Array.from({ length: STATES }, (_, a) => ({
      actor: `a${a}`,
      bytes: randomBytes(STATE_BYTES),
      codec: 'raw',
    }));
    for (let g = 1; g <= GENERATIONS; g++) {
      states = states.map((s, a) => (a === g % STATES ? { ...s, bytes: randomBytes(STATE_BYTES) } : s));
      await registry.commit({
        project: 'bench',
        release: '1.0.0',
        mode: 'train',
        parent: g === 1 ? null : g - 1,
        metrics: { accuracy: g / GENERATIONS },
        states,
      });
    }
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address();
    const plains = [];
    const pages = [];
    const generations = [];
    for (let i = 0; i < RUNS + 1; i++) {
      const plain = await time(async () => {
        const manifests = await registry.manifests('bench', '1.0.0');
        const seen = new Set();
        for (const m of manifests)
          for (const s of m.states)
            if (!seen.has(s.digest)) {
              seen.add(s.digest);
              await registry.readState(m, s.actor);
            }
      });
      const page = await time(() => get(port, '/api/projects/bench/releases/1.0.0'));
      const one = await time(() => get(port, `/api/projects/bench/releases/1.0.0/generations/${GENERATIONS}`));
      if (i > 0) {
        plains.push(plain);
        pages.push(page);
        generations.push(one);
      }
    }
    return {
      'ui.release_plain_reads_ms': plains,
      'ui.release_page_ms': pages,
      'ui.release_page_ratio': ratios(pages, plains),
      'ui.generation_page_ms': generations,
    };
  } finally {
    server.close();
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  }
}
