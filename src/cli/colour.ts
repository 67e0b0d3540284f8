import type { Env } from '../platform/interpolate.js';

/** The part of a stream colour depends on: whether it is a terminal. */
export interface ColourTarget {
  isTTY?: boolean;
}

/**
 * Whether to colour what goes to a stream, as git and gh decide: never with --json; FORCE_COLOR
 * (any value but "", "0" or "false") turns it on even on a pipe, FORCE_COLOR=0 off; otherwise
 * only on a terminal, and not with NO_COLOR set (no-color.org) or TERM=dumb.
 */
export function colourEnabled(stream: ColourTarget, env: Env, json = false): boolean {
  if (json) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force.toLowerCase() !== 'false';
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '' && env.TERM !== 'dumb';
}

const CODES = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  yellow: [33, 39],
} as const;

export type Style = keyof typeof CODES;

/** The text in the style's ANSI codes when `on`, else the text as it is. */
export function paint(style: Style, text: string, on: boolean): string {
  const [open, close] = CODES[style];
  return on ? `\x1b[${open}m${text}\x1b[${close}m` : text;
}
