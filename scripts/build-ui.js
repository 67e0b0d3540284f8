// Part of `npm run build`: bundles the web view of `statekeep ui` (src/ui/app/, preact and
// Chart.js) into dist/ui/assets/ (index.html, app.js, app.css). The browser loads only these
// files, from the ui server itself: nothing from the network. The front-end packages are build
// inputs only (devDependencies): a published statekeep ships the bundle, not them.
import { copyFile, mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const APP = fileURLToPath(new URL('../src/ui/app/', import.meta.url));
const OUT = fileURLToPath(new URL('../dist/ui/assets/', import.meta.url));

await mkdir(OUT, { recursive: true });
const result = await build({
  entryPoints: { app: `${APP}main.tsx` },
  outdir: OUT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  legalComments: 'eof',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  tsconfig: `${APP}tsconfig.json`,
  define: { 'process.env.NODE_ENV': '"production"' },
  metafile: true,
  logLevel: 'warning',
});
await copyFile(`${APP}index.html`, `${OUT}index.html`);
if (process.argv.includes('--sizes'))
  for (const [file, { bytes }] of Object.entries(result.metafile.outputs)) console.log(`${file}\t${bytes} B`);
