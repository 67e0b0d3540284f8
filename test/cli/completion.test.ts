import { execFile } from 'node:child_process';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { STATEKEEP_VERSION } from '../../src/version.js';
import { BIN, seed, statekeepInProcess, workspace } from './helpers.js';

const exec = promisify(execFile);

/** The words a real bash's completion function offers for a command line, cursor on its last word. */
async function complete(script: string, words: string[], cwd: string): Promise<string[]> {
  const driver = `source ${JSON.stringify(script)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')})
COMP_CWORD=${words.length - 1}
_statekeep
printf '%s\\n' "\${COMPREPLY[@]}"`;
  const { stdout } = await exec('bash', ['--norc', '--noprofile', '-c', driver], { cwd });
  return stdout.split('\n').filter((w) => w !== '');
}

describe('statekeep completion', () => {
  const ws = workspace();
  let bash: string;
  let shim: string;

  beforeAll(async () => {
    await seed(ws);
    const { code, stdout } = await statekeepInProcess(['completion', 'bash'], ws);
    expect(code).toBe(0);
    bash = path.join(ws.cwd, 'statekeep.bash');
    writeFileSync(bash, stdout);
    // The script asks the statekeep it completes for the project names: this one.
    shim = path.join(ws.cwd, 'statekeep');
    writeFileSync(shim, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"\n`);
    chmodSync(shim, 0o755);
  });

  it("bash: the script parses, and completes verbs, a verb's options, global options and file names", async () => {
    await exec('bash', ['-n', bash]);
    expect(await complete(bash, ['statekeep', 'tr'], ws.cwd)).toEqual(['train']);
    expect(await complete(bash, ['statekeep', 'co'], ws.cwd)).toEqual(['copy', 'config', 'completion']);
    expect(await complete(bash, ['statekeep', '--js'], ws.cwd)).toEqual(['--json']);
    expect(await complete(bash, ['statekeep', 'train', 'iris', '--s'], ws.cwd)).toEqual(['--since-last']);
    expect(await complete(bash, ['statekeep', 'apply', 'iris', '--c'], ws.cwd)).toEqual(['--columns']);
    // A global option's value is not the verb.
    expect(await complete(bash, ['statekeep', '--registry', 'local', 'sh'], ws.cwd)).toEqual(['show']);
    expect(await complete(bash, ['statekeep', 'alias', 'h'], ws.cwd)).toEqual(['history']);
    writeFileSync(path.join(ws.cwd, 'rows.csv'), 'a\n1\n');
    expect(await complete(bash, ['statekeep', 'train', 'iris', '--data', 'row'], ws.cwd)).toEqual(['rows.csv']);
  });

  it("bash: completes a verb's project argument with the registry's project names", async () => {
    expect(await complete(bash, [shim, 'show', ''], ws.cwd)).toEqual(['iris', 'wine']);
    expect(await complete(bash, [shim, 'show', 'w'], ws.cwd)).toEqual(['wine']);
    expect(await complete(bash, [shim, 'alias', 'list', 'i'], ws.cwd)).toEqual(['iris']);
    // Past the project, no names are offered.
    expect(await complete(bash, [shim, 'show', 'iris', ''], ws.cwd)).toEqual([]);
  });

  it('zsh and fish: scripts that name every verb and option, and parse where the shell is installed', async () => {
    const zsh = (await statekeepInProcess(['completion', 'zsh'], ws)).stdout;
    const fish = (await statekeepInProcess(['completion', 'fish'], ws)).stdout;
    expect(zsh.split('\n')[0]).toBe('#compdef statekeep');
    expect(zsh).toContain(
      "'train:train the pipeline, warm-started from the latest generation, and commit a new generation'",
    );
    expect(zsh).toMatch(/ {4}apply\) opts=\([^)]*'--columns:/);
    expect(zsh).toContain('compdef _statekeep statekeep');
    expect(fish).toContain("complete -c statekeep -n '__fish_use_subcommand' -a completion -d");
    expect(fish).toContain("complete -c statekeep -n '__fish_seen_subcommand_from train' -l since-last -d");
    expect(fish).toContain("complete -c statekeep -n '__fish_seen_subcommand_from apply' -l out -r -F -d");
    expect(fish).toMatch(
      /-a '\(statekeep list --json 2>\/dev\/null \| string match -rg \\'"project": \*"\(\[\^"\]\*\)"\\'\)'$/m,
    );
    for (const [shell, text, check] of [
      ['zsh', zsh, ['-n']],
      ['fish', fish, ['--no-execute']],
    ] as const) {
      const binary = `/usr/bin/${shell}`;
      if (!existsSync(binary)) continue;
      const file = path.join(ws.cwd, `statekeep.${shell}`);
      writeFileSync(file, text);
      await exec(binary, [...check, file]);
    }
  });

  it('--help says how to install each script', async () => {
    const { stdout } = await statekeepInProcess(['completion', '--help'], ws);
    expect(stdout).toContain("bash  echo 'source <(statekeep completion bash)' >> ~/.bashrc");
    expect(stdout).toContain("zsh   echo 'source <(statekeep completion zsh)' >> ~/.zshrc   (after compinit)");
    expect(stdout).toContain('fish  statekeep completion fish > ~/.config/fish/completions/statekeep.fish');
  });

  it('an unknown shell is a usage error, exit 2', async () => {
    const { code, stderr } = await statekeepInProcess(['--json', 'completion', 'tcsh'], ws);
    expect(code).toBe(2);
    expect(JSON.parse(stderr).error).toMatchObject({
      code: 'USAGE',
      message: 'no completion for the shell "tcsh"',
      hint: 'use one of: bash, zsh, fish',
      data: { argument: 'shell' },
    });
  });
});

describe('statekeep version', () => {
  const ws = workspace();

  it('prints the version as --version does; with --json also Node.js', async () => {
    const verb = await statekeepInProcess(['version'], ws);
    const flag = await statekeepInProcess(['--version'], ws);
    expect(verb).toEqual({ code: 0, stdout: `${STATEKEEP_VERSION}\n`, stderr: '' });
    expect(flag.stdout).toBe(verb.stdout);
    expect(JSON.parse((await statekeepInProcess(['--json', 'version'], ws)).stdout)).toEqual({
      statekeep: STATEKEEP_VERSION,
      node: process.versions.node,
    });
  });
});
