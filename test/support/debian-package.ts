import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function executable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// One install at a time: two harnesses asking for packages at once would fight over dpkg's lock.
let queue: Promise<unknown> = Promise.resolve();

/**
 * Makes sure a program from Debian's packages is on the machine: `binary` is its absolute path
 * (e.g. /usr/bin/redis-server). When missing, installs `packages` with apt-get if this process is
 * root, as CI is; otherwise throws one line naming what to install, since the tests cannot run
 * without the real server.
 */
export function ensureDebianPackage(
  binary: string,
  packages: readonly string[],
  log: (line: string) => void,
): Promise<void> {
  const step = queue.then(async () => {
    if (await executable(binary)) return;
    if (process.getuid?.() !== 0)
      throw new Error(
        `${binary} is missing: install the Debian package(s) ${packages.join(' ')} (sudo apt-get install -y ${packages.join(' ')})`,
      );
    log(`installing ${packages.join(' ')} with apt-get`);
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const install = () =>
      run('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env, maxBuffer: 64 << 20 });
    try {
      await install();
    } catch {
      // A fresh image may have no package lists yet.
      await run('apt-get', ['update'], { env, maxBuffer: 64 << 20 });
      await install();
    }
    if (!(await executable(binary)))
      throw new Error(`apt-get installed ${packages.join(' ')}, but ${binary} is still missing`);
  });
  queue = step.catch(() => undefined);
  return step;
}
