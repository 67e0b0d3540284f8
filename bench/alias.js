// Resolving @production must cost the same however often the alias moved: an alias moved 10 times
// against one moved 1,000 times on a posix registry, next to resolving @latest (the newest generation).
// Run alone: node bench/run.js alias
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PosixProvider } from '../dist/providers/posix/posix-provider.js';
import { Registry } from '../dist/registry/registry.js';
import { ratios, time } from './report.js';

export const name = 'alias';

export const targets = {
  // After 1,000 moves against after 10: flat means about 1.
  'alias.resolve_growth_ratio': ['<=', 1.5],
};

const EARLY = 10;
const MOVES = 1000;
const RESOLVES = 200;
const SAMPLES = 9;

export async function run() {
  const dir = await mkdtemp(join(tmpdir(), 'statekeep-bench-alias-'));
  try {
    const registry = new Registry(new PosixProvider({ path: join(dir, 'registry') }, { instance: 'bench' }));
    await registry.publishRelease('bench', '1.0.0', { payload: randomBytes(1024) });
    for (let g = 0; g < 3; g++)
      await registry.commit({
        project: 'bench',
        release: '1.0.0',
        mode: 'train',
        parent: null,
        states: [{ actor: 'a', bytes: randomBytes(64), codec: 'raw' }],
      });
    const move = (alias, i) => registry.setAlias('bench', alias, { release: '1.0.0', generation: 1 + (i % 3) });
    // Two aliases, one moved 10 times and one 1,000 times, measured in alternation once both are
    // written, so neither figure gets the colder JIT or the busier disk.
    for (let i = 0; i < EARLY; i++) await move('staging', i);
    for (let i = 0; i < MOVES; i++) await move('production', i);
    const target = await registry.resolveAlias('bench', 'production');
    if (target.generation !== 1 + ((MOVES - 1) % 3)) throw new Error('@production resolved to the wrong generation');
    const samples = { staging: [], production: [], latest: [] };
    for (let pass = 0; pass < SAMPLES + 2; pass++) {
      for (const alias of Object.keys(samples)) {
        const ms = await time(async () => {
          for (let i = 0; i < RESOLVES; i++) await registry.resolveAlias('bench', alias);
        });
        if (pass >= 2) samples[alias].push(ms / RESOLVES);
      }
    }
    // Samples, not medians, so that the report gives each figure's spread; the ratio pairs the two
    // aliases pass by pass.
    return {
      'alias.resolve_early_ms': samples.staging,
      'alias.resolve_ms': samples.production,
      'alias.resolve_latest_ms': samples.latest,
      'alias.resolve_growth_ratio': ratios(samples.production, samples.staging),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
