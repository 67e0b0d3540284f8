// Part of `npm run build`: inlines the third-party packages that every command loads at start-up
// into the compiled modules that import them. inversify is some 360 small modules, yaml 74 and
// semver 50; loading them one file at a time cost each command some 250 ms, one bundled file each
// loads in a fraction of that. statekeep's own modules stay separate imports, so that no class
// exists twice; src/ and the tests keep importing the packages themselves.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const BUNDLED = [
  'platform/container.js', // inversify, reflect-metadata
  'platform/yaml-source.js', // yaml
  'registry/versions.js', // semver
];

// CommonJS packages (yaml, semver) require Node's built-ins by name.
const BANNER =
  "import { createRequire as __statekeepRequire } from 'node:module';\nconst require = __statekeepRequire(import.meta.url);";

const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

for (const name of BUNDLED) {
  const file = path.join(DIST, name);
  // Bundled already (this script ran since tsc wrote it): bundling its output again would add a
  // second banner, which declares `require` twice and breaks every command.
  if ((await readFile(file, 'utf8')).startsWith(BANNER)) continue;
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
    banner: { js: BANNER },
    plugins: [
      {
        name: 'statekeep-modules-stay-external',
        setup(builder) {
          // A relative import from dist/ is statekeep's; one from a package is the package's. (Not
          // "is the importer under node_modules": statekeep itself may be built inside one.)
          builder.onResolve({ filter: /^\.\.?\// }, (args) =>
            args.importer.startsWith(DIST) ? { path: args.path, external: true } : undefined,
          );
        },
      },
    ],
  });
}
