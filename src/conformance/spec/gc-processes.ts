import type { ConformanceSpec } from '../spec-context.js';
import { runWriter } from '../writer-process.js';
import { gcUnderWriters } from './lifecycle.js';

const WRITERS = 8;

export const gcProcessesSpec: ConformanceSpec = {
  area: 'gc under writer processes',
  capability: 'lifecycleProcesses',
  tests({ it, expect, target }) {
    it(`gc in a loop while ${WRITERS} writer processes commit shared states: every kept generation verifies, a final gc leaves exactly the referenced blobs`, async (provider) => {
      await gcUnderWriters(
        provider,
        expect,
        async (gcGraceMs, until) => {
          const job = {
            recipe: target.recipe!(provider),
            project: 'p',
            release: '1.0.0',
            commits: 0,
            forMs: Math.max(0, until - Date.now()),
            pool: 6,
            gcGraceMs,
          };
          const numbers = (await Promise.all(Array.from({ length: WRITERS }, () => runWriter(job)))).flat();
          expect(numbers.length).toBeGreaterThan(WRITERS - 1);
          expect(new Set(numbers).size).toBe(numbers.length);
          // Starting a process takes a second or two on a loaded machine: the writers get four.
        },
        4000,
      );
    });
  },
};
