import { ConfigError } from '../registry/errors/index.js';
import { dotted, type SettingPath, type UnsetVariable } from './platform-config.js';
import { configErrorAt, type YamlSource } from './yaml-source.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  value: unknown;
  /** The variables each interpolated setting read, by dotted path. */
  variables: Map<string, string[]>;
  /** Settings left as written because a variable they need is unset, by dotted path. */
  unset: Map<string, UnsetVariable>;
}

/** The error of a setting that needs an unset variable: at its place, naming the variable. */
export function unsetVariableError(unset: UnsetVariable): ConfigError {
  const { variable } = unset;
  return new ConfigError(
    { ...unset, problem: `environment variable ${variable} is not set` },
    `set ${variable}, or give a default: \${${variable}:-value}`,
  );
}

/**
 * Options of a registry instance need their variables only when the instance is opened: an
 * MLflow instance whose URI comes from an unset variable must not stop commands on another one.
 */
export function isInstanceOption(path: SettingPath): boolean {
  return path.length >= 4 && path[0] === 'registry' && path[1] === 'instances' && path[3] !== 'provider';
}

// $${…} is a literal "${…}"; ${NAME} and ${NAME:-fallback} read the environment; any other
// "${" is a mistake worth reporting rather than passing through to a provider.
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{/g;

/**
 * Fills ${VAR} and ${VAR:-fallback} in every string value of a parsed platform file. As in a
 * shell, the fallback applies when the variable is unset or empty. A variable that is unset,
 * with no fallback, is a ConfigError naming it and where it is used; in an instance's options it
 * is recorded instead (`unset`), the setting left as written, for the instance's opening to report.
 */
export function interpolate(source: YamlSource, env: Env): Interpolated {
  const variables = new Map<string, string[]>();
  const unset = new Map<string, UnsetVariable>();
  const visit = (value: unknown, path: string[]): unknown => {
    if (typeof value === 'string') return fill(value, path);
    if (Array.isArray(value)) return value.map((item, i) => visit(item, [...path, String(i)]));
    if (typeof value === 'object' && value !== null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v, [...path, k])]));
    }
    return value;
  };
  const fill = (text: string, path: SettingPath): string => {
    const used: string[] = [];
    let missing: UnsetVariable | undefined;
    const result = text.replace(REFERENCE, (match, name: string | undefined, fallback: string | undefined) => {
      if (match === '$${') return '${';
      if (name === undefined) {
        throw configErrorAt(
          source,
          path,
          source.valueAt(path),
          'malformed variable reference',
          'write ${NAME} or ${NAME:-default}, or $${ for a literal "${"',
        );
      }
      const found = env[name];
      if (found !== undefined && (found !== '' || fallback === undefined)) {
        used.push(name);
        return found;
      }
      if (fallback !== undefined) return fallback;
      const at = source.valueAt(path);
      missing ??= { file: source.file, line: at.line, column: at.column, key: dotted(path), variable: name };
      if (!isInstanceOption(path)) throw unsetVariableError(missing);
      used.push(name);
      return match;
    });
    if (used.length > 0) variables.set(dotted(path), used);
    if (missing === undefined) return result;
    unset.set(dotted(path), missing);
    return text;
  };
  return { value: visit(source.value, []), variables, unset };
}
