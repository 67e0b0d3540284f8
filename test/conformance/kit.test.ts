import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type ConformanceOptions,
  type ConformanceSummary,
  type ConformanceTarget,
  runConformance,
  type TestRunner,
} from '../../src/conformance/index.js';
import { VolatileProvider } from '../../src/providers/volatile/volatile-provider.js';
import { volatileStore } from '../../src/providers/volatile/volatile-store.js';
import * as errors from '../../src/registry/errors/index.js';
import type { Digest } from '../../src/registry/digest.js';
import type { ProjectName } from '../../src/registry/names.js';
import type { CleanupReport, Provider } from '../../src/registry/spi.js';
import type { GenerationNumber, ReleaseVersion } from '../../src/registry/versions.js';
import { damageHeldBlob } from './fixtures.js';

// The kit run under a runner of its own, in order, to see which of its tests fail for providers
// that each break one part of the contract: the kit must catch each, and report it.
interface Run {
  failed: string[];
  passed: string[];
  summary: ConformanceSummary | undefined;
}

async function runKit(target: ConformanceTarget, options: ConformanceOptions = {}): Promise<Run> {
  const tests: { title: string; body: () => Promise<void> }[] = [];
  const trail: string[] = [];
  const runner: TestRunner = {
    describe: (name, body) => {
      trail.push(name);
      body();
      trail.pop();
    },
    it: (name, body) => tests.push({ title: [...trail.slice(1), name].join(' > '), body }),
    expect,
  };
  let summary: ConformanceSummary | undefined;
  runConformance(runner, target, { ...options, report: (s) => (summary = s) });
  const run: Run = { failed: [], passed: [], summary: undefined };
  for (const test of tests) {
    try {
      await test.body();
      run.passed.push(test.title);
    } catch {
      run.failed.push(test.title);
    }
  }
  run.summary = summary;
  return run;
}

function volatileTarget(name: string, make: () => Provider = () => new VolatileProvider()): ConformanceTarget {
  return {
    name,
    create: async () => make(),
    damageBlob: async (provider, project, digest, how) =>
      damageHeldBlob(volatileStore(provider as VolatileProvider).get(project)!.blobs, digest, how),
  };
}

const REPORT = 'reports what the provider supports';
const BLOBS =
  'blobs > readBlob returns the stored bytes, and the pieces it hands onChunk add up to exactly those bytes';
const LEFTOVERS =
  "cleanup (optional: cleanup) > removes a crashed writer's leftovers, keeps those younger than the age asked, and readers never see them";
const ONE_WINS =
  'aliases (optional: aliases) > 8 concurrent moves from one expected target: exactly one wins, 7 get CONFLICT naming the winner, nothing else changes';
const ALL_LAND =
  'aliases (optional: aliases) > 8 concurrent unconditional moves all land, each recorded once, each entry from the one before';
const VERIFY_ALIAS =
  'verify > verify finds nothing in a sound registry, then a flipped and a deleted blob at the generations that reference them (optional: aliases)';
const COPY_ALIASES =
  'copy > copies aliases entry by entry: every target and the whole history, moves and removals included; a rerun copies none (optional: aliases)';
const PUBLISHED =
  'cleanup (optional: cleanup) > takes nothing published, however old, from a registry without leftovers';

describe('the conformance kit', () => {
  it('passes a provider with only the required methods, reports each optional capability absent, and sums it up as JSON', async () => {
    const module = pathToFileURL(path.resolve('test/platform/fixtures/memory-provider.js')).href;
    const MemoryProvider = (await import(module)).default as new (o: object, c: object) => Provider;
    const run = await runKit({
      name: 'memory',
      create: async () => new MemoryProvider({}, { instance: 'kit', errors }),
      damageBlob: async (provider, project, digest, how) =>
        damageHeldBlob(
          (provider as unknown as { projects: Map<string, { blobs: Map<string, Uint8Array> }> }).projects.get(project)!
            .blobs,
          digest,
          how,
        ),
    });
    expect(run.failed).toEqual([]);
    const required = run.passed.filter((t) => !t.includes('(optional') && t !== REPORT).length;
    expect(required).toBeGreaterThan(20);
    expect(JSON.parse(JSON.stringify(run.summary))).toEqual({
      provider: 'memory',
      level: 'required',
      complete: true,
      required: { status: 'passed', passed: required, failed: 0 },
      capabilities: {
        latestGeneration: { status: 'absent', passed: 0, failed: 0 },
        cleanup: { status: 'absent', passed: 0, failed: 0 },
        processes: { status: 'absent', passed: 0, failed: 0 },
        aliases: { status: 'absent', passed: 0, failed: 0 },
        aliasProcesses: { status: 'absent', passed: 0, failed: 0 },
        lifecycle: { status: 'absent', passed: 0, failed: 0 },
        lifecycleProcesses: { status: 'absent', passed: 0, failed: 0 },
      },
      areas: expect.objectContaining({ blobs: { passed: 1, failed: 0 }, cleanup: { passed: 0, failed: 0 } }),
    });
  });

  it('fails a provider whose onChunk pieces do not add up to the bytes it returns', async () => {
    class ShortPieces extends VolatileProvider {
      override async readBlob(p: ProjectName, d: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
        const bytes = await super.readBlob(p, d);
        onChunk?.(bytes.subarray(0, Math.max(0, bytes.length - 1)));
        return bytes;
      }
    }
    const run = await runKit(volatileTarget('short pieces', () => new ShortPieces()));
    expect(run.failed).toContain(BLOBS);
    expect(run.failed).toContain(REPORT);
    expect(run.summary).toMatchObject({
      level: 'none',
      required: { status: 'failed' },
      areas: { blobs: { failed: 1 } },
    });
  });

  it('fails a provider that offers latestGeneration and answers wrong, and reports the capability failed', async () => {
    class Lagging extends VolatileProvider {
      override async latestGeneration(p: ProjectName, v: ReleaseVersion): Promise<GenerationNumber | null> {
        const latest = await super.latestGeneration(p, v);
        return latest === null || latest < 3 ? latest : ((latest - 1) as GenerationNumber);
      }
    }
    const run = await runKit(volatileTarget('lagging', () => new Lagging()));
    expect(run.failed).toContain(
      'latestGeneration (optional: latestGeneration) > returns what max(listGenerations) would: null, then the highest after commits, a rollback and racing commits',
    );
    expect(run.summary!.capabilities.latestGeneration).toEqual({ status: 'failed', passed: 0, failed: 1 });
  });

  it('fails a cleanup that leaves leftovers, one that takes published data, and one the target gives no leftovers for', async () => {
    class Hoarding extends VolatileProvider {
      async cleanup(): Promise<CleanupReport> {
        return { removed: 0, bytes: 0 };
      }
    }
    const hoarding = await runKit({
      ...volatileTarget('hoarding', () => new Hoarding()),
      leaveLeftovers: async () => 1,
    });
    expect(hoarding.failed).toEqual([LEFTOVERS]);
    expect(hoarding.summary!.capabilities.cleanup).toEqual({ status: 'failed', passed: 1, failed: 1 });

    class Greedy extends VolatileProvider {
      async cleanup(): Promise<CleanupReport> {
        const projects = volatileStore(this);
        const removed = projects.size;
        projects.clear();
        return { removed, bytes: 0 };
      }
    }
    const greedy = await runKit({ ...volatileTarget('greedy', () => new Greedy()), leaveLeftovers: async () => 1 });
    expect(greedy.failed).toEqual([LEFTOVERS, PUBLISHED]);

    const unchecked = await runKit(volatileTarget('no leftovers hook', () => new Hoarding()));
    expect(unchecked.failed).toEqual([LEFTOVERS]);
  });

  it('fails a provider that claims aliases but whose appendAliasEntry takes an entry number already taken (no compare-and-swap)', async () => {
    class Overwriting extends VolatileProvider {
      override async appendAliasEntry(p: ProjectName, alias: string, entry: number, bytes: Uint8Array): Promise<void> {
        const log = volatileStore(this).get(p)?.aliases.get(alias);
        // Replaces the entry instead of refusing it with AlreadyExistsError.
        if (log !== undefined && entry <= log.length) log[entry - 1] = bytes;
        else await super.appendAliasEntry(p, alias, entry, bytes);
      }
    }
    const run = await runKit(volatileTarget('overwriting', () => new Overwriting()));
    expect(run.failed).toEqual([ONE_WINS, ALL_LAND]);
    expect(run.summary).toMatchObject({
      level: 'required+partial',
      required: { status: 'passed', failed: 0 },
      capabilities: { aliases: { status: 'failed', failed: 2 }, latestGeneration: { status: 'passed' } },
    });
  });

  it('fails a provider that has only some of the alias methods, as the Registry refuses aliases of it', async () => {
    const partial = () => Object.defineProperty(new VolatileProvider(), 'listAliases', { value: undefined });
    const run = await runKit(volatileTarget('partial aliases', partial));
    const aliasTests = run.failed.filter((t) => t.startsWith('aliases (optional: aliases) > '));
    expect(aliasTests).toHaveLength(10);
    expect(run.failed).toContain(VERIFY_ALIAS);
    expect(run.failed).toContain(COPY_ALIASES);
    expect(run.summary!.capabilities.aliases).toEqual({ status: 'failed', passed: 0, failed: 12 });
    expect(run.summary!.required).toMatchObject({ status: 'passed', failed: 0 });
  });

  it('fails its report when a capability comes out other than the caller expects, and still delivers the report', async () => {
    const run = await runKit(volatileTarget('volatile'), {
      expected: { latestGeneration: 'passed', cleanup: 'passed' },
    });
    expect(run.failed).toEqual([REPORT]);
    expect(run.summary).toMatchObject({
      level: 'required+partial',
      capabilities: { latestGeneration: { status: 'passed' }, cleanup: { status: 'absent' } },
    });
    expect((await runKit(volatileTarget('volatile'), { expected: { cleanup: 'absent' } })).failed).toEqual([]);
  });
});
