import type { JsonSchema, ProviderDescription } from '../provider-description.js';

// A PostgreSQL identifier statekeep creates its tables in: lower case, never quoted differently.
export const SCHEMA_PATTERN = '^[a-z_][a-z0-9_]{0,62}$';

const s3Options: Record<string, JsonSchema> = {
  bucket: { description: 'The bucket holding the blobs (it must exist).', type: 'string', minLength: 3, maxLength: 63 },
  prefix: {
    description: "Key prefix of every object statekeep writes, ending in '/' (default: none).",
    type: 'string',
    pattern: '^([A-Za-z0-9._-]+/)*$',
  },
  endpoint: {
    description: 'The S3-compatible endpoint, e.g. http://127.0.0.1:9000 (default: AWS for the region).',
    type: 'string',
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://[^\\s/?#]+',
  },
  region: { description: 'The region (default: AWS_REGION, else us-east-1).', type: 'string', minLength: 1 },
  accessKeyId: { description: "Access key id; use ${VAR} (default: the AWS SDK's credential chain).", type: 'string' },
  secretAccessKey: { description: 'Secret access key; use ${VAR}.', type: 'string' },
  sessionToken: { description: 'Session token of temporary credentials; use ${VAR}.', type: 'string' },
  forcePathStyle: {
    description: 'Path-style addressing (endpoint/bucket/key), which S3-compatible servers need (default true).',
    type: 'boolean',
  },
};

const posixOptions: Record<string, JsonSchema> = {
  path: { description: 'The directory holding the blobs.', type: 'string', minLength: 1 },
};

/** The artifact stores the sql provider knows, by `artifacts.store`; a new store is one entry here and one file. */
export const ARTIFACT_STORES = { s3: s3Options, posix: posixOptions } as const;

export const sql: ProviderDescription = {
  name: 'sql',
  options: {
    description:
      'A registry whose metadata lives in PostgreSQL and whose blobs live in an artifact store (S3 or a directory).',
    required: ['url', 'artifacts'],
    properties: {
      url: {
        description: 'The PostgreSQL connection URL, e.g. postgres://statekeep:${PGPASSWORD}@db:5432/registry.',
        type: 'string',
        pattern: '^[Pp][Oo][Ss][Tt][Gg][Rr][Ee][Ss]([Qq][Ll])?://',
      },
      schema: {
        description:
          "The PostgreSQL schema holding statekeep's tables, created on first use: a lower-case identifier (default statekeep).",
        type: 'string',
        pattern: SCHEMA_PATTERN,
      },
      maxConnections: {
        description: 'Connections this process keeps open at most (default 10).',
        type: 'integer',
        minimum: 1,
        maximum: 1000,
      },
      connectTimeoutMs: {
        description: 'How long one connection attempt may take, in milliseconds (default 10000).',
        type: 'integer',
        minimum: 1,
        maximum: 600000,
      },
      retries: {
        description:
          'Repeats of an operation that failed because the connection did (refused, reset, a server restart), with a doubling pause from 100 ms (default 6).',
        type: 'integer',
        minimum: 0,
        maximum: 20,
      },
      artifacts: {
        description: 'Where blobs are kept: { store: s3, bucket, prefix, endpoint, region } or { store: posix, path }.',
        type: 'object',
        required: ['store'],
        properties: { store: { description: 'The artifact store: s3 or posix.', enum: Object.keys(ARTIFACT_STORES) } },
        allOf: Object.entries(ARTIFACT_STORES).map(([store, properties]) => ({
          if: { required: ['store'], properties: { store: { const: store } } },
          // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
          then: {
            additionalProperties: false,
            required: store === 's3' ? ['bucket'] : ['path'],
            properties: { store: { const: store }, ...properties },
          },
        })),
      },
    },
  },
  pathOptions: ['artifacts.path'],
  // The url's password is masked wherever the url is shown, as in every URI (src/platform/secrets.ts).
  secretOptions: [],
  load: async () => (await import('./sql-provider.js')).SqlProvider,
};
