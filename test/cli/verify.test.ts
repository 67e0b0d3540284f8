import { mkdirSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Layout } from '../../src/providers/posix/layout.js';
import { digestOf, type Digest } from '../../src/registry/digest.js';
import type { Finding, VerifySummary } from '../../src/registry/verify.js';
import { seed, statekeepInProcess, workspace } from './helpers.js';

/** The seeded registry with an alias: 3 records, 3 packages, 2 manifests, 3 state blobs, 1 alias entry. */
async function seeded() {
  const ws = workspace();
  await seed(ws);
  await ws.open().setAlias('iris', 'production', { release: '1.0.0', generation: 1 });
  const layout = new Layout(ws.registryPath);
  const manifest = await ws.open().manifest('iris', '1.0.0', 1);
  const scaler = manifest.states.find((s) => s.actor === 'scaler')!.digest;
  return { ws, layout, scaler };
}

async function verify(ws: { cwd: string; home: string }, ...args: string[]) {
  const { code, stdout, stderr } = await statekeepInProcess(['--json', 'verify', ...args], ws);
  const lines = stdout
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  const summary = (lines.pop() as { summary: VerifySummary }).summary;
  return { code, findings: lines as Finding[], summary, stderr };
}

const SOUND = 3 + 3 + 2 + 3 + 1;
const BYTES = 3 + 4 + 1 + 2000 + 500 + 2001;

describe('statekeep verify', () => {
  it('a sound registry: exit 0, everything checked, nothing found', async () => {
    const { ws } = await seeded();
    expect(await verify(ws)).toEqual({
      code: 0,
      findings: [],
      summary: {
        checked: SOUND,
        damaged: 0,
        missing: 0,
        orphaned: 0,
        orphanedBytes: 0,
        bytes: BYTES,
        leftovers: 0,
        leftoverBytes: 0,
      },
      stderr: '',
    });
    const human = await statekeepInProcess(['verify'], ws);
    expect(human).toEqual({
      code: 0,
      stdout: [
        'CHECKED  DAMAGED  MISSING  ORPHANED  LEFTOVERS    BYTES',
        `     ${SOUND}        0        0   0 (0 B)    0 (0 B)  4.4 KiB`,
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('a flipped byte in a blob is BLOB_DAMAGED at the generation and actor that reference it: exit 1', async () => {
    const { ws, layout, scaler } = await seeded();
    const file = layout.blob('iris', scaler);
    const bytes = readFileSync(file);
    bytes[7]! ^= 0xff;
    writeFileSync(file, bytes);
    const { code, findings, summary, stderr } = await verify(ws);
    expect(code).toBe(1);
    expect(findings).toEqual([
      {
        code: 'BLOB_DAMAGED',
        kind: 'damaged',
        place: { project: 'iris', release: '1.0.0', generation: 1, actor: 'scaler' },
        digest: scaler,
        expected: scaler,
        actual: digestOf(bytes),
      },
    ]);
    expect(summary).toMatchObject({ damaged: 1, missing: 0, orphaned: 0 });
    expect(JSON.parse(stderr).error).toMatchObject({ code: 'INTEGRITY', data: { actual: '1 damaged, 0 missing' } });
  });

  it('a deleted blob is BLOB_MISSING; a deleted package PACKAGE_MISSING', async () => {
    const { ws, layout, scaler } = await seeded();
    unlinkSync(layout.blob('iris', scaler));
    unlinkSync(layout.blob('wine', digestOf(new Uint8Array([9]))));
    const { code, findings, summary } = await verify(ws);
    expect(code).toBe(1);
    expect(findings.map((f) => [f.code, f.place])).toEqual([
      ['BLOB_MISSING', { project: 'iris', release: '1.0.0', generation: 1, actor: 'scaler' }],
      ['PACKAGE_MISSING', { project: 'wine', release: '0.1.0' }],
    ]);
    expect(summary).toMatchObject({ damaged: 0, missing: 2, checked: SOUND - 2 });
  });

  it('a damaged manifest is MANIFEST_DAMAGED, and the blob only it referenced shows as orphaned', async () => {
    const { ws, layout } = await seeded();
    const two = await ws.open().manifest('iris', '1.0.0', 2);
    writeFileSync(layout.manifest('iris' as never, '1.0.0' as never, 2), '{"format":1,"project":');
    const { code, findings, summary } = await verify(ws, 'iris');
    expect(code).toBe(1);
    expect(findings.map((f) => [f.code, f.place, f.digest])).toEqual([
      ['MANIFEST_DAMAGED', { project: 'iris', release: '1.0.0', generation: 2 }, undefined],
      ['ORPHANED_BLOB', { project: 'iris' }, two.states[0]!.digest],
    ]);
    expect(summary).toMatchObject({ damaged: 1, orphaned: 1, orphanedBytes: 2001, leftovers: null });
  });

  it('an orphan and an old temp file are reported but are not damage: exit 0', async () => {
    const { ws, layout } = await seeded();
    const orphan = new TextEncoder().encode('nobody refers to me');
    const digest = digestOf(orphan);
    mkdirSync(layout.blobShard('iris', digest), { recursive: true });
    writeFileSync(layout.blob('iris', digest), orphan);
    const temp = path.join(layout.generations('iris' as never, '1.0.0' as never), '.tmp-4242-0123456789ab');
    writeFileSync(temp, 'half a manifest');
    const old = new Date(Date.now() - 60 * 60_000);
    utimesSync(temp, old, old);
    const { code, findings, summary } = await verify(ws);
    expect(code).toBe(0);
    expect(findings).toEqual([
      { code: 'ORPHANED_BLOB', kind: 'orphaned', place: { project: 'iris' }, digest, size: orphan.length },
      { code: 'LEFTOVERS', kind: 'leftover', place: {}, count: 1, size: 15 },
    ]);
    expect(summary).toMatchObject({ damaged: 0, missing: 0, orphaned: 1, leftovers: 1, leftoverBytes: 15 });
    // Verify removes nothing.
    expect(readFileSync(temp, 'utf8')).toBe('half a manifest');
  });

  it('a damaged alias entry is ALIAS_DAMAGED', async () => {
    const { ws, layout } = await seeded();
    writeFileSync(layout.aliasEntry('iris', 'production', 1), 'not json');
    const { code, findings } = await verify(ws);
    expect(code).toBe(1);
    expect(findings.map((f) => [f.code, f.place])).toEqual([
      ['ALIAS_DAMAGED', { project: 'iris', alias: 'production', entry: 1 }],
    ]);
  });

  it('checks only the scope given; orphans and leftovers are then not checked; an absent scope is NOT_FOUND', async () => {
    const { ws, layout, scaler } = await seeded();
    unlinkSync(layout.blob('iris', scaler));
    const one = await verify(ws, 'iris', '1.0.0', '2');
    expect(one).toMatchObject({
      code: 0,
      findings: [],
      summary: { checked: 3, bytes: 2001, orphaned: null, leftovers: null },
    });
    expect((await verify(ws, 'iris', '1.0.0', '1')).findings.map((f) => f.code)).toEqual(['BLOB_MISSING']);
    const human = await statekeepInProcess(['verify', 'wine'], ws);
    expect(human.stdout.split('\n')[1]).toMatch(/not checked$|not checked {2}/);
    const missing = await statekeepInProcess(['--json', 'verify', 'iris', '1.0.0', '9'], ws);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stderr).error).toMatchObject({ code: 'NOT_FOUND', data: { what: 'generation' } });
    expect((await statekeepInProcess(['verify', 'nope'], ws)).code).toBe(1);
  });

  it('prints a finding per line for people, then the summary', async () => {
    const { ws, layout, scaler } = await seeded();
    unlinkSync(layout.blob('iris', scaler as Digest));
    const { code, stdout } = await statekeepInProcess(['verify', 'iris'], ws);
    expect(code).toBe(1);
    expect(stdout.split('\n')[0]).toBe(
      `missing   BLOB_MISSING  iris 1.0.0 generation 1, actor "scaler": expected ${scaler}, found no stored blob`,
    );
  });
});
