import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { BIN } from '../cli/helpers.js';
import { ensureDebianPackage } from '../support/debian-package.js';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, with a fresh profile and nothing of its own on the network
 * (no background networking, component updates, sync or QUIC). Installs the package as root
 * (CI), otherwise names it.
 */
export async function launchChromium(): Promise<BrowserContext> {
  await ensureDebianPackage(CHROMIUM, ['chromium', 'chromium-driver'], (line) =>
    process.stderr.write(`[ui] ${line}\n`),
  );
  const profile = mkdtempSync(path.join(os.tmpdir(), 'statekeep-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1366, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface RunningUi {
  url: string;
  /** What it printed on stdout: the URL, or with --json a JSON object. */
  printed: string;
  process: ChildProcess;
  stderr(): string;
  /** Sends the signal and resolves with how the process ended. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `statekeep ui --port 0 …` as a real process (dist/), once it has printed its URL. */
export function startUi(where: { cwd: string; home: string }, args: string[] = []): Promise<RunningUi> {
  const child = spawn(process.execPath, [BIN, 'ui', '--port', '0', ...args], {
    cwd: where.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: where.home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = printedUrl(stdout);
      if (url !== undefined)
        resolve({
          url,
          printed: stdout,
          process: child,
          stderr: () => stderr,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return ended;
          },
        });
    });
    void ended.then(({ code }) =>
      reject(new Error(`statekeep ui exited with ${code} before printing a URL: ${stderr}`)),
    );
  });
}

/** The URL in what `statekeep ui` printed so far, once it is whole: a line, or --json's object. */
function printedUrl(stdout: string): string | undefined {
  if (!stdout.trimStart().startsWith('{')) return /^(http:\/\/\S+)\n/m.exec(stdout)?.[1];
  try {
    const { url } = JSON.parse(stdout) as { url?: unknown };
    return typeof url === 'string' ? url : undefined;
  } catch {
    return undefined;
  }
}
