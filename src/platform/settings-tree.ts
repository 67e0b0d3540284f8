/** Every setting that holds a value (not a mapping), with its path. */
export function* leaves(value: unknown, path: string[]): Generator<[string[], unknown]> {
  if (isMapping(value) && Object.keys(value).length > 0) {
    for (const [key, child] of Object.entries(value)) yield* leaves(child, [...path, key]);
  } else {
    yield [path, value];
  }
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
