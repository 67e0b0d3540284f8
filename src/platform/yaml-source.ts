import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { ConfigError } from '../registry/errors/index.js';
import { dotted, type SettingPath } from './platform-config.js';

export interface Position {
  line: number;
  column: number;
}

/** A parsed YAML file that can say where each of its settings is written. */
export interface YamlSource {
  file: string;
  /** The document as plain data; an empty file is an empty mapping. */
  value: unknown;
  /** Where a setting's value starts (its key, when the value is empty); the nearest enclosing setting's place otherwise. */
  valueAt(path: SettingPath): Position;
  /** Where a setting's key is written; the nearest enclosing setting's place when it is not written. */
  keyAt(path: SettingPath): Position;
  /** Whether the scalar at this path was written in the file (as opposed to absent). */
  has(path: SettingPath): boolean;
}

/** Parses YAML text, keeping node positions. Malformed YAML is a ConfigError naming file:line:col. */
export function parseYamlSource(file: string, text: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: true });
  const first = doc.errors[0];
  if (first !== undefined) {
    const at = first.linePos?.[0] ?? { line: 1, col: 1 };
    // yaml's message repeats the position and quotes the source after it; keep the sentence
    // (but not its advice to call another yaml function, which is no use to a user).
    const problem =
      first.code === 'MULTIPLE_DOCS'
        ? 'more than one document (a second ---)'
        : first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(
      { file, line: at.line, column: at.col, problem: `malformed YAML: ${problem}`, yamlCode: first.code },
      'fix the YAML syntax at that place',
    );
  }
  const position = (offset: number | undefined): Position => {
    const at = lines.linePos(offset ?? 0);
    return { line: at.line, column: at.col };
  };
  const find = (path: SettingPath) => locate(doc, path);
  return {
    file,
    value: doc.contents === null ? {} : plainData(doc, file),
    valueAt: (path) => {
      const found = find(path);
      return position((found.value ?? found.key ?? found.parent)?.range?.[0]);
    },
    keyAt: (path) => {
      const found = find(path);
      return position((found.key ?? found.parent)?.range?.[0]);
    },
    has: (path) => find(path).complete,
  };
}

// Aliases that expand into more than 100 nodes are refused ("billion laughs"): the yaml library
// throws a ReferenceError for them, which is the file's fault, not statekeep's.
function plainData(doc: Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    if (!(error instanceof ReferenceError) || !/alias/i.test(error.message)) throw error;
    throw new ConfigError(
      { file, problem: 'YAML aliases expand too far (more than 100 nodes per alias)', yamlCode: 'ALIAS_COUNT' },
      'write the settings out instead of nesting aliases (*name) of aliases',
      { cause: error },
    );
  }
}

interface Located {
  key?: Node | undefined;
  value?: Node | undefined;
  /** The deepest node found on the way, for settings that are not written at all. */
  parent?: Node | undefined;
  complete: boolean;
}

function locate(doc: Document, path: SettingPath): Located {
  // An alias (*name) stands for its anchored node: settings under it are placed where the anchor is written.
  const follow = (n: unknown): unknown => (isAlias(n) ? n.resolve(doc) : n);
  let node: unknown = follow(doc.contents);
  let key: Node | undefined;
  let parent: Node | undefined;
  for (const segment of path) {
    parent = key ?? (node as Node | undefined) ?? parent;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === segment);
      if (pair === undefined) return { parent, complete: false };
      key = pair.key as Node;
      node = follow(pair.value);
    } else if (isSeq(node) && /^[0-9]+$/.test(segment)) {
      key = undefined;
      node = follow(node.items[Number(segment)]);
      if (node === undefined) return { parent, complete: false };
    } else {
      return { parent, complete: false };
    }
  }
  const value = node === null || node === undefined ? undefined : (node as Node);
  return { key, value, parent, complete: true };
}

export function configErrorAt(
  source: YamlSource,
  path: SettingPath,
  at: Position,
  problem: string,
  hint: string,
  extra: Record<string, unknown> = {},
): ConfigError {
  // The file's root has no key to name.
  return new ConfigError(
    {
      file: source.file,
      line: at.line,
      column: at.column,
      ...(path.length > 0 && { key: dotted(path) }),
      problem,
      ...extra,
    },
    hint,
  );
}
