import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFrame } from '../../src/codec/blob-frame.js';
import { Layout } from '../../src/providers/posix/layout.js';
import type { AliasEntry } from '../../src/registry/aliases.js';
import type { Digest } from '../../src/registry/digest.js';
import type { GenerationManifest } from '../../src/registry/manifest.js';
import type { ProjectName } from '../../src/registry/names.js';
import type { Registry } from '../../src/registry/registry.js';
import type { ReleaseVersion } from '../../src/registry/versions.js';
import { bytes, metric, time } from '../../src/ui/app/format.js';
import { workspace } from '../cli/helpers.js';
import { demoRegistry, type DemoRegistry } from './fixture.js';
import { launchChromium, startUi, type RunningUi } from './harness.js';

// `statekeep ui` in Debian's Chromium, over a registry the demo's way: every number a page shows
// is checked against what the Registry reads, damage shows as damage, and the release page is
// kept as a screenshot in test-artifacts/.
const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const IRIS = 'iris' as ProjectName;

let demo: DemoRegistry;
let registry: Registry;
let ui: RunningUi;
let browser: BrowserContext;
let page: Page;
let manifests: GenerationManifest[];
const pageErrors: string[] = [];

beforeAll(async () => {
  [demo, browser] = await Promise.all([demoRegistry(), launchChromium()]);
  registry = demo.open();
  manifests = await registry.manifests('iris', '1.0.0');
  ui = await startUi(demo);
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
}, 240_000);

// No page threw in the browser.
afterEach(() => {
  expect(pageErrors.splice(0)).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  // SIGTERM stops it cleanly: exit status 0, no signal death.
  if (ui) expect(await ui.stop('SIGTERM')).toEqual({ code: 0, signal: null });
});

async function open(hash: string, at: RunningUi = ui): Promise<void> {
  await page.goto(`${at.url}${hash}`);
  await page.locator('main h1').waitFor();
}

// biome-ignore lint/performance/useDomNodeTextContent: the text as rendered, as a person reads it
const text = (selector: string): Promise<string> => page.locator(selector).innerText();
const value = (selector: string): Promise<string | null> => page.locator(selector).getAttribute('data-value');

/** The little of a canvas the test reads (this project's TypeScript settings have no DOM types). */
interface Canvas {
  width: number;
  height: number;
  getContext(
    kind: '2d',
  ): { getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> } } | null;
}

async function aliasHistory(alias: string): Promise<AliasEntry[]> {
  const entries: AliasEntry[] = [];
  for await (const entry of registry.aliasHistory('iris', alias)) entries.push(entry);
  return entries;
}

describe('statekeep ui in Chromium', () => {
  it('the projects page shows each project with its releases, generations and newest activity', async () => {
    await open('#/');
    const releases = await registry.releasesWithGenerations('iris');
    const all = [...manifests, ...(await registry.manifests('iris', '1.1.0'))];
    const newest = [
      ...releases.map((r) => r.record.created),
      ...all.map((m) => m.created),
      ...(await aliasHistory('production')).map((e) => e.time),
    ].sort();
    const row = 'tr[data-project="iris"]';
    expect(await text(`${row} [data-field="releases"]`)).toBe(String(releases.length));
    expect(await text(`${row} [data-field="generations"]`)).toBe(String(all.length));
    expect(await text(`${row} [data-field="newest"]`)).toBe(time(newest.at(-1)!));
  });

  it("a project's page shows each release's record and the aliases' current targets", async () => {
    await open('#/projects/iris');
    for (const { record, generations } of await registry.releasesWithGenerations('iris')) {
      const row = `tr[data-release="${record.version}"]`;
      expect(await text(`${row} [data-field="created"]`)).toBe(time(record.created));
      expect(await value(`${row} [data-field="package"]`)).toBe(record.package!.digest);
      expect(await value(`${row} [data-field="size"]`)).toBe(String(record.package!.size));
      expect(await text(`${row} [data-field="size"]`)).toBe(bytes(record.package!.size));
      expect(await value(`${row} [data-field="commit"]`)).toBe(record.info.commit ?? '');
      expect(await text(`${row} [data-field="generations"]`)).toBe(String(generations.length));
    }
    const target = await registry.resolveAlias('iris', 'production');
    expect(await text('tr[data-alias="production"] [data-field="target"]')).toBe(
      `${target.release} #${target.generation}`,
    );
  });

  it("a release's page shows each generation's manifest numbers and a chart of each metric, marked by mode", async () => {
    await open('#/projects/iris/releases/1.0.0');
    expect(manifests.map((m) => m.mode)).toEqual(['train', 'train', 'tune', 'rollback']);
    for (const m of manifests) {
      const row = `tr[data-generation="${m.generation}"]`;
      expect(await page.locator(row).getAttribute('data-status')).toBe('ok');
      expect(await text(`${row} [data-field="mode"]`)).toBe(m.mode);
      expect(await text(`${row} [data-field="created"]`)).toBe(time(m.created));
      expect(await text(`${row} [data-field="parent"]`)).toBe(
        m.rollbackOf !== null ? `rollback of #${m.rollbackOf}` : m.parent === null ? '—' : `#${m.parent}`,
      );
      expect(await text(`${row} [data-field="rows"]`)).toBe(String(m.training!.rows));
      for (const [name, v] of Object.entries(m.metrics)) {
        expect(Number(await value(`${row} [data-field="metric:${name}"]`))).toBe(v);
        expect(await text(`${row} [data-field="metric:${name}"]`)).toBe(metric(v));
      }
      expect(await text(`${row} [data-field="states"]`)).toBe(String(m.states.length));
      expect(Number(await value(`${row} [data-field="bytes"]`))).toBe(m.states.reduce((s, e) => s + e.size, 0));
    }
    const names = [...new Set(manifests.flatMap((m) => Object.keys(m.metrics)))].sort();
    expect(
      await page.locator('figure.chart').evaluateAll((els) => els.map((e) => e.getAttribute('data-metric'))),
    ).toEqual(names);
    for (const name of names) {
      const series = manifests
        .filter((m) => name in m.metrics)
        .map((m) => ({ generation: m.generation, mode: m.mode, value: m.metrics[name] }));
      const figure = page.locator(`figure[data-metric="${name}"]`);
      expect(JSON.parse((await figure.getAttribute('data-series'))!)).toEqual(series);
      // Chart.js drew on the canvas: some pixels are not blank.
      const painted = await figure
        .locator('canvas')
        .evaluate((canvas: Canvas) =>
          Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data).some(
            (c) => c !== 0,
          ),
        );
      expect(painted).toBe(true);
    }
    await mkdir(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, 'ui-release.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect((await stat(shot)).size).toBeGreaterThan(20_000);
  });

  it('a click leads from a project to a generation and on to its diff; the diff has its own address', async () => {
    await open('#/');
    await page.locator('tr[data-project="iris"] a').click();
    await page.locator('tr[data-release="1.0.0"] a').click();
    await page.locator('tr[data-generation="3"] td:first-child a').click();
    await expect.poll(() => text('main h1')).toContain('iris 1.0.0 #3');
    await page.locator('a.diff-link', { hasText: '#2' }).click();
    await page.locator('[data-testid="metric-diff"]').waitFor();
    expect(new URL(page.url()).hash).toBe('#/projects/iris/releases/1.0.0/generations/3/diff/1.0.0/2');
    const check = async (): Promise<void> => {
      const [a, b] = [manifests[1]!, manifests[2]!];
      for (const s of b.states) {
        const before = a.states.find((e) => e.actor === s.actor)!;
        expect(await page.locator(`tr[data-actor="${s.actor}"]`).getAttribute('data-change')).toBe(
          before.digest === s.digest ? 'same' : 'changed',
        );
      }
      expect(await page.locator('tr[data-change="changed"]').count()).toBeGreaterThan(0);
      for (const name of new Set([...Object.keys(a.metrics), ...Object.keys(b.metrics)])) {
        const row = `[data-testid="metric-diff"] tr[data-metric="${name}"]`;
        const [va, vb] = [a.metrics[name], b.metrics[name]];
        expect(await value(`${row} [data-field="a"]`)).toBe(va === undefined ? '' : String(va));
        expect(await value(`${row} [data-field="b"]`)).toBe(vb === undefined ? '' : String(vb));
        expect(await value(`${row} [data-field="delta"]`)).toBe(
          va === undefined || vb === undefined ? '' : String(vb - va),
        );
      }
    };
    await check();
    // Shared as a link, the same address opens the same diff.
    await page.reload();
    await page.locator('[data-testid="metric-diff"]').waitFor();
    await check();
  });

  it("a generation's page shows the manifest in full and each state with its decoded header", async () => {
    const m = manifests[2]!;
    await open('#/projects/iris/releases/1.0.0/generations/3');
    expect(JSON.parse(await text('[data-testid="manifest"]'))).toEqual(JSON.parse(JSON.stringify(m)));
    expect(await page.locator('[data-testid="states"] tbody tr').count()).toBe(m.states.length);
    for (const s of m.states) {
      const row = `tr[data-actor="${s.actor}"]`;
      const { header } = readFrame(await registry.readState(m, s.actor));
      expect(await page.locator(row).getAttribute('data-status')).toBe('ok');
      expect(await value(`${row} [data-field="digest"]`)).toBe(s.digest);
      expect(await value(`${row} [data-field="size"]`)).toBe(String(s.size));
      expect(await text(`${row} [data-field="codec"]`)).toBe(s.codec);
      expect(await text(`${row} [data-field="stateVersion"]`)).toBe(String(header.stateVersion));
      expect(await text(`${row} [data-field="header"]`)).toContain(`by statekeep ${header.statekeep}`);
    }
  });

  it('the lineage graph shows warm starts, the rollback as a jump back, and the alias that crossed releases', async () => {
    await open('#/projects/iris/lineage');
    const nodes = await page.locator('[data-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')));
    expect(nodes.sort()).toEqual(['1.0.0#1', '1.0.0#2', '1.0.0#3', '1.0.0#4', '1.1.0#1']);
    const edges = await page.locator('[data-edge]').evaluateAll((els) => els.map((e) => e.getAttribute('data-edge')));
    expect(edges.sort()).toEqual(['alias:1.0.0#4->1.1.0#1', 'parent:1.0.0#1->1.0.0#2', 'rollback:1.0.0#4->1.0.0#1']);
    expect(await page.locator('[data-edge="rollback:1.0.0#4->1.0.0#1"]').textContent()).toBe('rollback to #1');
    expect(await page.locator('[data-node="1.1.0#1"]').textContent()).toContain('@production');
    await page.locator('[data-node="1.0.0#3"]').click();
    await expect.poll(() => text('main h1')).toContain('iris 1.0.0 #3');
  });

  it("an alias's page shows its history as a timeline, newest first", async () => {
    await open('#/projects/iris/aliases/production');
    const history = await aliasHistory('production');
    const entries = await page
      .locator('[data-testid="timeline"] li')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-entry'))));
    expect(entries).toEqual(history.map((e) => e.entry));
    for (const e of history) {
      const item = await text(`li[data-entry="${e.entry}"]`);
      expect(item).toContain(time(e.time));
      expect(item).toContain(`${e.to!.release} #${e.to!.generation}`);
      expect(item).toContain(e.reason!);
    }
  });

  it('on a damaged registry the damaged generations show as damaged, with their code, and the rest renders', async () => {
    // A copy of the demo's registry: one blob only generation 2 holds is flipped, and generation
    // 3's manifest has an edited metric.
    const ws = workspace();
    await cp(demo.registryPath, ws.registryPath, { recursive: true });
    const layout = new Layout(ws.registryPath);
    const [one, two, three, four] = manifests as [
      GenerationManifest,
      GenerationManifest,
      GenerationManifest,
      GenerationManifest,
    ];
    const others = new Set([one, three, four].flatMap((m) => m.states.map((s) => s.digest)));
    const own = two.states.find((s) => !others.has(s.digest));
    if (own === undefined) throw new Error('generation 2 holds no state of its own to damage');
    const blob = layout.blob(IRIS, own.digest as Digest);
    const bytesOf = await readFile(blob);
    bytesOf[bytesOf.length - 1]! ^= 0xff;
    await writeFile(blob, bytesOf);
    const manifestFile = layout.manifest(IRIS, '1.0.0' as ReleaseVersion, 3);
    const edited = (await readFile(manifestFile, 'utf8')).replace(/"accuracy": [0-9.]+/, '"accuracy": 0.99');
    expect(edited).not.toBe(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, edited);
    const damaged = await startUi(ws);
    try {
      await open('#/projects/iris/releases/1.0.0', damaged);
      const status = (n: number) => page.locator(`tr[data-generation="${n}"]`).getAttribute('data-status');
      expect([await status(1), await status(2), await status(3), await status(4)]).toEqual([
        'ok',
        'damaged',
        'damaged',
        'ok',
      ]);
      expect(await text('tr[data-generation="2"] [data-field="status"]')).toContain('INTEGRITY');
      expect(await text('tr[data-generation="2"] [data-field="status"]')).toContain(own.actor);
      expect(await text('tr[data-generation="3"] [data-field="status"]')).toContain('INTEGRITY');
      // The edited manifest's numbers are never shown as data.
      expect(await text('tr[data-generation="3"] [data-field="metric:accuracy"]')).toBe('—');
      expect(
        await page
          .locator('tr[data-generation="3"] [data-value]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-value'))),
      ).toEqual(['0']);
      expect(Number(await value('tr[data-generation="4"] [data-field="metric:accuracy"]'))).toBe(four.metrics.accuracy);
      expect(await page.locator('figure[data-metric="accuracy"] canvas').count()).toBe(1);

      await open('#/projects/iris/releases/1.0.0/generations/2', damaged);
      expect(await page.locator(`tr[data-actor="${own.actor}"]`).getAttribute('data-status')).toBe('damaged');
      const intact = two.states.filter((s) => s.actor !== own.actor);
      for (const s of intact)
        expect(await page.locator(`tr[data-actor="${s.actor}"]`).getAttribute('data-status')).toBe('ok');
      expect(await page.locator(`tr[data-actor="${own.actor}"] .badge`).getAttribute('data-code')).toBe('INTEGRITY');

      await open('#/projects/iris/releases/1.0.0/generations/3', damaged);
      expect(await page.locator('.error-box').getAttribute('data-code')).toBe('INTEGRITY');
      expect(await page.locator('[data-testid="manifest"]').count()).toBe(0);

      // The other pages still render, whole.
      await open('#/projects/iris/lineage', damaged);
      expect(await page.locator('[data-node="1.0.0#3"]').getAttribute('data-status')).toBe('damaged');
      expect(await page.locator('[data-node]').count()).toBe(5);
      expect(await page.locator('[data-edge="rollback:1.0.0#4->1.0.0#1"]').count()).toBe(1);
    } finally {
      expect(await damaged.stop('SIGINT')).toEqual({ code: 0, signal: null });
    }
  });
});
