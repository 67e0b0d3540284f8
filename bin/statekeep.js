#!/usr/bin/env node
// The statekeep command: a shim over the compiled CLI in dist/ (built by `npm ci` via prepare).
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('dist')) throw error;
  process.stderr.write(
    'statekeep: the CLI is not built (dist/cli/main.js is missing)\n  hint: run `npm run build` in the statekeep package\n',
  );
  process.exit(1);
}
// A closed pipe (statekeep list | head) is not an error worth a stack trace, nor is any other
// failure to write the output: it gets the usual one line and hint.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(
    `statekeep: cannot write the output (${error.code ?? error.message})\n  hint: check where stdout goes: a full disk, a closed terminal\n`,
  );
  process.exit(1);
});
process.exitCode = await cli.run(process.argv.slice(2));
