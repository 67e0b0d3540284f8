import { describe, expect, it } from 'vitest';
import { load, sandbox } from './helpers.js';

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
