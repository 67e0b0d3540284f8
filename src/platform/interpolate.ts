import { dotted, type SettingPath } from './platform-config.js';
import { configErrorAt, type YamlSource } from './yaml-source.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  value: unknown;
  /** The variables each interpolated setting read, by dotted path. */
  variables: Map<string, string[]>;
}

// $${…} is a literal "${…}"; ${NAME} and ${NAME:-fallback} read the environment; any other
// "${" is a mistake worth reporting rather than passing through to a provider.
const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}|\$\{/g;

/**
 * Fills ${VAR} and ${VAR:-fallback} in every string value of a parsed platform file. As in a
 * shell, the fallback applies when the variable is unset or empty. A variable that is unset,
 * with no fallback, is a ConfigError naming it and where it is used.
 */
export function interpolate(source: YamlSource, env: Env): Interpolated {
  const variables = new Map<string, string[]>();
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
      throw configErrorAt(
        source,
        path,
        source.valueAt(path),
        `environment variable ${name} is not set`,
        `set ${name}, or give a default: \${${name}:-value}`,
        { variable: name },
      );
    });
    if (used.length > 0) variables.set(dotted(path), used);
    return result;
  };
  return { value: visit(source.value, []), variables };
}
