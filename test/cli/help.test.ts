import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox, write } from '../platform/helpers.js';
import { statekeep, statekeepInProcess } from './helpers.js';

const run = promisify(execFile);
const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('statekeep --help', () => {
  it('lists the global options and every verb, and exits 0', async () => {
    const { code, stdout, stderr } = await statekeepInProcess(['--help'], sandbox());
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    for (const option of ['--platform <file>', '--registry <name>', '--json', '--debug'])
      expect(stdout).toContain(option);
    for (const verb of [
      'list [project] [release]',
      'show <project> [release] [generation]',
      'rollback [options] <project> [release]',
      'completion <shell>',
      'version',
      'cleanup',
      'config',
    ])
      expect(stdout).toContain(verb);
    for (const verb of [
      'release [dir]',
      'train [options] <project>',
      'tune [options] <project>',
      'apply [options] <project> [release] [generation]',
    ])
      expect(stdout).toContain(verb);
  });

  it('runs as `npx statekeep` from the repository, as right after npm ci', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const { stdout } = await run('npx', ['--no-install', 'statekeep', '--help'], { cwd: root, timeout: 60_000 });
    expect(stdout).toContain('Usage: statekeep');
    expect(stdout).toContain('train [options] <project>');
  });

  it('works whatever the platform file says: help does not load it', async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'platform.yaml'), 'registry: [broken\n');
    expect((await statekeepInProcess(['--help'], box)).code).toBe(0);
    expect((await statekeepInProcess(['rollback', '--help'], box)).stdout).toContain('--to <generation>');
  });

  it('--version prints the package version', async () => {
    expect(await statekeep(['--version'], sandbox())).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('without a command, shows the help on stderr and exits 2', async () => {
    const { code, stdout, stderr } = await statekeep([], sandbox());
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(stderr).toContain('Usage: statekeep');
  });

  it('without a command but with --json, writes one JSON error instead of the help', async () => {
    const { code, stdout, stderr } = await statekeepInProcess(['--json'], sandbox());
    expect({ code, stdout }).toEqual({ code: 2, stdout: '' });
    expect(JSON.parse(stderr)).toMatchObject({ error: { code: 'USAGE', data: { commander: 'commander.help' } } });
  });
});
