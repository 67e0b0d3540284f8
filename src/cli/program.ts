import { Command } from 'commander';
import { STATEKEEP_VERSION } from '../version.js';
import type { TextStream } from './output.js';
import type { ActionWrapper, RegisterVerb } from './verb.js';

/**
 * Every verb, in help order, imported only when needed: a command line that names one verb loads
 * that verb's module alone, so `statekeep list` never loads what `train` needs. Adding a verb:
 * one entry here.
 */
const VERBS: Readonly<Record<string, () => Promise<RegisterVerb>>> = {
  release: async () => (await import('./commands/release.js')).registerRelease,
  train: async () => (await import('./commands/train.js')).registerTrain,
  tune: async () => (await import('./commands/tune.js')).registerTune,
  apply: async () => (await import('./commands/apply.js')).registerApply,
  list: async () => (await import('./commands/list.js')).registerList,
  show: async () => (await import('./commands/show.js')).registerShow,
  rollback: async () => (await import('./commands/rollback.js')).registerRollback,
  alias: async () => (await import('./commands/alias.js')).registerAlias,
  verify: async () => (await import('./commands/verify.js')).registerVerify,
  cleanup: async () => (await import('./commands/cleanup.js')).registerCleanup,
  gc: async () => (await import('./commands/gc.js')).registerGc,
  config: async () => (await import('./commands/config.js')).registerConfig,
  serve: async () => (await import('./commands/serve.js')).registerServe,
};

// Global options that take a value: the word after one is not the verb.
const VALUED_GLOBALS = new Set(['--platform', '--registry']);
// Before the verb, these ask for the program's help, which lists every verb.
const HELP = new Set(['-h', '--help']);

/** The verb a command line names, if it names a known one before any other word. */
function namedVerb(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--' || HELP.has(word)) return undefined;
    if (VALUED_GLOBALS.has(word)) i++;
    else if (!word.startsWith('-')) return Object.hasOwn(VERBS, word) ? word : undefined;
  }
  return undefined;
}

/** The statekeep command line. Errors surface as CommanderError from parseAsync (exitOverride); nothing exits the process. */
export async function buildProgram(
  action: ActionWrapper,
  io: { stdout: TextStream; stderr: TextStream },
  argv: readonly string[] = [],
): Promise<Command> {
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
  // Help, a mistyped verb (for its suggestion) or none at all need every verb; otherwise one.
  const verb = namedVerb(argv);
  const names = verb === undefined ? Object.keys(VERBS) : [verb];
  const registers = await Promise.all(names.map((name) => VERBS[name]!()));
  for (const register of registers) register(program, action);
  return program;
}
