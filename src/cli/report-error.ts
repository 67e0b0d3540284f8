import { CommanderError } from 'commander';
import { InternalError, isStatekeepError, type StatekeepError } from '../registry/errors/index.js';
import { scrub, scrubData } from '../platform/secrets.js';
import { EXIT_CODES, EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type ExitCode } from './exit-codes.js';
import type { Output } from './output.js';

export interface ErrorReportOptions {
  json: boolean;
  debug: boolean;
  /** Secret values of the loaded platform, scrubbed from everything written. */
  secrets: readonly string[];
  /** The command being run, for usage hints: "show" gives "run `statekeep show --help`". */
  command?: string | undefined;
}

interface Report {
  code: string;
  message: string;
  hint: string;
  data: Record<string, unknown>;
  exit: ExitCode;
}

/**
 * Writes an error to stderr as `statekeep: <message>` and `  hint: <hint>` (or, with --json,
 * one JSON object {error: {code, message, hint, data}}) and returns the exit status. Stacks are
 * shown with --debug only. Help and version output are not errors and write nothing here.
 */
export function reportError(error: unknown, options: ErrorReportOptions, err: Output): ExitCode {
  if (error instanceof CommanderError && error.exitCode === 0) return EXIT_OK;
  // Commander has shown the help on stderr (a command was missing); the help is the message,
  // except with --json, where stderr holds only the JSON error.
  if (error instanceof CommanderError && error.code === 'commander.help' && !options.json) return EXIT_USAGE;
  const report = describe(error, options);
  const clean = (text: string): string => scrub(text, options.secrets);
  // Plain data first (as JSON shows it), then scrubbed value by value: in JSON text a secret with
  // a quote or backslash is spelt otherwise.
  const data = scrubData(JSON.parse(JSON.stringify(report.data)), options.secrets) as Record<string, unknown>;
  const stack = options.debug && error instanceof Error ? clean(stackOf(error)) : undefined;
  if (options.json) {
    err.line(
      JSON.stringify({
        error: {
          code: report.code,
          message: clean(report.message),
          hint: clean(report.hint),
          data,
          ...(stack ? { stack } : {}),
        },
      }),
    );
  } else {
    err.line(`${err.red(err.bold('statekeep:'))} ${clean(report.message)}`);
    err.line(`  ${err.yellow('hint:')} ${clean(report.hint)}`);
    if (stack) err.line(err.dim(stack));
  }
  return report.exit;
}

function describe(error: unknown, options: ErrorReportOptions): Report {
  if (isStatekeepError(error)) return fromStatekeepError(error, options);
  if (error instanceof CommanderError) {
    // Commander's text: "error: unknown command 'lst'" and, sometimes, "(Did you mean list?)".
    const [first = '', ...rest] = error.message.split('\n');
    const suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join(' '))?.[1];
    const help = options.command === undefined ? 'statekeep --help' : `statekeep ${options.command} --help`;
    return {
      code: 'USAGE',
      message:
        error.code === 'commander.help' ? 'no command given' : first.replace(/^error: /, '') || 'invalid command line',
      hint: suggestion !== undefined ? `did you mean ${suggestion}?` : `run \`${help}\` for usage`,
      data: { commander: error.code },
      exit: EXIT_USAGE,
    };
  }
  return fromStatekeepError(new InternalError(error), options);
}

// The library names arguments as its API does; on the command line they are these options.
const OPTION_OF_ARGUMENT = new Map([
  ['release', '--release'],
  ['fresh', '--fresh'],
  ['since-last', '--since-last'],
  ['from', '--from'],
  ['trials', '--trials'],
  ['seed', '--seed'],
  ['strategy', '--strategy'],
  ['platformFile', '--platform'],
  ['append', '--append'],
  ['to', '--to'],
]);

function fromStatekeepError(error: StatekeepError, options: ErrorReportOptions): Report {
  let hint = oneLine(error.hint);
  const option = typeof error.data.argument === 'string' ? OPTION_OF_ARGUMENT.get(error.data.argument) : undefined;
  if (option !== undefined) hint += ` (option ${option})`;
  // The library's hint points at the error's cause; here the cause is shown by --debug.
  if (error.code === 'USER_CODE')
    hint = `fix the project code; ${options.debug ? 'the stack shows where it threw' : 'rerun with --debug to see where it threw'}`;
  return {
    code: error.code,
    message: oneLine(error.message),
    hint,
    data: error.data,
    exit: EXIT_CODES[error.code] ?? EXIT_FAILURE,
  };
}

function oneLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

function stackOf(error: Error): string {
  let text = error.stack ?? `${error.name}: ${error.message}`;
  let cause = error.cause;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    text += `\ncaused by: ${cause.stack ?? cause.message}`;
    cause = cause.cause;
  }
  return text;
}
