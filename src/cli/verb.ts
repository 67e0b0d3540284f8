import type { Command } from 'commander';
import type { VerbContext } from './context.js';

/**
 * Wraps a verb's action: the verb receives the shared context first, then what commander
 * passes (positional arguments, the command's options, the command).
 */
export type ActionWrapper = <A extends unknown[]>(
  action: (ctx: VerbContext, ...args: A) => Promise<void>,
) => (...args: A) => Promise<void>;

/** A verb registers its command on the program; src/cli/program.ts lists every verb. */
export type RegisterVerb = (program: Command, action: ActionWrapper) => void;
