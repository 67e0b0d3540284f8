import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import { ConfigError } from '../../src/registry/errors/index.js';
import { loadPlatform, type LoadPlatformOptions } from '../../src/platform/index.js';
import type { PlatformConfig } from '../../src/platform/index.js';

/** A fresh directory with a `work` (the cwd) and a `home` inside, so no real ~/.statekeep is read. */
export function sandbox(): { root: string; cwd: string; home: string } {
  const root = mkdtempSync(path.join(os.tmpdir(), 'statekeep-platform-'));
  const cwd = path.join(root, 'work');
  const home = path.join(root, 'home');
  mkdirSync(cwd);
  mkdirSync(home);
  return { root, cwd, home };
}

export function write(file: string, text: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Loads with an explicit environment (never the test process's own). */
export function load(
  box: { cwd: string; home: string },
  options: Omit<LoadPlatformOptions, 'cwd' | 'home'> = {},
): Promise<PlatformConfig> {
  return loadPlatform({ env: {}, ...options, cwd: box.cwd, home: box.home });
}

/** Loads a platform file with the given text and returns the ConfigError it must cause. */
export async function configErrorOf(
  text: string,
  env: Record<string, string> = {},
): Promise<{ error: ConfigError; file: string }> {
  const box = sandbox();
  const file = write(path.join(box.cwd, 'platform.yaml'), text);
  const error = await load(box, { env }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return { error: error as ConfigError, file };
}
