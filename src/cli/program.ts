import { Command } from 'commander';
import { STATEKEEP_VERSION } from '../version.js';
import { registerAlias } from './commands/alias.js';
import { registerApply } from './commands/apply.js';
import { registerCleanup } from './commands/cleanup.js';
import { registerConfig } from './commands/config.js';
import { registerList } from './commands/list.js';
import { registerRelease } from './commands/release.js';
import { registerRollback } from './commands/rollback.js';
import { registerShow } from './commands/show.js';
import { registerTrain } from './commands/train.js';
import { registerTune } from './commands/tune.js';
import { registerVerify } from './commands/verify.js';
import type { TextStream } from './output.js';
import type { ActionWrapper, RegisterVerb } from './verb.js';

/** Every verb, in help order. Adding a verb: one import above, one entry here. */
const VERBS: readonly RegisterVerb[] = [
  registerRelease,
  registerTrain,
  registerTune,
  registerApply,
  registerList,
  registerShow,
  registerRollback,
  registerAlias,
  registerVerify,
  registerCleanup,
  registerConfig,
];

/** The statekeep command line. Errors surface as CommanderError from parseAsync (exitOverride); nothing exits the process. */
export function buildProgram(action: ActionWrapper, io: { stdout: TextStream; stderr: TextStream }): Command {
  const program = new Command('statekeep')
    .description('Keeps the state of every stateful actor of an ML pipeline in numbered, verified generations.')
    .version(STATEKEEP_VERSION, '-V, --version', 'print the statekeep version')
    .option(
      '--platform <file>',
      'platform file (default: $STATEKEEP_PLATFORM, ./platform.yaml, ~/.statekeep/platform.yaml)',
    )
    .option('--registry <name>', 'registry instance to use instead of registry.default')
    .option('--json', 'machine-readable JSON on stdout; errors as JSON on stderr')
    .option('--debug', 'show stack traces with errors')
    .helpOption('-h, --help', 'show help')
    .exitOverride()
    // Errors are printed once, in statekeep's format, by main.ts.
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => {},
    })
    .showSuggestionAfterError(true)
    .addHelpText(
      'after',
      '\nExit status: 0 success, 1 operational failure (not found, damaged, unreachable), 2 usage or configuration error.',
    );
  for (const register of VERBS) register(program, action);
  return program;
}
