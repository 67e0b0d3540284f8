import type { AddressInfo } from 'node:net';
import type { StateCodec } from '../../codec/state-codec.js';
import { followPredictor, type Follower } from '../../pipeline/follow.js';
import type { GenerationRef } from '../../pipeline/predictor.js';
import { predictorSupport } from '../../platform/open-project-code.js';
import { TOKENS } from '../../platform/tokens.js';
import { UsageError } from '../../registry/errors/index.js';
import type { ProjectSource } from '../../release/project-source.js';
import { isAliasRef } from '../alias-ref.js';
import { createPredictServer, DEFAULT_MAX_BODY, wholeOption } from '../serve-http.js';
import type { RegisterVerb } from '../verb.js';

export const registerServe: RegisterVerb = (program, action) => {
  program
    .command('serve')
    .description('answer predictions over HTTP from a generation, following its alias (or the latest) as it moves')
    .argument('<project>', 'a registered project name')
    .argument('[release]', 'release version, or @ALIAS to follow (default: follow the latest)')
    .argument('[generation]', 'generation number (default: follow the release’s latest)')
    .option('--port <n>', 'TCP port; 0 picks a free one', '8000')
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--interval <ms>', 'how often to look for a new generation', '1000')
    .option('--max-body <bytes>', 'largest request body accepted', String(DEFAULT_MAX_BODY))
    .action(
      action(
        async (
          ctx,
          project: string,
          release: string | undefined,
          generation: string | undefined,
          options: { port: string; host: string; interval: string; maxBody: string },
        ) => {
          const port = wholeOption('--port', options.port, 0, 65535);
          const intervalMs = wholeOption('--interval', options.interval, 10, 3_600_000);
          const maxBody = wholeOption('--max-body', options.maxBody, 1, 1024 ** 3);
          if (isAliasRef(release) && generation !== undefined)
            throw new UsageError(
              `${release} names a generation already; drop the generation ${generation}`,
              'give either RELEASE GENERATION or @ALIAS',
              { argument: 'generation' },
            );
          const at: GenerationRef = isAliasRef(release)
            ? (release as `@${string}`)
            : generation === undefined
              ? 'latest'
              : wholeOption('generation', generation, 1, Number.MAX_SAFE_INTEGER);
          const registry = await ctx.registry();
          const support = predictorSupport(
            await ctx.resolve<StateCodec>(TOKENS.Codec),
            await ctx.resolve<ProjectSource>(TOKENS.ProjectSource),
          );
          const follower: Follower = await followPredictor(registry, project, {
            ...support,
            at,
            ...(release !== undefined && !isAliasRef(release) && { release }),
            intervalMs,
            onChange: (now) => ctx.err.line(`now serving ${now.project} ${now.release} #${now.generation}`),
            onError: (error) => {
              const e = error as { message?: unknown; hint?: unknown };
              ctx.err.line(`statekeep: ${String(e.message ?? error)}`);
              if (typeof e.hint === 'string') ctx.err.line(`  hint: ${e.hint}`);
            },
          });
          const server = createPredictServer(follower.current, { maxBody });
          await new Promise<void>((resolve, reject) => {
            server.once('error', (error: NodeJS.ErrnoException) =>
              reject(
                new UsageError(
                  `cannot listen on ${options.host}:${port} (${error.code ?? error.message})`,
                  'choose another --port or --host',
                  { argument: '--port' },
                ),
              ),
            );
            server.listen(port, options.host, resolve);
          });
          const address = server.address() as AddressInfo;
          const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
          const now = follower.current();
          const following = isAliasRef(release)
            ? `following ${release}`
            : generation !== undefined
              ? 'fixed'
              : `following the latest${release === undefined ? '' : ` of ${release}`}`;
          ctx.err.line(
            `serving ${now.project} ${now.release} #${now.generation} at http://${host}:${address.port} (${following})`,
          );
          await new Promise<void>((resolve) => {
            const stop = (): void => {
              process.off('SIGINT', stop);
              process.off('SIGTERM', stop);
              resolve();
            };
            process.on('SIGINT', stop);
            process.on('SIGTERM', stop);
          });
          follower.close();
          server.closeAllConnections();
          await new Promise<void>((resolve) => server.close(() => resolve()));
        },
      ),
    );
};
