import { InvalidNameError } from './errors/index.js';

/** A project's name: safe as one path segment, an MLflow name and a search value. */
export type ProjectName = string & { readonly __brand: 'ProjectName' };
/** An actor's stable name; it keys the actor's state in every manifest. */
export type ActorName = string & { readonly __brand: 'ActorName' };

export const NAME_RULE = '1-128 characters of A-Z a-z 0-9 . _ -, starting with a letter or digit';

// Starting with a letter or digit rules out "", ".", "..", hidden files and option-like names;
// the character class rules out separators, NUL, whitespace and every control character.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkName(kind: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw new InvalidNameError({ kind, name: String(value), rule: NAME_RULE });
  }
  return value;
}

export function isProjectName(value: unknown): value is ProjectName {
  return typeof value === 'string' && NAME.test(value);
}

export function isActorName(value: unknown): value is ActorName {
  return typeof value === 'string' && NAME.test(value);
}

export function projectName(value: unknown): ProjectName {
  return checkName('project', value) as ProjectName;
}

export function actorName(value: unknown): ActorName {
  return checkName('actor', value) as ActorName;
}

/** Validates any other name that ends up in a path or a key (registry instances, for example). */
export function safeName(kind: string, value: unknown): string {
  return checkName(kind, value);
}
