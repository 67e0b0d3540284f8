import { describe, expect, it } from 'vitest';
import { colorEnabled, formatBytes, Output } from '../../src/cli/output.js';
import { StatusLine } from '../../src/cli/status-line.js';

describe('output for people', () => {
  it('aligns table columns, right-aligning numbers, with capitalised headers', () => {
    let text = '';
    new Output({ write: (t: string) => (text += t) }, false).table(
      [
        { header: 'name', value: (r: { name: string; n: number }) => r.name },
        { header: 'n', value: (r) => String(r.n), align: 'right' },
      ],
      [
        { name: 'a', n: 100 },
        { name: 'longer', n: 2 },
      ],
    );
    expect(text).toBe('NAME      N\na       100\nlonger    2\n');
  });

  it('gives sizes in binary units', () => {
    expect([0, 1023, 1024, 1536, 20 * 1024 ** 2, 3 * 1024 ** 3].map(formatBytes)).toEqual([
      '0 B',
      '1023 B',
      '1.0 KiB',
      '1.5 KiB',
      '20.0 MiB',
      '3.0 GiB',
    ]);
  });

  it('colours only a terminal, without NO_COLOR, and not TERM=dumb', () => {
    expect(colorEnabled({ write: () => {}, isTTY: true }, {})).toBe(true);
    expect(colorEnabled({ write: () => {}, isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled({ write: () => {}, isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(colorEnabled({ write: () => {}, isTTY: true }, { TERM: 'dumb' })).toBe(false);
    expect(colorEnabled({ write: () => {} }, {})).toBe(false);
  });
});

describe('progress on stderr', () => {
  it('rewrites one line on a terminal and clears it when done', () => {
    let text = '';
    const progress = new StatusLine({ write: (t: string) => (text += t) }, true);
    progress.update('training 1/3');
    progress.update('training 2/3');
    progress.done();
    expect(text).toBe('\r\x1b[2Ktraining 1/3\r\x1b[2Ktraining 2/3\r\x1b[2K');
  });

  it('writes nothing when disabled (not a terminal, or --json)', () => {
    let text = '';
    const progress = new StatusLine({ write: (t: string) => (text += t) }, false);
    progress.update('training 1/3');
    progress.done();
    expect(text).toBe('');
  });
});
