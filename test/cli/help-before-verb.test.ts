import { describe, expect, it } from 'vitest';
import { sandbox } from '../platform/helpers.js';
import { statekeepInProcess } from './helpers.js';

// Each command line loads only the verb it names; a --help before the verb asks for the program's
// help, which must still list every verb.
describe('a help option before a verb', () => {
  for (const help of ['--help', '-h']) {
    it(`${help} list prints the program's help with every verb`, async () => {
      const { code, stdout } = await statekeepInProcess([help, 'list'], sandbox());
      expect(code).toBe(0);
      expect(stdout).toContain('Usage: statekeep [options] [command]');
      for (const verb of ['release [dir]', 'train [options] <project>', 'show <project>', 'verify', 'config'])
        expect(stdout).toContain(verb);
    });
  }

  it("after the verb, prints that verb's help", async () => {
    const { code, stdout } = await statekeepInProcess(['--json', 'list', '--help'], sandbox());
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: statekeep list [options] [project] [release]');
  });
});
