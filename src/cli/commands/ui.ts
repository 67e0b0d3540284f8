import type { AddressInfo } from 'node:net';
import { ConfigError, UsageError } from '../../registry/errors/index.js';
import { wholeOption } from '../serve-http.js';
import type { RegisterVerb } from '../verb.js';

/** Default --port of `statekeep ui`. */
export const DEFAULT_UI_PORT = 8765;

export const registerUi: RegisterVerb = (program, action) => {
  program
    .command('ui')
    .description('serve a read-only web view of the registry (projects, releases, generations, lineage, aliases)')
    .option('--port <n>', 'TCP port; 0 picks a free one', String(DEFAULT_UI_PORT))
    .option('--host <address>', 'address to listen on; any but loopback opens the view to the network', '127.0.0.1')
    .addHelpText('after', '\nThe registry shown is registry.default, or the instance the global --registry NAME names.')
    .action(
      action(async (ctx, options: { port: string; host: string }) => {
        const port = wholeOption('--port', options.port, 0, 65535);
        // The server and its views load with this verb only.
        const { createUiServer, DEFAULT_ASSETS, isLoopbackHost, missingAssets } = await import('../../ui/server.js');
        const missing = missingAssets(DEFAULT_ASSETS);
        if (missing !== null)
          throw new ConfigError(
            { file: DEFAULT_ASSETS, problem: `the web view's files (${missing}) are missing` },
            'build statekeep with `npm run build`, which bundles the web view',
          );
        const registry = await ctx.registry();
        const loopback = isLoopbackHost(options.host);
        const server = createUiServer(registry, {
          loopbackHostsOnly: loopback,
          onError: (error) => ctx.err.line(`statekeep ui: ${error instanceof Error ? error.message : String(error)}`),
        });
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
        // Listening for the signals before the URL is out: one sent as soon as it is read stops
        // the server cleanly instead of killing the process.
        const stopped = new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            resolve();
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
        const address = server.address() as AddressInfo;
        const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
        const url = `http://${host}:${address.port}/`;
        ctx.err.line(
          `statekeep ui: a read-only view of the ${registry.descriptor.name} registry ${registry.descriptor.target} at ${url} (Ctrl-C stops it)`,
        );
        if (!loopback)
          ctx.err.line(
            `statekeep ui: listening on ${options.host}: anyone who can reach this machine can read the registry`,
          );
        if (ctx.json) ctx.out.json({ url, registry: registry.descriptor.name, readOnly: true });
        else ctx.out.line(url);
        await stopped;
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }),
    );
};
