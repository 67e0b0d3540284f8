import { IncompatibleFormatError } from '../../registry/errors/index.js';
import { NOT_APPLIED, type Database, type Queryable } from './database.js';

/**
 * The registry's tables, as a list of forward migrations: migration N takes a schema at version
 * N-1 to version N. A fresh schema runs them all; a schema at an older version runs the missing
 * ones, in one transaction with the version row's update; a newer schema than this statekeep
 * knows is refused, naming both versions. Never edit a migration once released: add one.
 *
 * Tables (all in the configured schema, `statekeep` by default):
 *   schema_version  one row: the version the tables are at
 *   projects        a project, from its first release on
 *   releases        a release's record, and the last generation number handed out
 *   generations     a generation's manifest bytes, or its tombstone's (tombstoned_at set)
 *   alias_entries   every alias's append-only log of entries
 *   blobs           what the artifact store holds: digest, size, when last written, whether stored
 */
export const MIGRATIONS: readonly { version: number; about: string; statements: (s: string) => string[] }[] = [
  {
    version: 1,
    about: 'projects, releases, generations, alias entries and blobs',
    statements: (s) => [
      `CREATE TABLE ${s}.projects (
         project text PRIMARY KEY,
         created_at timestamptz NOT NULL DEFAULT now())`,
      `CREATE TABLE ${s}.releases (
         project text NOT NULL REFERENCES ${s}.projects (project),
         version text NOT NULL,
         record bytea NOT NULL,
         last_generation integer NOT NULL DEFAULT 0 CHECK (last_generation >= 0),
         created_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (project, version))`,
      `CREATE TABLE ${s}.generations (
         project text NOT NULL,
         version text NOT NULL,
         generation integer NOT NULL CHECK (generation >= 1),
         manifest bytea NOT NULL,
         published_at timestamptz NOT NULL DEFAULT now(),
         tombstoned_at timestamptz,
         PRIMARY KEY (project, version, generation),
         FOREIGN KEY (project, version) REFERENCES ${s}.releases (project, version) ON DELETE CASCADE)`,
      `CREATE TABLE ${s}.alias_entries (
         project text NOT NULL,
         alias text NOT NULL,
         entry integer NOT NULL CHECK (entry >= 1),
         bytes bytea NOT NULL,
         written_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (project, alias, entry))`,
      `CREATE TABLE ${s}.blobs (
         project text NOT NULL,
         digest text NOT NULL,
         size bigint NOT NULL CHECK (size >= 0),
         written_at bigint NOT NULL,
         stored boolean NOT NULL,
         incarnation bigint NOT NULL,
         PRIMARY KEY (project, digest))`,
    ],
  },
];

/** The schema version this statekeep writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** `"name"`: the schema as an identifier (its pattern allows nothing that needs escaping). */
export function quoted(schema: string): string {
  return `"${schema}"`;
}

async function versionOf(db: Queryable, s: string, lock: boolean): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `SELECT version FROM ${s}.schema_version${lock ? ' FOR UPDATE' : ''}`,
  );
  return rows[0]?.version ?? 0;
}

function refuse(found: number, schema: string, target: string): IncompatibleFormatError {
  return new IncompatibleFormatError(
    {
      subject: `sql registry schema ${schema} at ${target}`,
      found: String(found),
      supported: `up to ${SCHEMA_VERSION}`,
    },
    `a newer statekeep wrote this registry: upgrade statekeep to one that knows schema version ${found}, or point schema at another one`,
  );
}

/**
 * Makes sure the schema exists at SCHEMA_VERSION, migrating an older one forward; `upTo` stops
 * early (tests build an older schema with it). A reader of a current schema needs only SELECT.
 */
export async function ensureSchema(db: Database, schema: string, upTo = SCHEMA_VERSION): Promise<void> {
  const s = quoted(schema);
  const current = await db.read('open the registry', async (q) => {
    try {
      return await versionOf(q, s, false);
    } catch (error) {
      // 3F000: no such schema; 42P01: no such table. Either way nothing is there yet.
      const state = (error as { code?: unknown }).code;
      if (state === '3F000' || state === '42P01') return 0;
      throw error;
    }
  });
  if (current > SCHEMA_VERSION) throw refuse(current, schema, db.site.target);
  if (current >= upTo) return;
  await db.transaction(
    'create the registry tables',
    async (q) => {
      // Writers starting at once on a fresh database: one creates, the others wait and then see
      // it done. The lock lasts until this transaction ends; correctness does not rest on it (the
      // DDL is transactional), only the absence of duplicate-name failures.
      await q.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`statekeep schema ${schema}`]);
      await q.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
      await q.query(
        `CREATE TABLE IF NOT EXISTS ${s}.schema_version (
         singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
         version integer NOT NULL)`,
      );
      const found = await versionOf(q, s, true);
      if (found > SCHEMA_VERSION) throw refuse(found, schema, db.site.target);
      for (const migration of MIGRATIONS) {
        if (migration.version <= found || migration.version > upTo) continue;
        for (const statement of migration.statements(s)) await q.query(statement);
      }
      if (found < upTo)
        await q.query(
          `INSERT INTO ${s}.schema_version (singleton, version) VALUES (true, $1)
         ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version`,
          [upTo],
        );
    },
    async (q) => ((await versionOf(q, s, false)) >= upTo ? undefined : NOT_APPLIED),
  );
}
