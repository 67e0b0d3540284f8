import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { unpackFiles } from '../../src/release/archive.js';
import { buildPackage } from '../../src/release/build-package.js';
import { decodePackageManifest, PACKAGE_MANIFEST_FILE } from '../../src/release/package-manifest.js';
import { readProjectDirectory } from '../../src/release/project-directory.js';
import { digestOf } from '../../src/registry/digest.js';
import { STATEKEEP_VERSION } from '../../src/version.js';
import { CLOCK, makeProject } from './fixtures.js';

describe('building a release package', () => {
  it('bundles the TypeScript pipeline and its dependencies into one self-contained module', async () => {
    const dir = await makeProject({ answer: 7, git: true });
    const built = await buildPackage(await readProjectDirectory(dir), CLOCK);
    expect(built.digest).toBe(digestOf(built.archive));
    const files = await unpackFiles(built.archive, 'test package');
    expect([...files.keys()].sort()).toEqual(['payload/index.mjs', PACKAGE_MANIFEST_FILE]);
    const manifest = decodePackageManifest(files.get(PACKAGE_MANIFEST_FILE)!, 'test package');
    expect(manifest).toEqual(built.manifest);
    expect(manifest).toMatchObject({
      format: 1,
      project: 'demo',
      version: '1.0.0',
      entry: 'index.mjs',
      statekeep: STATEKEEP_VERSION,
      node: '>=20',
      created: CLOCK().toISOString(),
      source: { commit: expect.stringMatching(/^[0-9a-f]{40}$/), dirty: false },
    });
    const bundle = files.get('payload/index.mjs')!;
    expect(manifest.payload.files).toEqual([{ path: 'index.mjs', size: bundle.length, sha256: digestOf(bundle) }]);
    // The bundle runs on its own, away from the project and its node_modules.
    const out = path.join(await makeProject(), 'copy.mjs');
    await writeFile(out, bundle);
    expect((await import(pathToFileURL(out).href)).default).toEqual({ answer: 7, padded: '00007' });
  });

  it('gives the same payload digest for the same sources, and a new one for changed code', async () => {
    const dir = await makeProject();
    const project = await readProjectDirectory(dir);
    const a = await buildPackage(project, CLOCK);
    const b = await buildPackage(project, () => new Date('2030-01-01T00:00:00Z'));
    expect(b.manifest.payload.sha256).toBe(a.manifest.payload.sha256);
    expect(b.digest).not.toBe(a.digest);
    const changed = await buildPackage(await readProjectDirectory(await makeProject({ answer: 43 })), CLOCK);
    expect(changed.manifest.payload.sha256).not.toBe(a.manifest.payload.sha256);
  });

  it('records no commit outside git, and a dirty tree as dirty', async () => {
    const plain = await buildPackage(await readProjectDirectory(await makeProject()), CLOCK);
    expect(plain.manifest.source).toEqual({ commit: null, dirty: null });
    const dir = await makeProject({ git: true });
    await writeFile(path.join(dir, 'src', 'index.ts'), 'export default { answer: 1 };\n');
    expect((await buildPackage(await readProjectDirectory(dir), CLOCK)).manifest.source.dirty).toBe(true);
  });

  it('refuses code that does not bundle, and a pipeline that needs statekeep at run time', async () => {
    const broken = await makeProject();
    await writeFile(path.join(broken, 'src', 'index.ts'), 'export default {{;\n');
    await expect(buildPackage(await readProjectDirectory(broken), CLOCK)).rejects.toMatchObject({
      code: 'USAGE',
      data: { argument: broken },
    });
    const coupled = await makeProject();
    await writeFile(
      path.join(coupled, 'src', 'index.ts'),
      "import { Registry } from 'statekeep';\nexport default { Registry };\n",
    );
    await expect(buildPackage(await readProjectDirectory(coupled), CLOCK)).rejects.toMatchObject({ code: 'USAGE' });
    const typeOnly = await makeProject();
    await writeFile(
      path.join(typeOnly, 'src', 'index.ts'),
      "import type { Registry } from 'statekeep';\nconst r: Registry | null = null;\nexport default { r };\n",
    );
    await expect(buildPackage(await readProjectDirectory(typeOnly), CLOCK)).resolves.toMatchObject({
      manifest: { project: 'demo' },
    });
  });
});

describe('bundling keeps class names', () => {
  it('so names derived from classes stay the same in the package as in the sources', async () => {
    const dir = await makeProject();
    await writeFile(
      path.join(dir, 'src', 'index.ts'),
      // Two modules' classes of the same name would make esbuild rename one without keepNames.
      'class StandardScaler {}\nconst Other = (() => { class StandardScaler {} return StandardScaler; })();\nexport default { a: new StandardScaler().constructor.name, b: new Other().constructor.name };\n',
    );
    const pkg = await buildPackage(await readProjectDirectory(dir), CLOCK);
    const out = path.join(await makeProject(), 'named.mjs');
    await writeFile(out, (await unpackFiles(pkg.archive, 't')).get('payload/index.mjs')!);
    expect((await import(pathToFileURL(out).href)).default).toEqual({ a: 'StandardScaler', b: 'StandardScaler' });
  });
});
