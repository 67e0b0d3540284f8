import os from 'node:os';
import type { Command } from 'commander';
import type { ContainerOverrides } from '../platform/container.js';
import { hasCode } from '../registry/errors/index.js';
import { VerbContext, type CliIo, type GlobalOptions } from './context.js';
import { EXIT_OK, type ExitCode } from './exit-codes.js';
import { colorEnabled, Output } from './output.js';
import { buildProgram } from './program.js';
import { reportError } from './report-error.js';
import type { ActionWrapper } from './verb.js';

export interface RunOptions {
  /** Streams, environment and directories; the real process's by default. */
  io?: Partial<CliIo>;
  /** Bindings to put in place of the production ones (tests). */
  overrides?: ContainerOverrides;
}

/** Runs the statekeep command line and returns its exit status; it never calls process.exit. */
export async function run(argv: readonly string[], options: RunOptions = {}): Promise<ExitCode> {
  const io: CliIo = {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    home: os.homedir(),
    ...options.io,
  };
  // Before a verb starts (a usage error), the flags are known only from argv.
  const before = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : undefined);
  let context: VerbContext | undefined;
  let command: string | undefined;
  const action: ActionWrapper =
    (fn) =>
    async (...args) => {
      const cmd = args.at(-1) as Command;
      context = new VerbContext(globalOptions(cmd.optsWithGlobals()), io, options.overrides);
      try {
        await fn(context, ...args);
      } catch (error) {
        // A mistyped project, release or alias: the registry is open, so look for a near name.
        const reported = hasCode(error, 'NOT_FOUND')
          ? await (await import('./name-suggestions.js')).withNameSuggestion(error, context)
          : error;
        await context.close().catch(() => {});
        throw reported;
      }
      await context.close();
    };
  // With --json, stderr holds one JSON error and nothing else: not even the help shown for a missing command.
  const program = await buildProgram(
    action,
    before.includes('--json') ? { stdout: io.stdout, stderr: { write: () => true } } : io,
    argv,
  );
  program.hook('preSubcommand', (_program, sub) => {
    command = sub.name();
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT_OK;
  } catch (error) {
    const report = {
      json: context?.json ?? before.includes('--json'),
      debug: context?.options.debug ?? before.includes('--debug'),
      secrets: context?.secrets() ?? [],
      command,
    };
    return reportError(error, report, new Output(io.stderr, colorEnabled(io.stderr, io.env, report.json)));
  }
}

function globalOptions(opts: Record<string, unknown>): GlobalOptions {
  return {
    platform: typeof opts.platform === 'string' ? opts.platform : undefined,
    registry: typeof opts.registry === 'string' ? opts.registry : undefined,
    json: opts.json === true,
    debug: opts.debug === true,
  };
}
