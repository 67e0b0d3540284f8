import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleSource } from './fresh-build.js';

describe('the global setup check of dist/ against src/', () => {
  it('finds a source file whose compiled module is missing or older, and nothing once all are current', () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'statekeep-build-'));
    const file = (rel: string, at: number): void => {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), '');
      utimesSync(path.join(root, rel), at, at);
    };
    file('src/a/b.ts', 1000);
    file('src/types.d.ts', 3000);
    expect(staleSource(root)).toBe(path.join('src', 'a', 'b.ts'));
    file('dist/a/b.js', 999);
    expect(staleSource(root)).toBe(path.join('src', 'a', 'b.ts'));
    file('dist/a/b.js', 1000);
    // Declaration files compile to nothing.
    expect(staleSource(root)).toBeNull();
    rmSync(root, { recursive: true, force: true });
  });
});
