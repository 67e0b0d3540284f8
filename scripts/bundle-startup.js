// Part of `npm run build`: inlines the third-party packages that every command loads at start-up
// into the compiled modules that import them. inversify is some 360 small modules, yaml 74 and
// semver 50; loading them one file at a time cost each command some 250 ms, one bundled file each
// loads in a fraction of that. statekeep's own modules stay separate imports, so that no class
// exists twice; src/ and the tests keep importing the packages themselves.
import { build } from 'esbuild';

const BUNDLED = [
  'platform/container.js', // inversify, reflect-metadata
  'platform/yaml-source.js', // yaml
  'registry/versions.js', // semver
];

for (const name of BUNDLED) {
  const file = new URL(`../dist/${name}`, import.meta.url).pathname;
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
    // CommonJS packages (yaml, semver) require Node's built-ins by name.
    banner: {
      js: "import { createRequire as __statekeepRequire } from 'node:module';\nconst require = __statekeepRequire(import.meta.url);",
    },
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
}
