import { describe, expect, it } from 'vitest';
import { MlflowProvider } from '../../../src/providers/mlflow/mlflow-provider.js';
import { mlflowSettings } from '../../../src/providers/mlflow/options.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('mlflow connection settings', () => {
  it("takes uri and credentials from the options, and MLflow's variables for what the options leave out", () => {
    const env = {
      MLFLOW_TRACKING_URI: 'http://env-host:5000/',
      MLFLOW_TRACKING_USERNAME: 'env-user',
      MLFLOW_TRACKING_PASSWORD: 'env-pw',
      MLFLOW_TRACKING_TOKEN: 'env-token',
    };
    expect(mlflowSettings({}, env)).toEqual({
      uri: 'http://env-host:5000',
      authorization: basic('env-user', 'env-pw'),
      timeoutMs: 120_000,
      retries: 4,
      namespace: 'statekeep',
    });
    expect(
      mlflowSettings(
        {
          uri: 'https://opt-host/mlflow',
          username: 'u',
          password: 'p',
          namespace: 'team-a',
          timeoutMs: '5000',
          retries: 0,
        },
        env,
      ),
    ).toEqual({
      uri: 'https://opt-host/mlflow',
      authorization: basic('u', 'p'),
      timeoutMs: 5000,
      retries: 0,
      namespace: 'team-a',
    });
    // A bearer token when no username and password are given, as the Python client does.
    expect(mlflowSettings({}, { MLFLOW_TRACKING_URI: 'http://h:1', MLFLOW_TRACKING_TOKEN: 't0k' }).authorization).toBe(
      'Bearer t0k',
    );
    expect(mlflowSettings({ uri: 'http://h:1', token: 'opt-token' }, {}).authorization).toBe('Bearer opt-token');
    // An unset ${VAR} arrives as "": it means "not given", not "empty password".
    expect(mlflowSettings({ uri: 'http://h:1', username: '', password: '' }, {}).authorization).toBeNull();
  });

  it('moves credentials written into the uri to the header, and never shows them in the target', () => {
    const settings = mlflowSettings({ uri: 'http://alice:s3cret@h:5000' }, {});
    expect(settings).toMatchObject({ uri: 'http://h:5000', authorization: basic('alice', 's3cret') });
    const provider = new MlflowProvider({ uri: 'http://alice:s3cret@h:5000', namespace: 'n' }, { instance: 'models' });
    expect(provider.descriptor).toEqual({ name: 'mlflow', spiVersion: 1, target: 'http://h:5000 (namespace n)' });
  });

  it('refuses settings that cannot work with CONFIG, naming the key', () => {
    const refused = (options: Record<string, unknown>, key: string, env: Record<string, string> = {}) =>
      expect(() => mlflowSettings(options, env)).toThrow(
        expect.objectContaining({ code: 'CONFIG', data: expect.objectContaining({ key }) }),
      );
    refused({}, 'uri');
    refused({ uri: 'not a url' }, 'uri');
    refused({ uri: 'file:///tmp/mlruns' }, 'uri');
    refused({ uri: 'http://h:1', username: 'u' }, 'password');
    refused({ uri: 'http://h:1' }, 'username', { MLFLOW_TRACKING_PASSWORD: 'p' });
    refused({ uri: 'http://h:1', namespace: 'has.dot' }, 'namespace');
    refused({ uri: 'http://h:1', namespace: 'a~b' }, 'namespace');
    refused({ uri: 'http://h:1', retries: 11 }, 'retries');
    refused({ uri: 'http://h:1', timeoutMs: 0 }, 'timeoutMs');
    refused({ uri: 'http://h:1', timeoutMs: 'soon' }, 'timeoutMs');
    refused({ uri: 'http://h:1', tracking_uri: 'http://h:2' }, 'tracking_uri');
    refused({ uri: 42 }, 'uri');
    // A stray % in inline credentials: CONFIG on the uri, never a bare URIError.
    refused({ uri: 'http://alice:50%off@h:5000' }, 'uri');
  });
});
