import { BUILTIN_PROVIDERS } from '../providers/index.js';
import { COMPRESSIONS } from '../codec/state-codec.js';

const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$';

/** Names of the built-in providers, in the list's order. */
export const BUILTIN_PROVIDER_NAMES: readonly string[] = BUILTIN_PROVIDERS.map((p) => p.name);

/** "posix, volatile or mlflow" */
export function providerNames(conjunction = 'or'): string {
  const names = [...BUILTIN_PROVIDER_NAMES];
  return names.length < 2 ? names.join('') : `${names.slice(0, -1).join(', ')} ${conjunction} ${names.at(-1)}`;
}

/**
 * The JSON Schema of platform.yaml, built from the provider list: config/platform.schema.json is
 * this, written out by `npm run gen:schema` for editors, and validation uses it directly.
 */
export function platformSchema(): Record<string, unknown> {
  const $defs: Record<string, unknown> = {
    instance: {
      type: 'object',
      required: ['provider'],
      properties: {
        provider: {
          description: `${BUILTIN_PROVIDER_NAMES.join(', ')}, or a third-party provider: a module path (./my-registry.js) or a package name. Third-party providers take any options.`,
          type: 'string',
          anyOf: [
            { enum: [...BUILTIN_PROVIDER_NAMES] },
            { pattern: '^(\\./|\\.\\./|/)' },
            { pattern: '^(@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*$' },
          ],
        },
      },
      allOf: BUILTIN_PROVIDERS.map((p) => ({
        if: { required: ['provider'], properties: { provider: { const: p.name } } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, never awaited
        then: { $ref: `#/$defs/${p.name}` },
      })),
    },
  };
  for (const p of BUILTIN_PROVIDERS) {
    const { description, properties, ...rest } = p.options;
    $defs[p.name] = {
      description,
      type: 'object',
      additionalProperties: false,
      ...rest,
      properties: { provider: { const: p.name }, retention: { $ref: '#/$defs/retention' }, ...properties },
    };
  }
  $defs.retention = retentionSchema();
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: 'https://statekeep.dev/schemas/platform.schema.json',
    title: 'statekeep platform.yaml',
    description:
      "Named registry instances, the default one, and runtime settings. Merged over statekeep's config/defaults.yaml. Strings may use ${VAR} and ${VAR:-default}; relative paths are relative to this file.",
    type: 'object',
    additionalProperties: false,
    properties: {
      registry: {
        description: 'Registry instances, by name, and which one commands use when --registry is not given.',
        type: 'object',
        additionalProperties: false,
        properties: {
          default: { description: 'Name of the instance used by default.', type: 'string', pattern: NAME_PATTERN },
          instances: {
            description:
              'Registry instances by name. An instance written here replaces a default instance of the same name as a whole.',
            type: 'object',
            propertyNames: { pattern: NAME_PATTERN },
            additionalProperties: { $ref: '#/$defs/instance' },
          },
        },
      },
      state: {
        description: 'How actor states are encoded.',
        type: 'object',
        additionalProperties: false,
        properties: {
          codec: { description: 'State codec.', enum: ['cbor'] },
          compression: { description: 'Compression of encoded states.', enum: [...COMPRESSIONS] },
        },
      },
      staging: {
        description: 'Local cache directory where release packages are unpacked, keyed by digest.',
        type: 'string',
        minLength: 1,
      },
    },
    $defs,
  };
}

/** An instance's `retention:` block (src/platform/retention-config.ts); durations are checked when gc reads them. */
function retentionSchema(): Record<string, unknown> {
  const rules = {
    keepLast: { description: 'Keep the newest N generations of each release.', type: ['integer', 'null'], minimum: 1 },
    keepWithin: {
      description:
        'Keep generations committed within this long: a whole number and a unit (ms, s, m, h, d, w), e.g. 30d.',
      type: ['string', 'null'],
    },
  };
  return {
    description:
      'What gc keeps: the newest keepLast generations of each release, those within keepWithin, and always aliased generations, their parents and rollback sources, and the newest. Absent: nothing is pruned.',
    type: 'object',
    additionalProperties: false,
    properties: {
      ...rules,
      grace: {
        description: 'gc leaves blobs written within this long alone (default 1h); writers keep to it too.',
        type: 'string',
      },
      gcGraceMs: { description: 'The grace period in milliseconds (instead of grace).', type: 'integer', minimum: 0 },
      projects: {
        description: 'Per-project overrides of keepLast and keepWithin, key by key.',
        type: 'object',
        propertyNames: { pattern: NAME_PATTERN },
        additionalProperties: { type: 'object', additionalProperties: false, properties: rules },
      },
    },
  };
}
