import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { RedisProvider } from '../../../src/providers/redis/redis-provider.js';
import { load, sandbox, write } from '../../platform/helpers.js';

const README = fileURLToPath(new URL('../../../README.md', import.meta.url));

describe("README's redis platform.yaml", () => {
  it('is a valid platform file whose instance opens a provider naming the server without the password', async () => {
    const readme = readFileSync(README, 'utf8');
    const section = readme.slice(readme.indexOf('### Redis'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
    expect(yaml).toContain('provider: redis');
    const box = sandbox();
    write(path.join(box.cwd, 'platform.yaml'), yaml!);
    const platform = await load(box, { env: { REDIS_PASSWORD: 'readme-secret-value' } });
    const team = platform.registry.instances.team!;
    expect(team.provider).toBe('redis');
    const provider = new RedisProvider(team.options);
    expect(provider.descriptor.target).toBe('redis://statekeep@redis.internal:6379/0 (prefix statekeep:)');
    expect(JSON.stringify(provider.descriptor)).not.toContain('readme-secret-value');
  });
});
