import { realpath } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { digestOf, type Digest } from '../registry/digest.js';
import { UsageError } from '../registry/errors/index.js';
import type { Clock } from '../registry/clock.js';
import { STATEKEEP_VERSION } from '../version.js';
import { packFiles } from './archive.js';
import {
  encodePackageManifest,
  PACKAGE_MANIFEST_FILE,
  PACKAGE_FORMAT,
  PAYLOAD_DIR,
  type PackageManifest,
  type PayloadFile,
} from './package-manifest.js';
import { packageOf, readBundleSettings, type BundleSettings } from './bundle-settings.js';
import { payloadDigest } from './payload-digest.js';
import { isInside, outsideLinks, type ProjectDirectory } from './project-directory.js';
import { sourceCommit } from './source-commit.js';

export interface BuiltPackage {
  manifest: PackageManifest;
  /** The gzipped tar: the manifest and the payload. Its sha256 is the package digest. */
  archive: Uint8Array;
  digest: Digest;
}

const BUNDLE = 'index.mjs';
// Bundled CommonJS dependencies may call require(); an ES module has none of its own.
const REQUIRE_SHIM =
  "import { createRequire as __statekeepRequire } from 'node:module'; const require = __statekeepRequire(import.meta.url);";

/**
 * Bundles a project's pipeline module and its runtime dependencies into one ES module with
 * esbuild, and packs it with a manifest. The bundle depends on nothing but Node's built-ins, so
 * the package runs wherever it is unpacked; the same sources always give the same payload digest.
 */
export async function buildPackage(project: ProjectDirectory, clock: Clock): Promise<BuiltPackage> {
  const bundle = await bundleProject(project);
  const file: PayloadFile = { path: BUNDLE, size: bundle.length, sha256: digestOf(bundle) };
  const manifest: PackageManifest = {
    format: PACKAGE_FORMAT,
    project: project.name,
    version: project.version,
    entry: BUNDLE,
    payload: { sha256: payloadDigest([file]), files: [file] },
    statekeep: STATEKEEP_VERSION,
    node: project.node,
    created: clock().toISOString(),
    source: await sourceCommit(project.dir),
  };
  const archive = await packFiles(
    new Map([
      [PACKAGE_MANIFEST_FILE, encodePackageManifest(manifest)],
      [`${PAYLOAD_DIR}/${BUNDLE}`, bundle],
    ]),
  );
  return { manifest, archive, digest: digestOf(archive) };
}

async function bundleProject(project: ProjectDirectory): Promise<Uint8Array> {
  const settings = await readBundleSettings(project.dir);
  let result: esbuild.BuildResult<{ write: false; metafile: true }>;
  try {
    result = await esbuild.build({
      entryPoints: [path.join(project.dir, project.entry)],
      absWorkingDir: project.dir,
      outfile: path.join(project.dir, BUNDLE),
      write: false,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Type-only imports of statekeep vanish; a runtime one is refused below.
      external: ['statekeep'],
      banner: { js: REQUIRE_SHIM },
      // Actor names may be derived from class names, and they key states: never rename a class.
      keepNames: true,
      legalComments: 'none',
      charset: 'utf8',
      metafile: true,
      logLevel: 'silent',
      plugins: [leftOutModules(settings)],
    });
  } catch (error) {
    const first = (error as esbuild.BuildFailure).errors?.[0];
    const at = first?.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
    const missing = /^Could not resolve "([^"]+)"/.exec(first?.text ?? '')?.[1];
    throw new UsageError(
      `cannot bundle ${project.name}: ${at}${first?.text ?? String(error)}`,
      missing === undefined || missing.startsWith('.') || missing.startsWith('/')
        ? `fix the project's code, or run \`npm install\` in ${project.dir}`
        : missingModuleHint(packageOf(missing), project.dir),
      {
        argument: project.dir,
        ...(missing === undefined ? {} : { module: missing }),
        ...(first?.location ? { importer: first.location.file } : {}),
      },
    );
  }
  await refuseOutsideLinks(project, Object.keys(result.metafile.inputs));
  // What esbuild left unresolved inside a try/catch (node-fetch's optional require('encoding'))
  // stays a require() that fails at run time as if not installed, which its code handles; only
  // statekeep itself must never be imported at run time.
  const importer = statekeepImporter(result.metafile);
  if (importer !== undefined) {
    throw new UsageError(
      `cannot bundle ${project.name}: ${importer.file} imports ${JSON.stringify(importer.path)} at run time`,
      `import statekeep with \`import type\` only in ${importer.file}; a package must not depend on the statekeep that runs it`,
      { argument: project.dir, module: importer.path, importer: importer.file },
    );
  }
  const code = result.outputFiles[0];
  if (code === undefined)
    throw new UsageError(`cannot bundle ${project.name}: esbuild produced no output`, 'check the pipeline module', {
      argument: project.dir,
    });
  return code.contents;
}

function missingModuleHint(name: string, dir: string): string {
  return `install it in the project (npm install ${name} in ${dir}); if the code runs without it, declare it in package.json as "statekeep": { "optional": ["${name}"] }, or as "external" to load it where statekeep runs`;
}

/** The first bundled file that imports statekeep (or a subpath of it) for more than its types. */
function statekeepImporter(metafile: esbuild.Metafile): { file: string; path: string } | undefined {
  for (const [file, input] of Object.entries(metafile.inputs)) {
    const found = input.imports.find((i) => i.external && !isBuiltin(i.path) && packageOf(i.path) === 'statekeep');
    if (found !== undefined) return { file, path: found.path };
  }
  return undefined;
}

const EXTERNAL = 'statekeep-external';
const OPTIONAL = 'statekeep-optional';

/**
 * Modules the project's package.json leaves out of the bundle. Each import of one becomes a
 * small module that loads it at run time from the directory statekeep runs in; for an external
 * one that is not installed there, with an error naming it and the fix.
 */
function leftOutModules(settings: BundleSettings): esbuild.Plugin {
  const names = [...settings.external, ...settings.optional];
  const escaped = names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));
  const filter = new RegExp(`^(${escaped.join('|')})(/.*)?$`);
  return {
    name: 'statekeep-left-out-modules',
    setup(build) {
      if (names.length === 0) return;
      build.onResolve({ filter }, (args) => {
        const declared = names.find((n) => args.path === n || args.path.startsWith(`${n}/`))!;
        return { path: args.path, namespace: settings.external.includes(declared) ? EXTERNAL : OPTIONAL };
      });
      build.onLoad({ filter: /.*/, namespace: OPTIONAL }, (args) => ({
        contents: `module.exports = require("node:module").createRequire(process.cwd() + "/")(${JSON.stringify(args.path)});\n`,
        loader: 'js',
      }));
      build.onLoad({ filter: /.*/, namespace: EXTERNAL }, (args) => {
        const name = JSON.stringify(args.path);
        const message = JSON.stringify(
          `this release needs ${name} at run time (its package.json declares it external), and it is not installed where statekeep runs: install it there (npm install ${packageOf(args.path)})`,
        );
        return {
          contents: [
            'try {',
            `  module.exports = require("node:module").createRequire(process.cwd() + "/")(${name});`,
            '} catch (error) {',
            `  if (error && error.code === "MODULE_NOT_FOUND" && String(error.message).includes("'" + ${name} + "'")) throw new Error(${message});`,
            '  throw error;',
            '}',
            '',
          ].join('\n'),
          loader: 'js',
        };
      });
    },
  };
}

/**
 * A release holds the project's own code: a file that a symlink in the project brings in from
 * outside it (a secret, another checkout) is refused, naming the link and where it points.
 */
async function refuseOutsideLinks(project: ProjectDirectory, inputs: string[]): Promise<void> {
  const links = await outsideLinks(project.dir);
  if (links.length === 0) return;
  // Real paths on both sides, whatever esbuild reports relative to.
  const bundled = await Promise.all(
    inputs.map((input) => realpath(path.resolve(project.dir, input)).catch(() => path.resolve(project.dir, input))),
  );
  const used = links.find((l) => bundled.some((file) => isInside(l.target, file)));
  if (used === undefined) return;
  throw new UsageError(
    `cannot bundle ${project.name}: ${used.link} is a symlink to ${used.target}, outside the project`,
    'copy what it points at into the project (or make the link point inside it); a release bundles only files of its project',
    { argument: path.join(project.dir, used.link) },
  );
}
