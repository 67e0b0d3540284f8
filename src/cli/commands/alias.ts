import type { Command } from 'commander';
import { describeTarget, type AliasEntry, type AliasTarget } from '../../registry/aliases.js';
import { UsageError } from '../../registry/errors/index.js';
import { resolveGenerationRef } from '../alias-ref.js';
import type { VerbContext } from '../context.js';
import { formatTime } from '../output.js';
import type { ActionWrapper, RegisterVerb } from '../verb.js';

interface ExpectOptions {
  expect?: string;
  expectUnset?: boolean;
  reason?: string;
}

export const registerAlias: RegisterVerb = (program, action) => {
  const alias = program
    .command('alias')
    .description(
      'named pointers at a generation (production → iris 1.1.0 #3), moved by compare-and-swap, with history',
    );
  registerSet(alias, action);
  registerList(alias, action);
  registerHistory(alias, action);
  registerRm(alias, action);
};

function expectOptions(command: Command): Command {
  return command
    .option('--expect <release/generation>', 'move only if the alias still points there (else CONFLICT, exit 1)')
    .option('--expect-unset', 'move only if the alias is not set')
    .option('--reason <text>', 'why, recorded in the history');
}

function registerSet(alias: Command, action: ActionWrapper): void {
  expectOptions(
    alias
      .command('set')
      .description('point ALIAS at generation GENERATION of RELEASE (or at what @OTHER holds)')
      .argument('<project>', 'project name')
      .argument('<alias>', 'alias name (not "latest")')
      .argument('[release]', 'release version, or @OTHER')
      .argument('[generation]', 'generation number'),
  )
    .option('--to-previous', 'move back to where it pointed before its last move')
    .action(
      action(
        async (
          ctx,
          project: string,
          name: string,
          release: string | undefined,
          generation: string | undefined,
          options: ExpectOptions & { toPrevious?: boolean },
        ) => {
          const registry = await ctx.registry();
          const moveOptions = { ...expectation(options), reason: options.reason ?? null };
          let entry: AliasEntry;
          if (options.toPrevious === true) {
            if (release !== undefined)
              throw new UsageError(
                '--to-previous takes no RELEASE or GENERATION',
                'give either --to-previous or RELEASE GENERATION',
                { argument: '--to-previous' },
              );
            entry = await registry.setAlias(project, name, 'previous', moveOptions);
          } else {
            const ref = await resolveGenerationRef(registry, project, release, generation);
            if (ref.release === undefined || ref.generation === undefined)
              throw new UsageError(
                `alias set ${name} needs a RELEASE and a GENERATION`,
                `run \`statekeep alias set ${project} ${name} 1.0.0 3\`, or give --to-previous`,
                { argument: 'generation' },
              );
            entry = await registry.setAlias(
              project,
              name,
              { release: ref.release, generation: ref.generation },
              moveOptions,
            );
          }
          printMove(ctx, entry);
        },
      ),
    );
}

function registerRm(alias: Command, action: ActionWrapper): void {
  expectOptions(
    alias
      .command('rm')
      .description('unset ALIAS (recorded in its history)')
      .argument('<project>', 'project name')
      .argument('<alias>', 'alias name'),
  ).action(
    action(async (ctx, project: string, name: string, options: ExpectOptions) => {
      const registry = await ctx.registry();
      printMove(
        ctx,
        await registry.removeAlias(project, name, { ...expectation(options), reason: options.reason ?? null }),
      );
    }),
  );
}

function registerList(alias: Command, action: ActionWrapper): void {
  alias
    .command('list')
    .description("list a project's aliases and where they point")
    .argument('<project>', 'project name')
    .action(
      action(async (ctx, project: string) => {
        const entries = await (await ctx.registry()).aliases(project);
        const rows = entries.map((e) => ({
          alias: e.alias,
          release: e.to!.release,
          generation: e.to!.generation,
          time: e.time,
          reason: e.reason,
        }));
        if (ctx.json) return ctx.out.json(rows);
        if (rows.length === 0) return ctx.err.line(`${project} has no aliases`);
        ctx.out.table(
          [
            { header: 'alias', value: (r) => r.alias },
            { header: 'release', value: (r) => r.release },
            { header: 'generation', value: (r) => String(r.generation), align: 'right' },
            { header: 'since', value: (r) => formatTime(r.time) },
            { header: 'reason', value: (r) => r.reason ?? '-' },
          ],
          rows,
        );
      }),
    );
}

function registerHistory(alias: Command, action: ActionWrapper): void {
  alias
    .command('history')
    .description('print every move of an alias, newest first')
    .argument('<project>', 'project name')
    .argument('<alias>', 'alias name')
    .action(
      action(async (ctx, project: string, name: string) => {
        const entries: AliasEntry[] = [];
        for await (const entry of (await ctx.registry()).aliasHistory(project, name)) entries.push(entry);
        if (ctx.json) return ctx.out.json(entries);
        if (entries.length === 0) return ctx.err.line(`alias ${name} of ${project} has never been set`);
        ctx.out.table(
          [
            { header: 'entry', value: (e) => String(e.entry), align: 'right' },
            { header: 'time', value: (e) => formatTime(e.time) },
            { header: 'action', value: (e) => e.action },
            { header: 'from', value: (e) => describeTarget(e.from) },
            { header: 'to', value: (e) => describeTarget(e.to) },
            { header: 'reason', value: (e) => e.reason ?? '-' },
            { header: 'statekeep', value: (e) => e.statekeep },
          ],
          entries,
        );
      }),
    );
}

function expectation(options: ExpectOptions): {
  expect?: AliasTarget | { release: string; generation: string } | null;
} {
  if (options.expect !== undefined && options.expectUnset === true)
    throw new UsageError('--expect and --expect-unset exclude each other', 'give one of them', {
      argument: '--expect',
    });
  if (options.expectUnset === true) return { expect: null };
  if (options.expect === undefined) return {};
  const match = /^([^/]+)\/([^/]+)$/.exec(options.expect);
  if (match === null)
    throw new UsageError(
      `--expect ${JSON.stringify(options.expect)} is not RELEASE/GENERATION`,
      'write it as 1.1.0/3, or use --expect-unset',
      { argument: '--expect' },
    );
  return { expect: { release: match[1]!, generation: match[2]! } };
}

function printMove(ctx: VerbContext, entry: AliasEntry): void {
  if (ctx.json) return ctx.out.json(entry);
  const what = entry.to === null ? 'removed' : describeTarget(entry.to);
  ctx.out.line(`${entry.project} ${entry.alias}: ${describeTarget(entry.from)} → ${what} (entry ${entry.entry})`);
}
