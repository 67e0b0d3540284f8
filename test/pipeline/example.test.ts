import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkDefinition } from '../../src/pipeline/project-check.js';
import { accuracy, bench, column, iris, irisData } from './fixtures.js';

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => path.join(e.parentPath, e.name));
}

describe('the iris example project', () => {
  it('is a valid project definition whose package.json names the project and the release', async () => {
    expect(checkDefinition(iris)).toBe(iris);
    const pkg = JSON.parse(await readFile('examples/iris/package.json', 'utf8')) as Record<string, unknown>;
    expect(pkg).toMatchObject({ name: 'iris', version: '1.0.0', main: 'src/index.ts' });
  });

  it('refers to statekeep for types only, so its bundle needs nothing from statekeep at run time', async () => {
    for (const file of await sources('examples/iris/src')) {
      const text = await readFile(file, 'utf8');
      for (const statement of text.match(/^(?:import|export)\b[^;]*?from\s+'[^']*'/gms) ?? []) {
        if (/from\s+'(?:statekeep|[^']*\/src\/[^']*)'/.test(statement))
          expect(statement, file).toMatch(/^(?:import|export) type\b/);
      }
    }
  });

  it('learns the species well above chance, deterministically', async () => {
    const data = await irisData();
    const [a, b] = [await bench(), await bench()];
    const one = await a.runtime.train({ project: a.project, data });
    const two = await b.runtime.train({ project: b.project, data });
    expect(two.states).toEqual(one.states);
    const { predictions } = await a.runtime.apply({ project: a.project, data });
    expect(accuracy(predictions, column(data, 'species'))).toBeGreaterThan(0.9);
  });
});
