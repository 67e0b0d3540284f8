import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sandbox, write } from '../platform/helpers.js';
import { statekeepInProcess } from './helpers.js';

// A third-party provider that quotes its token when it refuses it: the error's data holds the
// token, and with --json the data is written as JSON, where a quote or backslash is escaped.
const PROVIDER = `export default class Refusing {
  constructor(options) { throw new Error('token rejected: ' + options.token); }
}
`;

describe('an error whose data holds a secret', () => {
  it('is written with --json without the secret, also when JSON escapes it', async () => {
    const box = sandbox();
    write(path.join(box.cwd, 'refusing.mjs'), PROVIDER);
    write(
      path.join(box.cwd, 'platform.yaml'),
      'registry:\n  default: team\n  instances:\n    team: { provider: ./refusing.mjs, token: "${TOKEN}" }\n',
    );
    const secret = 'to"ken\\value';
    for (const args of [['list', '--json'], ['list']]) {
      const { code, stderr } = await statekeepInProcess(args, box, { env: { TOKEN: secret } });
      expect(code).toBe(1);
      expect(stderr).toContain('token rejected: ********');
      expect(stderr).not.toContain(secret);
      expect(stderr).not.toContain(JSON.stringify(secret).slice(1, -1));
    }
  });
});
