// A writer process for the posix race test. It loads the provider, says "ready", and waits for
// "go" on stdin so that all writers start at once; then it creates the registry and the release
// (or finds that another writer did), commits, and prints one JSON line: { created, generations }.
// Run by test/providers/posix/processes.test.ts: node race-writer.mjs '<json job>'
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';

const job = JSON.parse(process.argv[2]);
const { Registry } = await import(pathToFileURL(job.registryModule).href);
const { PosixProvider } = await import(pathToFileURL(job.providerModule).href);
const registry = new Registry(new PosixProvider({ path: job.root }, { instance: `race-${process.pid}` }));

const input = createInterface({ input: process.stdin });
process.stdout.write('ready\n');
await new Promise((resolve) => input.once('line', resolve));
input.close();

let created = true;
try {
  // The same package in every writer: its blob is written by all of them at once.
  await registry.publishRelease('p', '1.0.0', { payload: new TextEncoder().encode('one package for every writer') });
} catch (error) {
  if (error?.code !== 'ALREADY_EXISTS') throw error;
  created = false;
}
const generations = [];
for (let i = 0; i < job.commits; i++) {
  const manifest = await registry.commit({
    project: 'p',
    release: '1.0.0',
    mode: 'train',
    parent: null,
    states: [
      { actor: 'shared', bytes: new TextEncoder().encode('the same in every writer'), codec: 'raw' },
      { actor: 'own', bytes: randomBytes(512), codec: 'raw' },
    ],
  });
  generations.push(manifest.generation);
}
process.stdout.write(`${JSON.stringify({ created, generations })}\n`);
