import type { Origin, PlatformFileVia } from '../../platform/platform-config.js';
import { viewPlatform } from '../../platform/platform-view.js';
import type { RegisterVerb } from '../verb.js';

const FOUND_BY: Record<PlatformFileVia, string> = {
  flag: 'from --platform',
  env: 'from $STATEKEEP_PLATFORM',
  cwd: 'found in the current directory',
  home: 'found in ~/.statekeep',
  none: 'none found; the defaults apply',
};

export const registerConfig: RegisterVerb = (program, action) => {
  program
    .command('config')
    .description('print the effective platform configuration, secrets masked, and where each setting came from')
    .action(
      action(async (ctx) => {
        const view = viewPlatform(await ctx.platform());
        if (ctx.json)
          return ctx.out.json({
            file: view.file,
            via: view.via,
            defaults: view.defaults,
            config: view.config,
            origins: Object.fromEntries(view.settings.map((s) => [s.key, s.origin])),
          });
        ctx.out.fields([
          ['platform file', view.file === null ? FOUND_BY.none : `${view.file} (${FOUND_BY[view.via]})`],
          ['defaults', view.defaults],
        ]);
        ctx.out.line();
        ctx.out.table(
          [
            { header: 'setting', value: (s) => s.key },
            { header: 'value', value: (s) => (typeof s.value === 'string' ? s.value : JSON.stringify(s.value)) },
            { header: 'origin', value: (s) => describeOrigin(s.origin) },
          ],
          view.settings,
        );
      }),
    );
};

export function describeOrigin(origin: Origin | null): string {
  if (origin === null) return '-';
  switch (origin.kind) {
    case 'defaults':
      return 'defaults';
    case 'file':
      return `${origin.file}:${origin.line}`;
    case 'env': {
      const unset = origin.unset ?? [];
      const names = origin.variables.map((v) => (unset.includes(v) ? `$${v} unset` : `$${v}`));
      return `${names.join(', ')} (${origin.file}:${origin.line})`;
    }
    case 'flag':
      return origin.flag;
  }
}
