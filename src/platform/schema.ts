import { fileURLToPath } from 'node:url';
import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { quote, type ConfigError } from '../registry/errors/index.js';
import { NAME_RULE } from '../registry/names.js';
import type { SettingPath } from './platform-config.js';
import compiledValidator from './compiled/schema.gen.js';
import { BUILTIN_PROVIDER_NAMES } from './platform-schema.js';
import { isSecretKey, scrub } from './secrets.js';
import { didYouMean } from './suggest.js';
import { configErrorAt, type Position, type YamlSource } from './yaml-source.js';

// Two levels above both src/platform and dist/platform: the package's config/ folder. Written
// from platformSchema() by `npm run gen:schema`, for editors; validation uses the validator
// compiled from it at the same time (./compiled/schema.gen.ts, see schema-codegen.ts).
export const SCHEMA_FILE = fileURLToPath(new URL('../../config/platform.schema.json', import.meta.url));

const PROVIDER_HINT = `use ${BUILTIN_PROVIDER_NAMES.join(', ')}, a module path such as ./my-registry.js, or an installed package name`;

const validator = (): ValidateFunction => compiledValidator as ValidateFunction;

/**
 * Checks a platform file's data against config/platform.schema.json; throws the first problem in
 * file order. Problems of settings for which `skip` is true are left out.
 */
export function checkSchema(
  source: YamlSource,
  value: unknown,
  options: { skip?: (path: SettingPath) => boolean; secrets?: readonly string[] } = {},
): void {
  const { skip = () => false, secrets = [] } = options;
  const check = validator();
  if (check(value)) return;
  const problems = (check.errors ?? [])
    .filter((error) => !skip(pointerPath(error.instancePath)))
    .map((error) => describe(source, error, secrets))
    .filter((p) => p !== undefined);
  // A missing key is most often a mistyped one; the unknown-key problem then says more.
  const rank = (p: Problem): number => p.rank ?? 0;
  problems.sort((a, b) => rank(a) - rank(b) || a.at.line - b.at.line || a.at.column - b.at.column);
  const first = problems[0];
  if (first !== undefined) throw first.error;
}

interface Problem {
  at: Position;
  error: ConfigError;
  rank?: number;
}

// A value quoted in a problem may be a secret's (one ${VAR} can fill a password and a name).
function describe(source: YamlSource, error: ErrorObject, secrets: readonly string[]): Problem | undefined {
  const path = pointerPath(error.instancePath);
  const fail = (
    where: SettingPath,
    at: Position,
    problem: string,
    hint: string,
    extra: Record<string, unknown> = {},
  ): Problem => ({
    at,
    error: configErrorAt(source, where, at, scrub(problem, secrets), scrub(hint, secrets), extra),
  });
  // quote() escapes and shortens, so a secret is recognised in the value itself, before quoting.
  const shown = (value: unknown, key: string): string => {
    const text = String(value);
    return isSecretKey(key) || secrets.some((secret) => text.includes(secret)) ? 'this value' : quote(text);
  };
  const name = error.propertyName;
  if (name !== undefined) {
    const where = [...path, name];
    return fail(where, source.keyAt(where), `invalid instance name ${quote(name)}`, `use ${NAME_RULE}`);
  }
  if (
    path.length === 4 &&
    path[0] === 'registry' &&
    path[1] === 'instances' &&
    path[3] === 'provider' &&
    error.keyword !== 'type'
  ) {
    const given = String(error.data);
    const { hint, suggestion } = didYouMean(given, BUILTIN_PROVIDER_NAMES, PROVIDER_HINT);
    return fail(
      path,
      source.valueAt(path),
      `unknown provider ${quote(given)}`,
      hint,
      suggestion === undefined ? {} : { suggestion },
    );
  }
  const key = path.at(-1) ?? '';
  switch (error.keyword) {
    case 'additionalProperties': {
      const extra = String(error.params.additionalProperty);
      const where = [...path, extra];
      const allowed = Object.keys((error.parentSchema?.properties as object | undefined) ?? {});
      const { hint, suggestion } = didYouMean(extra, allowed, `allowed here: ${allowed.join(', ') || 'nothing'}`);
      return fail(
        where,
        source.keyAt(where),
        `unknown key ${quote(extra)}`,
        hint,
        suggestion === undefined ? {} : { suggestion },
      );
    }
    case 'required': {
      const missing = String(error.params.missingProperty);
      return {
        ...fail(
          [...path, missing],
          source.keyAt(path),
          `missing required key ${quote(missing)}`,
          `add ${missing}: to ${path.join('.') || 'the file'}`,
        ),
        rank: 1,
      };
    }
    case 'type':
      return fail(
        path,
        source.valueAt(path),
        `must be ${article(String(error.params.type))}, not ${kindOf(error.data)}`,
        "fix the value's type",
      );
    case 'enum':
    case 'const': {
      const allowed = (
        error.keyword === 'enum' ? (error.params.allowedValues as unknown[]) : [error.params.allowedValue]
      ).map(String);
      const { hint, suggestion } = didYouMean(String(error.data), allowed, `use one of: ${allowed.join(', ')}`);
      return fail(
        path,
        source.valueAt(path),
        `${shown(error.data, key)} is not one of: ${allowed.join(', ')}`,
        hint,
        suggestion === undefined ? {} : { suggestion },
      );
    }
    case 'pattern':
      if (path.join('.') === 'registry.default')
        return fail(
          path,
          source.valueAt(path),
          `invalid instance name ${quote(String(error.data))}`,
          `use ${NAME_RULE}`,
        );
      return fail(path, source.valueAt(path), `${shown(error.data, key)} is not a valid ${key}`, describedHint(error));
    case 'minimum':
    case 'maximum':
    case 'minLength':
      return fail(path, source.valueAt(path), `${error.message ?? 'is out of range'}`, describedHint(error));
    case 'if':
    case 'anyOf':
    case 'allOf':
      // Wrappers only: the errors of their branches say what is wrong.
      return undefined;
    default:
      return fail(
        path,
        source.valueAt(path),
        error.message ?? `fails the ${error.keyword} rule`,
        'see config/platform.schema.json',
      );
  }
}

// The property's own description says what a valid value looks like.
function describedHint(error: ErrorObject): string {
  const description = error.parentSchema?.description;
  return typeof description === 'string' ? description : 'see config/platform.schema.json';
}

function pointerPath(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function article(type: string): string {
  return type === 'integer' || type === 'object' || type === 'array' ? `an ${type}` : `a ${type}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}
