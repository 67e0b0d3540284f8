import type { ProjectSource } from '../../release/project-source.js';
import { TOKENS } from '../../platform/tokens.js';
import { formatBytes, shortDigest } from '../output.js';
import type { RegisterVerb } from '../verb.js';
import { registerReleaseRm } from './release-rm.js';

export const registerRelease: RegisterVerb = (program, action) => {
  const release = program.command('release');
  registerReleaseRm(release, action);
  release
    .description(
      "bundle a project directory's pipeline and dependencies into a package, and publish it as the release its package.json names",
    )
    .argument('[dir]', 'project directory', '.')
    .action(
      action(async (ctx, dir: string) => {
        const source = await ctx.resolve<ProjectSource>(TOKENS.ProjectSource);
        const record = await source.publish(dir);
        if (ctx.json) return ctx.out.json(record);
        ctx.out.fields([
          ['project', record.project],
          ['release', record.version],
          ['package', `${record.package.digest} (${formatBytes(record.package.size)})`],
          ['payload', record.info.payload ?? '-'],
          ['commit', record.info.commit ?? '-'],
        ]);
        ctx.err.line(
          `published ${record.project} ${record.version} (${shortDigest(record.package.digest)}) to ${(await ctx.registry()).descriptor.target}`,
        );
      }),
    );
};
