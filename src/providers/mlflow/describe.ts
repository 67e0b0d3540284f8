import type { ProviderDescription } from '../provider-description.js';

// No "." or "~" in a namespace: names are namespace~project~release, and each part must be recoverable.
export const NAMESPACE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';

export const mlflow: ProviderDescription = {
  name: 'mlflow',
  options: {
    description: 'A registry kept in an MLflow tracking server.',
    required: ['uri'],
    properties: {
      uri: {
        description:
          "The tracking server's http:// or https:// URL, e.g. http://127.0.0.1:5000 or ${MLFLOW_TRACKING_URI}.",
        type: 'string',
        minLength: 1,
        pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+',
      },
      username: { description: 'Basic-auth user.', type: 'string' },
      password: { description: 'Basic-auth password; use ${VAR}.', type: 'string' },
      token: { description: 'Bearer token; use ${VAR}.', type: 'string' },
      timeoutMs: {
        description: 'Timeout of one request, in milliseconds (default 120000).',
        type: 'integer',
        minimum: 1,
        maximum: 3600000,
      },
      retries: { description: 'Retries of a failed request (default 4).', type: 'integer', minimum: 0, maximum: 10 },
      namespace: {
        description:
          "Prefix that keeps this registry's experiments apart from others on the server: 1-64 characters of A-Z a-z 0-9 _ -, starting with a letter or digit (default statekeep).",
        type: 'string',
        pattern: NAMESPACE_PATTERN,
      },
    },
  },
  pathOptions: [],
  secretOptions: ['password', 'token'],
  load: async () => (await import('./mlflow-provider.js')).MlflowProvider,
};
