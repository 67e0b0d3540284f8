import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Layout } from '../../src/providers/posix/layout.js';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { Registry } from '../../src/registry/registry.js';
import type { Digest } from '../../src/registry/digest.js';
import { IntegrityError } from '../../src/registry/errors/index.js';
import { StatekeepError } from '../../src/registry/errors/statekeep-error.js';
import type { ProjectName } from '../../src/registry/names.js';
import type { ReleaseVersion } from '../../src/registry/versions.js';
import type {
  AliasView,
  DiffView,
  GenerationView,
  ProjectsView,
  ProjectView,
  ReleaseView,
} from '../../src/ui/api-types.js';
import { failedStatus, tombstoneView } from '../../src/ui/read-outcome.js';
import { createUiServer, isLoopbackHost } from '../../src/ui/server.js';
import { seed, T0, workspace } from '../cli/helpers.js';

// The web view's JSON API, in this process, over the seeded posix registry of the CLI tests:
// what each route answers, that it answers nothing but GETs, and that damage reads as damage.
const IRIS = 'iris' as ProjectName;
const V = '1.0.0' as ReleaseVersion;
const at = (seconds: number): string => new Date(T0 + 1000 * seconds).toISOString();

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

async function serve(
  ws: ReturnType<typeof workspace> | Registry,
  options: { loopbackHostsOnly?: boolean } = {},
): Promise<string> {
  const server = createUiServer(ws instanceof Registry ? ws : ws.open(), options);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request with node:http, so that the method and Host header are exactly as given. */
function call(base: string, pathname: string, options: { method?: string; host?: string } = {}): Promise<Answer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: pathname,
        method: options.method ?? 'GET',
        headers: options.host === undefined ? {} : { Host: options.host },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.method === 'POST' || options.method === 'PUT' ? '{}' : undefined);
  });
}

async function json<T>(base: string, pathname: string): Promise<T> {
  const answer = await call(base, pathname);
  expect({ pathname, status: answer.status }).toEqual({ pathname, status: 200 });
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  return JSON.parse(answer.body) as T;
}

async function failure(base: string, pathname: string, options: { method?: string; host?: string } = {}) {
  const answer = await call(base, pathname, options);
  return { status: answer.status, code: (JSON.parse(answer.body) as { error: { code: string } }).error.code };
}

/** Every file of a tree with its size and mtime: what a read-only server must leave alone. */
function snapshot(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .map((e) => path.join(e.parentPath, e.name))
    .map((file) => `${path.relative(root, file)} ${statSync(file).size} ${statSync(file).mtimeMs}`)
    .sort();
}

describe('the web view API', () => {
  it('GET /api/projects lists each project with its releases, generations and newest activity', async () => {
    const ws = workspace();
    await seed(ws);
    const view = await json<ProjectsView>(await serve(ws), '/api/projects');
    expect(view).toEqual({
      registry: `posix ${ws.registryPath}`,
      projects: [
        { name: 'iris', status: 'ok', releases: 2, generations: 2, newest: at(4) },
        { name: 'wine', status: 'ok', releases: 1, generations: 0, newest: at(2) },
      ],
    });
  });

  it("GET /api/projects/P shows the releases (newest first) with their records, and the aliases' targets", async () => {
    const ws = workspace();
    await seed(ws);
    const registry = ws.open();
    await registry.setAlias('iris', 'production', { release: '1.0.0', generation: 1 }, { reason: 'first' });
    const base = await serve(ws);
    const view = await json<ProjectView>(base, '/api/projects/iris');
    const record = await registry.release('iris', '1.0.0');
    expect(view.releases.map((r) => [r.version, r.generations, r.latest])).toEqual([
      ['1.1.0', 0, null],
      ['1.0.0', 2, 2],
    ]);
    expect(view.releases[1]).toMatchObject({
      status: 'ok',
      created: record.created,
      package: record.package,
      commit: null,
      newest: at(4),
    });
    expect(view.aliases).toEqual([
      { name: 'production', target: { release: '1.0.0', generation: 1 }, time: at(0), reason: 'first', entry: 1 },
    ]);
    const alias = await json<AliasView>(base, '/api/projects/iris/aliases/production');
    expect(alias).toMatchObject({
      current: { release: '1.0.0', generation: 1 },
      entries: [{ entry: 1, action: 'set' }],
    });
  });

  it('GET /api/projects/P/releases/V has a row per generation, its blobs verified', async () => {
    const ws = workspace();
    await seed(ws);
    const view = await json<ReleaseView>(await serve(ws), '/api/projects/iris/releases/1.0.0');
    expect(view.metrics).toEqual(['accuracy']);
    expect(view.generations).toEqual([
      {
        generation: 1,
        status: 'ok',
        mode: 'train',
        created: at(3),
        parent: null,
        rollbackOf: null,
        rows: 150,
        metrics: { accuracy: 0.9 },
        tuning: null,
        states: 2,
        bytes: 2500,
        damagedStates: [],
      },
      {
        generation: 2,
        status: 'ok',
        mode: 'tune',
        created: at(4),
        parent: { release: '1.0.0', generation: 1 },
        rollbackOf: null,
        rows: null,
        metrics: {},
        tuning: { score: 0.5, trials: 3, params: {} },
        states: 1,
        bytes: 2001,
        damagedStates: [],
      },
    ]);
  });

  it('GET …/generations/N has the manifest in full and its states; a state in no statekeep frame says so', async () => {
    const ws = workspace();
    await seed(ws);
    const manifest = await ws.open().manifest('iris', '1.0.0', 1);
    const view = await json<GenerationView>(await serve(ws), '/api/projects/iris/releases/1.0.0/generations/1');
    expect(view.status).toBe('ok');
    expect(view.manifest).toEqual(JSON.parse(JSON.stringify(manifest)));
    expect(view.siblings).toEqual([2]);
    // The seeded states are plain bytes, not statekeep's frame: verified, but without a header.
    expect(view.states.map((s) => [s.actor, s.status, s.header, s.headerError?.code])).toEqual([
      ['scaler', 'ok', null, 'UNSUPPORTED'],
      ['model', 'ok', null, 'UNSUPPORTED'],
    ]);
  });

  it('GET …/diff compares with the parent by default, or with the generation named', async () => {
    const ws = workspace();
    await seed(ws);
    const base = await serve(ws);
    const diff = await json<DiffView>(base, '/api/projects/iris/releases/1.0.0/generations/2/diff');
    expect([diff.a.generation, diff.b.generation]).toEqual([1, 2]);
    expect(diff.states.map((s) => [s.actor, s.change])).toEqual([
      ['scaler', 'changed'],
      ['model', 'removed'],
    ]);
    expect(diff.metrics).toEqual([{ name: 'accuracy', a: 0.9, b: null, delta: null }]);
    const back = await json<DiffView>(
      base,
      '/api/projects/iris/releases/1.0.0/generations/1/diff?release=1.0.0&generation=2',
    );
    expect([back.a.generation, back.b.generation]).toEqual([2, 1]);
    expect(back.states.map((s) => s.change)).toEqual(['changed', 'added']);
    expect(await failure(base, '/api/projects/iris/releases/1.0.0/generations/1/diff')).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
  });

  it('answers unknown names 404 and bad names 400, traversal included', async () => {
    const ws = workspace();
    await seed(ws);
    const base = await serve(ws);
    expect(await failure(base, '/api/projects/nope')).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(await failure(base, '/api/projects/iris/releases/9.9.9')).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(await failure(base, '/api/projects/iris/releases/1.0.0/generations/7')).toEqual({
      status: 404,
      code: 'NOT_FOUND',
    });
    expect(await failure(base, '/api/projects/iris/aliases/never')).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(await failure(base, '/api/elsewhere')).toEqual({ status: 404, code: 'NOT_FOUND' });
    // Dot segments are resolved away by the URL parser, before any name reaches the Registry.
    expect(await failure(base, '/api/projects/iris/%2e%2e/%2e%2e/x')).toEqual({ status: 404, code: 'NOT_FOUND' });
    expect(await failure(base, '/api/projects/.hidden')).toEqual({ status: 400, code: 'INVALID_NAME' });
    expect(await failure(base, '/api/projects/iris%2F..%2F..')).toEqual({ status: 400, code: 'INVALID_NAME' });
    expect(await failure(base, '/api/projects/iris/releases/..%2F..')).toEqual({
      status: 400,
      code: 'INVALID_VERSION',
    });
    expect(await failure(base, '/api/projects/iris/releases/1.0.0/generations/0')).toEqual({
      status: 400,
      code: 'USAGE',
    });
    expect(await failure(base, '/api/projects/%E0%A4%A')).toEqual({ status: 400, code: 'USAGE' });
    // Only the app's own files: nothing else of the disk.
    expect((await call(base, '/assets/../package.json')).status).toBe(404);
    expect((await call(base, '/assets/%2e%2e/package.json')).status).toBe(404);
  });

  it('is read-only: every method but GET and HEAD is 405, and nothing in the registry changes', async () => {
    const ws = workspace();
    await seed(ws);
    const base = await serve(ws);
    const before = snapshot(ws.registryPath);
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'])
      for (const pathname of ['/api/projects', '/api/projects/iris/releases/1.0.0/generations/1', '/']) {
        const answer = await call(base, pathname, { method });
        expect({ method, pathname, status: answer.status, allow: answer.headers.allow }).toEqual({
          method,
          pathname,
          status: 405,
          allow: 'GET, HEAD',
        });
        expect(JSON.parse(answer.body).error.code).toBe('USAGE');
      }
    const head = await call(base, '/api/projects', { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
    expect(snapshot(ws.registryPath)).toEqual(before);
  });

  it('serves the app with a policy that loads nothing from elsewhere', async () => {
    const ws = workspace();
    await seed(ws);
    const base = await serve(ws);
    const page = await call(base, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="/assets/app.js">');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'; script-src 'self'");
    const script = await call(base, '/assets/app.js');
    expect([script.status, script.headers['content-type']]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(script.body).not.toMatch(/https?:\/\/(?!www\.w3\.org)[a-z0-9.-]+\.[a-z]{2,}\/[^\s"'`]*\.(js|css)/);
  });

  it('on a loopback bind, answers only requests addressed to this machine', async () => {
    const ws = workspace();
    await seed(ws);
    const base = await serve(ws);
    const port = new URL(base).port;
    expect(await failure(base, '/api/projects', { host: `rebound.example:${port}` })).toEqual({
      status: 421,
      code: 'USAGE',
    });
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`])
      expect((await call(base, '/api/projects', { host })).status).toBe(200);
    const open = await serve(ws, { loopbackHostsOnly: false });
    expect((await call(open, '/api/projects', { host: 'statekeep.example' })).status).toBe(200);
    const hosts = [
      '127.1.2.3',
      'localhost',
      '::1',
      '[::1]:8765',
      'localhost:80',
      '0.0.0.0',
      '::',
      '10.0.0.1:80',
      'a.example',
    ];
    expect(hosts.filter((host) => isLoopbackHost(host))).toEqual([
      '127.1.2.3',
      'localhost',
      '::1',
      '[::1]:8765',
      'localhost:80',
    ]);
  });

  it('shows damage as damage with its code, in the rows it concerns, and still answers the rest', async () => {
    const ws = workspace();
    await seed(ws);
    const registry = ws.open();
    const one = await registry.manifest('iris', '1.0.0', 1);
    const layout = new Layout(ws.registryPath);
    // Generation 1's model blob flipped; generation 2's manifest edited; release 1.1.0's record cut short.
    const model = one.states.find((s) => s.actor === 'model')!;
    const blob = layout.blob(IRIS, model.digest as Digest);
    const bytes = readFileSync(blob);
    bytes[0]! ^= 0xff;
    writeFileSync(blob, bytes);
    const file = layout.manifest(IRIS, V, 2);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"score": 0.5', '"score": 0.75'));
    const record = layout.releaseRecord(IRIS, '1.1.0');
    writeFileSync(record, readFileSync(record, 'utf8').slice(0, 40));
    const base = await serve(ws);

    const release = await json<ReleaseView>(base, '/api/projects/iris/releases/1.0.0');
    expect(release.generations.map((g) => [g.generation, g.status, g.error?.code])).toEqual([
      [1, 'damaged', 'INTEGRITY'],
      [2, 'damaged', 'INTEGRITY'],
    ]);
    expect(release.generations[0]!.damagedStates.map((s) => [s.actor, s.digest, s.error.code])).toEqual([
      ['model', model.digest, 'INTEGRITY'],
    ]);
    // The edited manifest shows none of its content.
    expect(release.generations[1]).toMatchObject({ mode: null, tuning: null, metrics: {}, states: 0 });
    expect(JSON.stringify(release)).not.toContain('0.75');

    const generation = await json<GenerationView>(base, '/api/projects/iris/releases/1.0.0/generations/1');
    expect(generation.status).toBe('damaged');
    expect(generation.states.map((s) => [s.actor, s.status, s.error?.code])).toEqual([
      ['scaler', 'ok', undefined],
      ['model', 'damaged', 'INTEGRITY'],
    ]);
    const broken = await json<GenerationView>(base, '/api/projects/iris/releases/1.0.0/generations/2');
    expect([broken.status, broken.error?.code, broken.manifest, broken.states]).toEqual([
      'damaged',
      'INTEGRITY',
      null,
      [],
    ]);

    const project = await json<ProjectView>(base, '/api/projects/iris');
    expect(project.releases.map((r) => [r.version, r.status, r.error?.code])).toEqual([
      ['1.1.0', 'damaged', 'INTEGRITY'],
      ['1.0.0', 'ok', undefined],
    ]);
    const projects = await json<ProjectsView>(base, '/api/projects');
    expect(projects.projects.map((p) => [p.name, p.status])).toEqual([
      ['iris', 'damaged'],
      ['wine', 'ok'],
    ]);
    const diff = await json<DiffView>(base, '/api/projects/iris/releases/1.0.0/generations/2/diff?generation=1');
    expect([diff.a.status, diff.b.status, diff.b.error?.code, diff.states]).toEqual(['ok', 'damaged', 'INTEGRITY', []]);
  });
});

describe('the web view over another provider', () => {
  it('reads a volatile registry through the same Registry layer', async () => {
    const registry = new Registry(new VolatileProvider(), { clock: () => new Date(T0) });
    await registry.publishRelease('wine', '2.0.0', { payload: new Uint8Array([7]) });
    await registry.commit({
      project: 'wine',
      release: '2.0.0',
      mode: 'train',
      parent: null,
      metrics: { f1: 0.5 },
      states: [{ actor: 'model', bytes: new Uint8Array(10), codec: 'cbor' }],
    });
    const base = await serve(registry);
    const projects = await json<ProjectsView>(base, '/api/projects');
    expect(projects.registry).toBe(`volatile ${registry.descriptor.target}`);
    expect(projects.projects).toEqual([{ name: 'wine', status: 'ok', releases: 1, generations: 1, newest: at(0) }]);
    const release = await json<ReleaseView>(base, '/api/projects/wine/releases/2.0.0');
    expect(release.generations.map((g) => [g.generation, g.status, g.metrics, g.bytes])).toEqual([
      [1, 'ok', { f1: 0.5 }, 10],
    ]);
  });
});

class TombstoneRead extends StatekeepError {
  readonly code = 'NOT_FOUND' as const;
}

describe('how a failed read shows', () => {
  it('damage is damaged, a tombstone is pruned with its lineage, anything else is the request failing', () => {
    const damage = new IntegrityError({
      project: IRIS,
      release: V,
      generation: 2,
      subject: 'generation manifest',
      expected: 'sha256:00',
      actual: 'sha256:11',
    });
    expect(failedStatus(damage)).toBe('damaged');
    const tombstone = {
      kind: 'tombstone',
      prunedAt: at(9),
      policy: { rule: 'keepLast: 1', description: 'registry default' },
      mode: 'train',
      created: at(3),
      parent: null,
      rollbackOf: null,
    };
    const pruned = new TombstoneRead('generation 1 was pruned', 'keep it with a retention rule', { tombstone });
    expect(failedStatus(pruned)).toBe('pruned');
    expect(tombstoneView(pruned.data)).toEqual({
      prunedAt: at(9),
      rule: 'keepLast: 1',
      mode: 'train',
      created: at(3),
      parent: null,
      rollbackOf: null,
    });
    // As the lifecycle work's Registry reports a tombstone: NOT_FOUND with data.pruned.
    const reported = new TombstoneRead('iris 1.0.0 #1 was pruned', 'list the kept ones', {
      what: 'generation',
      project: 'iris',
      release: '1.0.0',
      generation: 1,
      pruned: true,
      prunedAt: at(9),
      policy: 'keepLast: 1',
      policySource: 'registry default',
    });
    expect(failedStatus(reported)).toBe('pruned');
    expect(tombstoneView(reported.data)).toMatchObject({ prunedAt: at(9), rule: 'keepLast: 1', mode: null });
    expect(failedStatus(new TombstoneRead('no such generation', 'list them', { what: 'generation' }))).toBeNull();
    expect(failedStatus(new Error('ECONNRESET'))).toBeNull();
  });
});
