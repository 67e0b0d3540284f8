import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { statekeepInProcess } from '../cli/helpers.js';
import { sandbox, write } from './helpers.js';

// One ${VAR} fills a password and a namespace the schema refuses: the refusal quotes the
// namespace, which is the secret. quote() escapes and shortens what it quotes, so the secret
// must be recognised before quoting, not searched for in the quoted text.
const PLATFORM =
  'registry:\n  default: team\n  instances:\n' +
  '    team: { provider: mlflow, uri: "http://127.0.0.1:9", password: "${PW}", namespace: "${PW}" }\n';

describe('a config error quoting a value that is a secret', () => {
  for (const [what, secret] of [
    ['with a quote and a backslash', 'se"cr\\et-value'],
    ['longer than a quote shows', `tok-${'x'.repeat(120)}`],
  ] as const) {
    it(`never shows it, ${what}`, async () => {
      const box = sandbox();
      write(path.join(box.cwd, 'platform.yaml'), PLATFORM);
      for (const args of [['list'], ['list', '--json']]) {
        const { code, stdout, stderr } = await statekeepInProcess(args, box, { env: { PW: secret } });
        expect(code).toBe(2);
        const shown = stdout + stderr;
        expect(shown).toContain('registry.instances.team.namespace');
        for (const piece of [secret, JSON.stringify(secret).slice(1, -1), secret.slice(0, 40)])
          expect(shown).not.toContain(piece);
      }
    });
  }
});
