import { describe, expect, it } from 'vitest';
import { isSecretKey, maskValue } from '../../src/platform/index.js';
import { scrub, secretValues } from '../../src/platform/secrets.js';
import { load, sandbox, write } from './helpers.js';
import path from 'node:path';

describe('secrets', () => {
  it('are password, token, and any key naming a secret, password, token or key', () => {
    expect(
      ['password', 'token', 'clientSecret', 'apiKey', 'accessToken', 'DB_PASSWORD'].filter(isSecretKey),
    ).toHaveLength(6);
    expect(['uri', 'username', 'path', 'namespace', 'timeoutMs'].filter(isSecretKey)).toEqual([]);
  });

  it('are masked as values, and passwords inside URIs are masked too', () => {
    expect(maskValue('token', 'abc')).toBe('********');
    expect(maskValue('uri', 'https://bob:pw@host:5000/x')).toBe('https://bob:********@host:5000/x');
    expect(maskValue('uri', 'https://host:5000/x')).toBe('https://host:5000/x');
    expect(maskValue('uri', 'https://host/api?user=bob&access_token=t0k3n#top')).toBe(
      'https://host/api?user=bob&access_token=********#top',
    );
  });

  it('are masked at any depth: in lists, in mappings, and everything under a secret key', () => {
    const options = {
      headers: [{ name: 'x', token: 'in-a-list' }],
      apiKey: { id: 'k1', value: 'nested-secret' },
      tokens: ['t-one', 't-two'],
      label: 'shelf',
    };
    expect(maskValue('', options)).toEqual({
      headers: [{ name: 'x', token: '********' }],
      apiKey: '********',
      tokens: '********',
      label: 'shelf',
    });
  });

  it('of a loaded platform are collected for scrubbing messages', async () => {
    const box = sandbox();
    write(
      path.join(box.cwd, 'platform.yaml'),
      'registry:\n  instances:\n    team: { provider: mlflow, uri: "https://u:uri-pass@h?token=query-token", password: "${PW}" }\n    own: { provider: ./own.js, auth: { keys: [first-key, second-key] } }\n',
    );
    write(path.join(box.cwd, 'own.js'), 'export default class {}\n');
    const secrets = secretValues(await load(box, { env: { PW: 'env-password' } }));
    expect(secrets.sort()).toEqual(['env-password', 'first-key', 'query-token', 'second-key', 'uri-pass']);
    expect(scrub('login env-password failed at https://u:uri-pass@h', secrets)).toBe(
      'login ******** failed at https://u:********@h',
    );
  });
});
