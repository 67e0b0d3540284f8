import type { Command } from 'commander';
import { UsageError } from '../../registry/errors/index.js';
import type { RegisterVerb } from '../verb.js';

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

export const registerCompletion: RegisterVerb = (program, action) => {
  program
    .command('completion')
    .description('print a shell completion script: verbs, options and project names')
    .argument('<shell>', SHELLS.join(', '))
    .addHelpText(
      'after',
      [
        '',
        'Install:',
        "  bash  echo 'source <(statekeep completion bash)' >> ~/.bashrc",
        "  zsh   echo 'source <(statekeep completion zsh)' >> ~/.zshrc   (after compinit)",
        '  fish  statekeep completion fish > ~/.config/fish/completions/statekeep.fish',
      ].join('\n'),
    )
    .action(
      action(async (ctx, shell: string) => {
        if (!(SHELLS as readonly string[]).includes(shell))
          throw new UsageError(
            `no completion for the shell ${JSON.stringify(shell)}`,
            `use one of: ${SHELLS.join(', ')}`,
            {
              argument: 'shell',
            },
          );
        // Every verb, as `statekeep --help` lists them: the script is made from the program itself.
        const { buildProgram } = await import('../program.js');
        const quiet = { write: () => true };
        const full = await buildProgram(
          (fn) =>
            async (..._args) => {
              void fn;
            },
          { stdout: quiet, stderr: quiet },
        );
        ctx.out.line(completionScript(shell as Shell, commandModel(full)).trimEnd());
      }),
    );
};

/** What completion needs to know of the command line. */
export interface CompletionModel {
  globals: OptionModel[];
  verbs: VerbModel[];
}

export interface OptionModel {
  flag: string;
  description: string;
  /** Takes a value (the next word). */
  valued: boolean;
  /** Its value is a file. */
  file: boolean;
}

export interface VerbModel {
  name: string;
  description: string;
  options: OptionModel[];
  /** The first argument is a project name. */
  project: boolean;
  subcommands: VerbModel[];
}

// Options whose value is a path: the shell completes file names for them.
const FILE_OPTIONS = new Set(['--data', '--out', '--platform']);

export function commandModel(program: Command): CompletionModel {
  return { globals: optionsOf(program), verbs: program.commands.map(verbOf) };
}

function verbOf(command: Command): VerbModel {
  const subcommands = command.commands.map(verbOf);
  return {
    name: command.name(),
    description: command.description(),
    options: [...optionsOf(command), ...subcommands.flatMap((s) => s.options)].filter(
      (o, i, all) => all.findIndex((p) => p.flag === o.flag) === i,
    ),
    project: command.registeredArguments[0]?.name() === 'project' || subcommands.some((s) => s.project),
    subcommands,
  };
}

function optionsOf(command: Command): OptionModel[] {
  const options: OptionModel[] = command.options
    .filter((o) => !o.hidden && o.long !== undefined)
    .map((o) => ({
      flag: o.long!,
      description: o.description,
      valued: o.required || o.optional,
      file: FILE_OPTIONS.has(o.long!),
    }));
  // Commander adds --help to each command by itself.
  if (!options.some((o) => o.flag === '--help'))
    options.push({ flag: '--help', description: 'show help', valued: false, file: false });
  return options;
}

export function completionScript(shell: Shell, model: CompletionModel): string {
  if (shell === 'bash') return bashScript(model);
  if (shell === 'zsh') return zshScript(model);
  return fishScript(model);
}

// Project names, from the registry the command line being completed names: cheap enough for a
// tab press on a local registry, and silent when it fails.
const PROJECTS_JSON_PATTERN = '"project": *"\\([^"]*\\)"';

function flags(options: readonly OptionModel[], which: (o: OptionModel) => boolean = () => true): string {
  return [...new Set(options.filter(which).map((o) => o.flag))].join(' ');
}

function bashScript(model: CompletionModel): string {
  const verbCases = model.verbs
    .map((v) => `    ${v.name}) opts="${flags(v.options)}"; subs="${v.subcommands.map((s) => s.name).join(' ')}" ;;`)
    .join('\n');
  const valued = flags([...model.globals, ...model.verbs.flatMap((v) => v.options)], (o) => o.valued);
  const files = flags([...model.globals, ...model.verbs.flatMap((v) => v.options)], (o) => o.file);
  const projectVerbs = model.verbs.filter((v) => v.project).map((v) => v.name);
  return `# bash completion for statekeep: source <(statekeep completion bash)
_statekeep_projects() {
  "\${_statekeep_cmd[@]}" list --json 2>/dev/null | sed -n 's/.*${PROJECTS_JSON_PATTERN}.*/\\1/p'
}

_statekeep() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" verb="" i w positional=0
  local -a _statekeep_cmd=("\${COMP_WORDS[0]}")
  ((COMP_CWORD > 0)) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  local valued=" ${valued} " files=" ${files} "
  COMPREPLY=()
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    if [[ "$valued" == *" $w "* ]]; then
      [[ -z "$verb" ]] && _statekeep_cmd+=("$w" "\${COMP_WORDS[i+1]}")
      ((i++))
    elif [[ "$w" != -* ]]; then
      if [[ -z "$verb" ]]; then verb="$w"; else ((positional++)); fi
    fi
  done
  if [[ "$files" == *" $prev "* ]]; then
    COMPREPLY=($(compgen -f -- "$cur"))
    return
  fi
  [[ "$valued" == *" $prev "* ]] && return
  local globals="${flags(model.globals)}"
  if [[ -z "$verb" ]]; then
    if [[ "$cur" == -* ]]; then
      COMPREPLY=($(compgen -W "$globals" -- "$cur"))
    else
      COMPREPLY=($(compgen -W "${model.verbs.map((v) => v.name).join(' ')}" -- "$cur"))
    fi
    return
  fi
  local opts="" subs=""
  case "$verb" in
${verbCases}
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts $globals" -- "$cur"))
  elif [[ -n "$subs" && $positional -eq 0 ]]; then
    COMPREPLY=($(compgen -W "$subs" -- "$cur"))
  elif [[ " ${projectVerbs.join(' ')} " == *" $verb "* ]] && (( positional == (\${#subs} > 0 ? 1 : 0) )); then
    COMPREPLY=($(compgen -W "$(_statekeep_projects)" -- "$cur"))
  fi
}

complete -o default -F _statekeep statekeep
`;
}

/** A word for a zsh or fish single-quoted string. */
function quoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

function zshScript(model: CompletionModel): string {
  const verbs = model.verbs.map((v) => `    ${quoted(`${v.name}:${v.description}`)}`).join('\n');
  const optionArrays = (options: readonly OptionModel[]): string =>
    options.map((o) => quoted(`${o.flag}:${o.description}`)).join(' ');
  const verbCases = model.verbs
    .map(
      (v) =>
        `    ${v.name}) opts=(${optionArrays(v.options)}); subs=(${v.subcommands.map((s) => quoted(`${s.name}:${s.description}`)).join(' ')}) ;;`,
    )
    .join('\n');
  const all = [...model.globals, ...model.verbs.flatMap((v) => v.options)];
  const projectVerbs = model.verbs.filter((v) => v.project).map((v) => v.name);
  return `#compdef statekeep
# zsh completion for statekeep: source <(statekeep completion zsh), after compinit
_statekeep() {
  local -a verbs globals opts subs cmd projects
  local verb="" word prev="\${words[CURRENT-1]}" i positional=0
  local valued=" ${flags(all, (o) => o.valued)} " files=" ${flags(all, (o) => o.file)} "
  verbs=(
${verbs}
  )
  globals=(${optionArrays(model.globals)})
  cmd=("\${words[1]}")
  for ((i = 2; i < CURRENT; i++)); do
    word="\${words[i]}"
    if [[ "$valued" == *" $word "* ]]; then
      [[ -z "$verb" ]] && cmd+=("$word" "\${words[i+1]}")
      ((i++))
    elif [[ "$word" != -* ]]; then
      if [[ -z "$verb" ]]; then verb="$word"; else ((positional++)); fi
    fi
  done
  if [[ "$files" == *" $prev "* ]]; then
    _files
    return
  fi
  [[ "$valued" == *" $prev "* ]] && return
  if [[ -z "$verb" ]]; then
    if [[ "\${words[CURRENT]}" == -* ]]; then _describe -t options 'option' globals; else _describe -t commands 'command' verbs; fi
    return
  fi
  case "$verb" in
${verbCases}
  esac
  if [[ "\${words[CURRENT]}" == -* ]]; then
    _describe -t options 'option' opts -- globals
  elif (( \${#subs} > 0 && positional == 0 )); then
    _describe -t commands 'subcommand' subs
  elif [[ " ${projectVerbs.join(' ')} " == *" $verb "* ]] && (( positional == (\${#subs} > 0 ? 1 : 0) )); then
    projects=(\${(f)"$("\${cmd[@]}" list --json 2>/dev/null | sed -n 's/.*${PROJECTS_JSON_PATTERN}.*/\\1/p')"})
    compadd -a projects
  fi
}

if [[ "\${funcstack[1]}" == _statekeep ]]; then
  _statekeep "$@"
else
  compdef _statekeep statekeep
fi
`;
}

function fishScript(model: CompletionModel): string {
  const lines = [
    '# fish completion for statekeep: statekeep completion fish > ~/.config/fish/completions/statekeep.fish',
    'complete -c statekeep -f',
  ];
  const option = (o: OptionModel, condition?: string): string => {
    const parts = ['complete -c statekeep'];
    if (condition !== undefined) parts.push(`-n ${quoted(condition)}`);
    parts.push(`-l ${o.flag.slice(2)}`);
    if (o.valued) parts.push(o.file ? '-r -F' : '-r');
    parts.push(`-d ${quoted(o.description)}`);
    return parts.join(' ');
  };
  for (const o of model.globals) lines.push(option(o));
  for (const v of model.verbs) {
    lines.push(`complete -c statekeep -n '__fish_use_subcommand' -a ${v.name} -d ${quoted(v.description)}`);
    const seen = `__fish_seen_subcommand_from ${v.name}`;
    for (const o of v.options) if (o.flag !== '--help') lines.push(option(o, seen));
    for (const s of v.subcommands)
      lines.push(
        `complete -c statekeep -n ${quoted(`${seen}; and not __fish_seen_subcommand_from ${v.subcommands.map((x) => x.name).join(' ')}`)} -a ${s.name} -d ${quoted(s.description)}`,
      );
  }
  const projectVerbs = model.verbs.filter((v) => v.project).map((v) => v.name);
  lines.push(
    `complete -c statekeep -n ${quoted(`__fish_seen_subcommand_from ${projectVerbs.join(' ')}`)} -a '(statekeep list --json 2>/dev/null | string match -rg \\'"project": *"([^"]*)"\\')'`,
  );
  return `${lines.join('\n')}\n`;
}
