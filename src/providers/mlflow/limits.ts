import { ProviderError } from '../../registry/errors/index.js';

/**
 * MLflow's length limits, checked before anything is sent: by default the server cuts long run
 * tags short without a word (MLFLOW_TRUNCATE_LONG_VALUES), and other databases than sqlite
 * enforce their column widths. Where versions differ, the smaller limit is kept.
 */
export const LIMITS = {
  tagKey: 250,
  registryTagValue: 5000,
  experimentTagValue: 5000,
  runTagValue: 8000,
  modelName: 256,
  experimentName: 256,
  runName: 250,
  source: 500,
  metricKey: 250,
  metricsPerBatch: 1000,
  paramsPerBatch: 100,
  paramValue: 6000,
  /** A model version's description; the UI shows its start in the versions table. */
  versionDescription: 5000,
} as const;

export interface Tag {
  key: string;
  value: string;
}

/** Refuses a value MLflow would truncate or reject; the caller composed it, so this is a PROVIDER error. */
export function checkLength(what: string, value: string, limit: number, operation: string): string {
  if (value.length > limit) {
    throw new ProviderError(
      {
        provider: 'mlflow',
        operation,
        detail: `${what} has ${value.length} characters; MLflow keeps at most ${limit}`,
      },
      'statekeep refuses to send a value the server would cut short; use shorter names',
    );
  }
  return value;
}

export function checkTags(tags: Tag[], valueLimit: number, operation: string): Tag[] {
  for (const tag of tags) {
    checkLength(`tag key ${tag.key}`, tag.key, LIMITS.tagKey, operation);
    checkLength(`tag ${tag.key}`, tag.value, valueLimit, operation);
  }
  return tags;
}

// MLflow's filter parser strips quotes but has no escapes, so a quote inside a value would end
// it early. Statekeep only searches for validated names, which never hold one; anything else
// is refused here instead of being sent.
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what it refuses
const UNQUOTABLE = /['"`\\\u0000-\u001f\u007f]/;

/** A search clause `tags.`key` = 'value'`. */
export function tagEquals(key: string, value: string): string {
  return `tags.\`${quotable(key)}\` = '${quotable(value)}'`;
}

/** A search clause `name = 'value'`. */
export function nameEquals(value: string): string {
  return `name = '${quotable(value)}'`;
}

function quotable(text: string): string {
  if (UNQUOTABLE.test(text)) {
    throw new ProviderError(
      {
        provider: 'mlflow',
        operation: 'search',
        detail: `${JSON.stringify(text)} cannot be quoted in an MLflow filter`,
      },
      'this is a bug in statekeep: searched values are validated names',
    );
  }
  return text;
}

// The server's rule for metric and tag keys: word characters, / . - space and colon, forming a
// normalised relative path.
const KEY = /^[A-Za-z0-9_/. :-]+$/;

/** Whether MLflow accepts this as a run metric key; others stay in the manifest only. */
export function isLoggableKey(key: string): boolean {
  if (!KEY.test(key) || key.length > LIMITS.metricKey) return false;
  const parts = key.split('/');
  return !key.startsWith('/') && parts.every((part) => part !== '' && part !== '.' && part !== '..');
}
