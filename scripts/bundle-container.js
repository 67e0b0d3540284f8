// Part of `npm run build`: inlines inversify (and reflect-metadata) into dist/platform/container.js.
// inversify is some 360 small modules, whose loading cost every command about 180 ms at start-up;
// one bundled file loads in about 15. statekeep's own modules stay separate imports, so that no
// class exists twice; src/ and the tests keep importing inversify itself.
import { build } from 'esbuild';

const file = new URL('../dist/platform/container.js', import.meta.url).pathname;
await build({
  entryPoints: [file],
  outfile: file,
  allowOverwrite: true,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  plugins: [
    {
      name: 'statekeep-modules-stay-external',
      setup(builder) {
        builder.onResolve({ filter: /^\.\.?\// }, (args) =>
          args.importer.includes('/node_modules/') ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
