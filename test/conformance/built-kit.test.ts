import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const SCRIPT = path.resolve('test/conformance/built-kit.mjs');

describe('statekeep/conformance, built', () => {
  it("runs from dist/ under another test runner (node:test), the way a provider's author runs it, and writes its report", async () => {
    const report = path.join(mkdtempSync(path.join(os.tmpdir(), 'statekeep-kit-')), 'report.json');
    const { stdout } = await promisify(execFile)(process.execPath, ['--test', '--test-reporter=tap', SCRIPT], {
      env: { ...process.env, CONFORMANCE_REPORT: report },
    });
    // Every area ran under node:test, and nothing failed or was skipped.
    expect(stdout).toMatch(/^# fail 0$/m);
    expect(stdout).toMatch(/^# skipped 0$/m);
    expect(stdout).toContain('ok 1 - memory provider conformance');
    expect(stdout).toContain('# Subtest: reports what the provider supports');
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({
      provider: 'memory provider',
      level: 'required',
      complete: true,
      required: { status: 'passed', failed: 0 },
      capabilities: {
        latestGeneration: { status: 'absent' },
        cleanup: { status: 'absent' },
        processes: { status: 'absent' },
        aliases: { status: 'absent' },
        aliasProcesses: { status: 'absent' },
      },
    });
  });
});
