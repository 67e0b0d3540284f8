// A provider author's test file, as their package would have it: the built kit from
// 'statekeep/conformance' (here through the package's self-reference, so dist/), under node:test
// instead of vitest, with a Jest-compatible expect. Run by built-kit.test.ts:
//   node --test test/conformance/built-kit.mjs   (CONFORMANCE_REPORT=<file> receives the summary)
import { writeFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Errors } from 'statekeep';
import { damageHeldBlob, runConformance } from 'statekeep/conformance';
import { expect } from 'vitest';
import MemoryProvider from '../platform/fixtures/memory-provider.js';

runConformance(
  { describe, it, expect },
  {
    name: 'memory provider',
    create: async () => new MemoryProvider({}, { instance: 'conformance', errors: Errors }),
    damageBlob: async (provider, project, digest, how) =>
      damageHeldBlob(provider.projects.get(project).blobs, digest, how),
  },
  {
    expected: { latestGeneration: 'absent', cleanup: 'absent', processes: 'absent', aliases: 'absent' },
    report: (summary) => writeFileSync(process.env.CONFORMANCE_REPORT, JSON.stringify(summary, null, 2)),
  },
);
