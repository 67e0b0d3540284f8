import { isStatekeepError, UserCodeError, type UserStep } from '../registry/errors/index.js';

/** Where in the project's code a call goes: the step, and the actor, metric or module it belongs to. */
export interface UserSite {
  step: UserStep;
  actor?: string;
  metric?: string;
  module?: string;
  project?: string;
  release?: string;
}

/**
 * Calls into the project's own code. What it throws is the project's failure, reported as
 * UserCodeError naming the site, with the original as its cause; a statekeep error it throws
 * (from statekeep's own helpers) keeps its code.
 */
export function callUser<T>(site: UserSite, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw userCodeError(site, error);
  }
}

/** callUser for calls that may return a promise: a rejection is the project's failure too. */
export async function awaitUser<T>(site: UserSite, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw userCodeError(site, error);
  }
}

export function userCodeError(site: UserSite, error: unknown): unknown {
  if (isStatekeepError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UserCodeError({ ...site, detail: message.split('\n')[0]!.trim() }, { cause: error });
}
