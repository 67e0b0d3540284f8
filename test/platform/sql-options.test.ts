import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configErrorOf, load, sandbox, write } from './helpers.js';

const instance = (artifacts: string): string =>
  [
    'registry:',
    '  default: team',
    '  instances:',
    '    team:',
    '      provider: sql',
    '      url: postgres://statekeep:${PGPASSWORD}@db:5432/registry',
    `      artifacts: ${artifacts}`,
    '',
  ].join('\n');

describe('platform.yaml: provider sql', () => {
  it("takes the issue's s3 and posix examples, resolving the posix path against the platform file", async () => {
    const box = sandbox();
    write(
      path.join(box.cwd, 'conf', 'platform.yaml'),
      instance('{ store: s3, bucket: models, prefix: statekeep/, endpoint: "http://s3:9000", region: us-east-1 }'),
    );
    const s3 = await load(box, {
      platformFile: path.join(box.cwd, 'conf', 'platform.yaml'),
      env: { PGPASSWORD: 'pw' },
    });
    expect(s3.registry.instances.team!.options).toEqual({
      url: 'postgres://statekeep:pw@db:5432/registry',
      artifacts: {
        store: 's3',
        bucket: 'models',
        prefix: 'statekeep/',
        endpoint: 'http://s3:9000',
        region: 'us-east-1',
      },
    });
    write(path.join(box.cwd, 'conf', 'platform.yaml'), instance('{ store: posix, path: ./models }'));
    const posix = await load(box, {
      platformFile: path.join(box.cwd, 'conf', 'platform.yaml'),
      env: { PGPASSWORD: 'pw' },
    });
    expect(posix.registry.instances.team!.options.artifacts).toEqual({
      store: 'posix',
      path: path.join(box.cwd, 'conf', 'models'),
    });
  });

  it('refuses an unknown store, a missing bucket and an option of the other store with CONFIG at the line', async () => {
    for (const [artifacts, problem] of [
      ['{ store: gcs, bucket: b }', /gcs.*is not one of: s3, posix/],
      ['{ store: s3, prefix: p/ }', /missing required key "bucket"/],
      ['{ store: posix, path: ./m, bucket: b }', /unknown key "bucket"/],
    ] as const) {
      const { error, file } = await configErrorOf(instance(artifacts), { PGPASSWORD: 'pw' });
      expect(error.data.file).toBe(file);
      expect(error.data.line).toBe(7);
      expect(error.message).toMatch(problem);
    }
  });
});
