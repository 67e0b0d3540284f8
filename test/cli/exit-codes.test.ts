import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/exit-codes.js';
import { Output } from '../../src/cli/output.js';
import { reportError } from '../../src/cli/report-error.js';
import { ConfigError, IntegrityError, NotFoundError } from '../../src/registry/errors/index.js';

function report(error: unknown, options: { json?: boolean; secrets?: string[] } = {}): { exit: number; text: string } {
  let text = '';
  const exit = reportError(
    error,
    { json: options.json ?? false, debug: false, secrets: options.secrets ?? [] },
    new Output({ write: (t: string) => (text += t) }, false),
  );
  return { exit, text };
}

describe('exit codes', () => {
  it('maps operational failures to 1 and usage or configuration errors to 2, for every error code', () => {
    expect(EXIT_CODES).toEqual({
      NOT_FOUND: 1,
      ALREADY_EXISTS: 1,
      RELEASE_ORDER: 1,
      INTEGRITY: 1,
      NOT_SERIALIZABLE: 1,
      BAD_DATA: 1,
      UNAVAILABLE: 1,
      UNAUTHORIZED: 1,
      PROVIDER: 1,
      UNSUPPORTED: 1,
      INCOMPATIBLE_FORMAT: 1,
      USER_CODE: 1,
      INTERNAL: 1,
      CONFLICT: 1,
      IN_USE: 1,
      INVALID_NAME: 2,
      INVALID_VERSION: 2,
      CONFIG: 2,
      USAGE: 2,
    });
  });

  it('reports a statekeep error as two lines and its mapped status', () => {
    expect(report(new IntegrityError({ project: 'iris', subject: 'state', expected: 'a', actual: 'b' }))).toEqual({
      exit: 1,
      text: 'statekeep: state failed verification at iris: expected a, found b\n  hint: the registry is damaged; apply or roll back to another generation, and restore the registry from a copy\n',
    });
    expect(report(new ConfigError({ problem: 'bad' }, 'fix it')).exit).toBe(2);
  });

  it('reports anything else as an internal error with status 1', () => {
    const { exit, text } = report(new RangeError('boom'), { json: true });
    expect(exit).toBe(1);
    expect(JSON.parse(text)).toEqual({
      error: {
        code: 'INTERNAL',
        message: 'internal error: boom',
        hint: 'rerun with --debug for the stack trace, and report it',
        data: {},
      },
    });
  });

  it('treats help and version output as success, and writes nothing for them', () => {
    expect(report(new CommanderError(0, 'commander.helpDisplayed', '(outputHelp)'))).toEqual({ exit: 0, text: '' });
    expect(report(new CommanderError(1, 'commander.unknownCommand', "error: unknown command 'x'")).exit).toBe(2);
  });

  it('scrubs secrets from the message, the hint and the data', () => {
    const { text } = report(new NotFoundError({ what: 'file', name: '/mnt/s3cr3t-token/x' }, 'check s3cr3t-token'), {
      json: true,
      secrets: ['s3cr3t-token'],
    });
    expect(text).not.toContain('s3cr3t-token');
    expect(JSON.parse(text).error.data.name).toBe('/mnt/********/x');
  });
});
