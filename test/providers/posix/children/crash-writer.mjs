// A writer process for the posix crash test: commits (and now and then publishes a release)
// until it is killed, printing a line after each step completes:
//   generation <n> <digest>,<digest>,<digest>
//   release <version>
// Run by test/providers/posix/crash.test.ts: node crash-writer.mjs '<json job>'
import { randomBytes, randomInt } from 'node:crypto';
import { pathToFileURL } from 'node:url';

const job = JSON.parse(process.argv[2]);
const { Registry } = await import(pathToFileURL(job.registryModule).href);
const { PosixProvider } = await import(pathToFileURL(job.providerModule).href);
const registry = new Registry(new PosixProvider({ path: job.root }, { instance: `crash-${process.pid}` }));
const shared = new TextEncoder().encode('a state every generation holds');

for (let step = 0; ; step++) {
  if (step % 5 === 4) {
    const latest = await registry.latestRelease('q');
    const version = latest === null ? '0.0.1' : `0.0.${Number(latest.split('.')[2]) + 1}`;
    try {
      await registry.publishRelease('q', version, { payload: randomBytes(randomInt(1, 256 * 1024)) });
      process.stdout.write(`release ${version}\n`);
    } catch (error) {
      // Another writer lane published this version first.
      if (error?.code !== 'ALREADY_EXISTS' && error?.code !== 'RELEASE_ORDER') throw error;
    }
  } else {
    const manifest = await registry.commit({
      project: 'p',
      release: '1.0.0',
      mode: 'train',
      parent: null,
      states: [
        { actor: 'shared', bytes: shared, codec: 'raw' },
        { actor: 'small', bytes: randomBytes(64), codec: 'raw' },
        { actor: 'large', bytes: randomBytes(randomInt(64 * 1024, 1024 * 1024)), codec: 'raw' },
      ],
    });
    process.stdout.write(`generation ${manifest.generation} ${manifest.states.map((s) => s.digest).join(',')}\n`);
  }
}
