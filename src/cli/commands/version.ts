import { STATEKEEP_VERSION } from '../../version.js';
import type { RegisterVerb } from '../verb.js';

export const registerVersion: RegisterVerb = (program, action) => {
  program
    .command('version')
    .description('print the statekeep version, as --version does (with --json, also the Node.js version)')
    .action(
      action(async (ctx) => {
        if (ctx.json) return ctx.out.json({ statekeep: STATEKEEP_VERSION, node: process.versions.node });
        ctx.out.line(STATEKEEP_VERSION);
      }),
    );
};
