import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CborStateCodec } from '../../src/codec/cbor-state-codec.js';
import { STATEKEEP_VERSION } from '../../src/version.js';
import { PYTHON } from '../support/python-env.js';
import { META } from './helpers.js';

const run = promisify(execFile);
const READER = fileURLToPath(new URL('./read_state.py', import.meta.url));

const STATE = {
  mean: Float64Array.of(1.5, -2.25, NaN, -0, Infinity),
  counts: Int32Array.of(-1, 2, 2 ** 31 - 1),
  raw: Uint8Array.of(1, 2, 255),
  wide: BigInt64Array.of(-5n, 2n ** 62n),
  half: Float32Array.of(0.5, -8),
  name: 'iris ✓ 😀',
  n: 150,
  neg: -0,
  flags: [true, false, null, undefined],
  vocab: new Map<string | number, unknown>([
    ['a', 1],
    [2, Float64Array.of(0.25)],
  ]),
  labels: new Set(['y', 'x']),
  at: new Date('2026-11-23T13:00:00.250Z'),
  huge: 2n ** 70n,
  small: -3n,
  'a b': [{ deep: [1.25, 'ü'] }],
};

describe('Python interop: cbor2 and the standard library read a state from the spec alone', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'statekeep-codec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const compression of ['none', 'gzip'] as const) {
    it(`a ${compression} blob reads in Python with its header, typed arrays as little-endian bytes, and every value`, async () => {
      const file = path.join(dir, `${compression}.state`);
      await writeFile(file, await new CborStateCodec({ compression }).encode(STATE, META));
      const { stdout } = await run(PYTHON, [READER, file]);
      const read = JSON.parse(stdout) as {
        format: number;
        header: Record<string, unknown>;
        state: Record<string, unknown>;
      };
      expect(read.format).toBe(1);
      expect(read.header).toEqual({
        statekeep: STATEKEEP_VERSION,
        actor: 'scaler',
        stateVersion: 3,
        encoding: 'cbor',
        compression,
        size: expect.any(Number),
      });
      expect(read.state).toEqual({
        mean: { typed: 86, values: [1.5, -2.25, { float: 'nan' }, { float: '-0.0' }, { float: 'inf' }] },
        counts: { typed: 78, values: [-1, 2, 2 ** 31 - 1] },
        raw: { typed: 64, values: [1, 2, 255] },
        wide: { typed: 79, values: [-5, { int: String(2n ** 62n) }] },
        half: { typed: 85, values: [0.5, -8] },
        name: 'iris ✓ 😀',
        n: 150,
        neg: { float: '-0.0' },
        flags: [true, false, null, { undefined: true }],
        vocab: {
          map: [
            ['a', 1],
            [2, { typed: 86, values: [0.25] }],
          ],
        },
        labels: { set: ['x', 'y'] },
        at: { datetime: '2026-11-23T13:00:00.250000+00:00' },
        huge: { int: String(2n ** 70n) },
        small: -3,
        'a b': [{ deep: [1.25, 'ü'] }],
      });
    });
  }
});
