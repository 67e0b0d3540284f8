import type { ProviderDescription } from '../provider-description.js';

// Keys are <prefix><kind>:<project>…; a prefix needs no separator of its own but cannot hold spaces.
export const PREFIX_PATTERN = '^[A-Za-z0-9_.:{}/-]{1,64}$';

export const redis: ProviderDescription = {
  name: 'redis',
  options: {
    description:
      'A registry kept in one Redis database (redis-server 7.0 or newer; durable with appendonly yes and appendfsync always).',
    required: ['url'],
    properties: {
      url: {
        description:
          'The server as redis://[user[:password]@]host[:port][/db] or rediss:// for TLS, e.g. redis://127.0.0.1:6379/0 or ${REDIS_URL}; its password is masked in every output.',
        type: 'string',
        minLength: 1,
        pattern: '^[Rr][Ee][Dd][Ii][Ss][Ss]?://',
      },
      username: { description: 'ACL user (default: the one in url, else "default").', type: 'string' },
      password: { description: 'Password (AUTH / ACL); use ${VAR}. Overrides one written in url.', type: 'string' },
      prefix: {
        description:
          'Prefix of every key statekeep writes, so registries (and tests) share a database in isolation: 1-64 characters of A-Z a-z 0-9 _ . : { } / - (default statekeep:).',
        type: 'string',
        pattern: PREFIX_PATTERN,
      },
      connectTimeoutMs: {
        description: 'Timeout of connecting to the server, in milliseconds (default 5000).',
        type: 'integer',
        minimum: 1,
        maximum: 600000,
      },
      commandTimeoutMs: {
        description: 'Timeout of one command, in milliseconds (default 120000).',
        type: 'integer',
        minimum: 1,
        maximum: 3600000,
      },
      retries: {
        description:
          'Retries of a read (or of an unanswered write, resolved by re-reading) when the server is unreachable (default 5).',
        type: 'integer',
        minimum: 0,
        maximum: 10,
      },
    },
  },
  pathOptions: [],
  secretOptions: ['password'],
  load: async () => (await import('./redis-provider.js')).RedisProvider,
};
