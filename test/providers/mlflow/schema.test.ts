import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const GENERATOR = fileURLToPath(new URL('../../../tools/openapi-gen/generate.js', import.meta.url));
const SCHEMA = fileURLToPath(new URL('../../../src/providers/mlflow/schema.gen.ts', import.meta.url));
const DOCUMENT = fileURLToPath(new URL('../../../config/mlflow.openapi.yaml', import.meta.url));
const CLIENT = fileURLToPath(new URL('../../../src/providers/mlflow/client.ts', import.meta.url));

describe('mlflow OpenAPI document', () => {
  it('schema.gen.ts is exactly what openapi-typescript makes of config/mlflow.openapi.yaml', async () => {
    // The generator is plain JS with its own TypeScript 5; the same function backs `npm run gen:mlflow`.
    const generator = (await import(pathToFileURL(GENERATOR).href)) as { renderSchema(): Promise<string> };
    const fresh = await generator.renderSchema();
    const committed = await readFile(SCHEMA, 'utf8');
    expect(committed === fresh, 'src/providers/mlflow/schema.gen.ts is stale: run npm run gen:mlflow').toBe(true);
  });

  it('describes exactly the operations the client calls, no more', async () => {
    const document = parse(await readFile(DOCUMENT, 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
    const described = Object.entries(document.paths).flatMap(([path, item]) =>
      METHODS.filter((m) => m in item).map((m) => `${m.toUpperCase()} ${path}`),
    );
    const source = await readFile(CLIENT, 'utf8');
    const artifact = /const ARTIFACT = '([^']+)'/.exec(source)![1]!;
    const called = [...source.matchAll(/this\.#api\.(GET|PUT|POST|DELETE|PATCH)\((?:'([^']+)'|ARTIFACT)/g)].map(
      (m) => `${m[1]} ${m[2] ?? artifact}`,
    );
    expect(new Set(called)).toEqual(new Set(described));
  });
});
