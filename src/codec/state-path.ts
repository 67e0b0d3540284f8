/** One step into a state: an object key or Map key (string), an array index, Set position or number Map key (number). */
export type PathStep = string | number;

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Formats steps the way NotSerializableError reports them: `$.layers[2].weights`, `$["a b"]`. */
export function formatPath(steps: readonly PathStep[]): string {
  let path = '$';
  for (const step of steps) {
    if (typeof step === 'number') path += `[${String(step)}]`;
    else path += IDENTIFIER.test(step) ? `.${step}` : `[${JSON.stringify(step)}]`;
  }
  return path;
}
