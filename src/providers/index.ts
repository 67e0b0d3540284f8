// The built-in providers, one line each. Adding a provider: its folder with a describe.ts, and a
// line here; the platform derives platform.yaml's schema, path options, hints and loading from this list.
import { mlflow } from './mlflow/describe.js';
import { redis } from './redis/describe.js';
import { posix } from './posix/describe.js';
import { sql } from './sql/describe.js';
import type { ProviderDescription } from './provider-description.js';
import { volatile } from './volatile/describe.js';

export const BUILTIN_PROVIDERS: readonly ProviderDescription[] = [posix, volatile, mlflow, sql, redis];

export type { ProviderDescription, JsonSchema } from './provider-description.js';
