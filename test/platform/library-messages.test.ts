import { describe, expect, it } from 'vitest';
import { load, sandbox } from './helpers.js';
import { errorLines, statekeepInProcess } from '../cli/helpers.js';

// The library is called with options, not flags: its messages name no flag of the CLI.
describe('loadPlatform with an unknown registry instance', () => {
  it('names the instance, not the --registry flag', async () => {
    const error = (await load(sandbox(), { registry: 'scrach' }).catch((e: unknown) => e)) as Error & {
      code: string;
      hint: string;
    };
    expect(error.code).toBe('USAGE');
    expect(error.message).toContain('"scrach"');
    expect(`${error.message} ${error.hint}`).not.toMatch(/--[a-z]/);
  });
});

describe('loadPlatform with a platform file that is not there', () => {
  it('names no flag; the command line adds --platform to its hint', async () => {
    const box = sandbox();
    const error = (await load(box, { platformFile: 'nope.yaml' }).catch((e: unknown) => e)) as Error & {
      code: string;
      hint: string;
      data: Record<string, unknown>;
    };
    expect(error).toMatchObject({
      code: 'CONFIG',
      data: { problem: 'platform file not found', argument: 'platformFile' },
    });
    expect(`${error.message} ${error.hint}`).not.toMatch(/--[a-z]/);
    const cli = await statekeepInProcess(['--platform', 'nope.yaml', 'list'], box);
    expect(cli.code).toBe(2);
    expect(errorLines(cli.stderr).hint).toBe('check the platform file path given (option --platform)');
  });
});
