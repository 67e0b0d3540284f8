import { randomBytes } from 'node:crypto';
import type { Digest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import type { CleanupReport } from '../../registry/spi.js';
import type { ArtifactStore } from './artifact-store.js';
import { NOT_APPLIED, type Database, type Queryable } from './database.js';

interface Removal {
  removed: boolean;
  /** The store's failure, thrown once the transaction that marked the row not stored has committed. */
  failure?: unknown;
}

/** The database's clock in ms since the epoch: every writtenAt and every age is measured by it. */
const NOW_MS = `floor(extract(epoch from clock_timestamp()) * 1000)::bigint`;

// A writeBlob that keeps losing its row to deletions (a gc with a grace period shorter than an
// upload) gives up after this many rounds rather than loop.
const MAX_ROUNDS = 5;

/**
 * The blobs table and the artifact store kept in step: which blobs exist, their sizes, when each
 * was last written, and whether its bytes are known to be stored.
 *
 * ## writeBlob against deleteBlob, on any number of hosts
 *
 * writeBlob (W) runs three steps:
 *   W1  upsert the row: written_at = now, stored = false for a new row; a new row gets a fresh
 *       random `incarnation`, an existing one keeps its own. RETURNING the incarnation.
 *   W2  put the bytes into the store.
 *   W3  UPDATE … SET stored = true, written_at = now WHERE incarnation = the one W1 saw.
 *       If no row matched, the row was deleted since W1 (and the object with it, maybe after W2
 *       landed): go back to W1. W resolves only after a W3 that matched.
 *
 * deleteBlob (D) is one transaction:
 *   D1  SELECT the row FOR UPDATE (absent: false); written_at ≥ notWrittenSince: false
 *   D2  remove the object from the store, while holding the row lock
 *   D3  DELETE the row; COMMIT: true
 *
 * Why this is atomic: W1 and W3 both write the row, so each either happens before D1 takes
 * the lock or waits for D to commit. (a) W1 before D1: D1 sees written_at ≥ W1's time; if that
 * is at or after notWrittenSince, D refuses. If D still goes ahead (W1 was before
 * notWrittenSince) then W3 either ran before D1 (and D's delete is a deletion of a blob not
 * written since, which is allowed: W resolved before D started) or runs after D3 commits, finds
 * no row with its incarnation and writes again: when W resolves, its own W2 happened after D2,
 * so the object is stored and whole. (b) W1 waits for D: it inserts a new row (new
 * incarnation) after D3, and W2 happens after D2: stored and whole. A W that resolves while D
 * runs therefore either stopped D (D1 saw its write) or left the blob stored, whole and
 * recorded. Other writers of the same digest only ever put the same bytes, and a new
 * incarnation after a deletion means a W that started before it redoes its put.
 *
 * W1 and W3 commit without waiting for the WAL flush (Database.bookkeep): the commit of the
 * generation that names the blob, which comes after them, makes them durable.
 *
 * The store's operations are idempotent, so a W1 or W3 repeated after an ambiguous failure is
 * harmless; D settles a lost COMMIT by re-reading (row gone: it deleted; row there: it runs again).
 *
 * A row left stored = false (a writer that died between W1 and W3, or a delete whose D2 failed)
 * is a leftover: cleanup removes it, and the object under it, once it is older than asked.
 */
export class BlobLedger {
  readonly #db: Database;
  readonly #s: string;
  readonly #store: ArtifactStore;

  constructor(db: Database, schema: string, store: ArtifactStore) {
    this.#db = db;
    this.#s = schema;
    this.#store = store;
  }

  async has(project: ProjectName, digest: Digest): Promise<boolean> {
    const { rows } = await this.#db.read('look up a blob', (q) =>
      q.query<{ stored: boolean }>(`SELECT stored FROM ${this.#s}.blobs WHERE project = $1 AND digest = $2`, [
        project,
        digest,
      ]),
    );
    return rows[0]?.stored === true;
  }

  async write(project: ProjectName, digest: Digest, bytes: Uint8Array): Promise<void> {
    for (let round = 1; ; round++) {
      const fresh = BigInt(`0x${randomBytes(7).toString('hex')}`).toString();
      // W1
      const { rows } = await this.#db.bookkeep('write a blob', (q) =>
        q.query<{ incarnation: string }>(
          `INSERT INTO ${this.#s}.blobs (project, digest, size, written_at, stored, incarnation)
           VALUES ($1, $2, $3, ${NOW_MS}, false, $4)
           ON CONFLICT (project, digest) DO UPDATE SET written_at = ${NOW_MS}, size = EXCLUDED.size
           RETURNING incarnation`,
          [project, digest, bytes.length, fresh],
        ),
      );
      const incarnation = rows[0]!.incarnation;
      // W2
      await this.#store.put(project, digest, bytes);
      // W3
      const confirmed = await this.#db.bookkeep('write a blob', (q) =>
        q.query(
          `UPDATE ${this.#s}.blobs SET stored = true, written_at = ${NOW_MS}
           WHERE project = $1 AND digest = $2 AND incarnation = $3`,
          [project, digest, incarnation],
        ),
      );
      if (confirmed.rowCount === 1) return;
      if (round >= MAX_ROUNDS)
        throw new Error(`blob ${digest} of ${project} was deleted ${MAX_ROUNDS} times while being written`);
    }
  }

  read(project: ProjectName, digest: Digest, onChunk?: (chunk: Uint8Array) => void): Promise<Uint8Array> {
    return this.#store.get(project, digest, onChunk);
  }

  async delete(project: ProjectName, digest: Digest, notWrittenSince: number): Promise<boolean> {
    const outcome = await this.#db.transaction(
      'delete a blob',
      async (q): Promise<Removal> => {
        // D1
        const { rows } = await q.query<{ written_at: string }>(
          `SELECT written_at FROM ${this.#s}.blobs WHERE project = $1 AND digest = $2 FOR UPDATE`,
          [project, digest],
        );
        const row = rows[0];
        if (row === undefined || Number(row.written_at) >= notWrittenSince) return { removed: false };
        return this.#removeLocked(q, project, digest);
      },
      (q, outcome) => this.#confirmRemoval(q, project, digest, outcome),
    );
    if (outcome.failure !== undefined) throw outcome.failure;
    return outcome.removed;
  }

  /**
   * D2 and D3, with the row locked by the caller's transaction. When the store fails, the object
   * may or may not be gone, so the row stops claiming it is stored (committed, then the failure
   * is thrown): a writeBlob sets it again, and cleanup takes it if nobody does.
   */
  async #removeLocked(q: Queryable, project: ProjectName, digest: Digest): Promise<Removal> {
    try {
      await this.#store.remove(project, digest);
    } catch (failure) {
      await q.query(`UPDATE ${this.#s}.blobs SET stored = false WHERE project = $1 AND digest = $2`, [project, digest]);
      return { removed: false, failure };
    }
    await q.query(`DELETE FROM ${this.#s}.blobs WHERE project = $1 AND digest = $2`, [project, digest]);
    return { removed: true };
  }

  /** A lost COMMIT of a removal: the row gone means it was applied; a row still there means run it again. */
  async #confirmRemoval(
    q: Queryable,
    project: string,
    digest: string,
    outcome: Removal,
  ): Promise<Removal | typeof NOT_APPLIED> {
    if (!outcome.removed) return outcome.failure === undefined ? outcome : NOT_APPLIED;
    const { rows } = await q.query(`SELECT 1 FROM ${this.#s}.blobs WHERE project = $1 AND digest = $2`, [
      project,
      digest,
    ]);
    return rows.length === 0 ? outcome : NOT_APPLIED;
  }

  /** Every stored blob of a project with its size and when it was last written, a page at a time. */
  async *list(project: ProjectName): AsyncGenerator<{ digest: Digest; size: number; writtenAt: number }> {
    let after = '';
    for (;;) {
      const { rows } = await this.#db.read('list blobs', (q) =>
        q.query<{ digest: string; size: string; written_at: string }>(
          `SELECT digest, size, written_at FROM ${this.#s}.blobs
           WHERE project = $1 AND stored AND digest > $2 ORDER BY digest LIMIT 1000`,
          [project, after],
        ),
      );
      for (const row of rows)
        yield { digest: row.digest as Digest, size: Number(row.size), writtenAt: Number(row.written_at) };
      if (rows.length < 1000) return;
      after = rows.at(-1)!.digest;
    }
  }

  /**
   * Blobs that were announced and never confirmed stored (writers that died mid-write) older than
   * `olderThanMs`, removed with their objects, plus what the store itself finds left over.
   */
  async sweep(olderThanMs: number, dryRun: boolean): Promise<CleanupReport> {
    const { rows } = await this.#db.read('clean up', (q) =>
      q.query<{ project: string; digest: string; size: string }>(
        `SELECT project, digest, size FROM ${this.#s}.blobs WHERE NOT stored AND written_at <= ${NOW_MS} - $1`,
        [Math.floor(olderThanMs)],
      ),
    );
    const report: CleanupReport = { removed: 0, bytes: 0 };
    for (const row of rows) {
      const removed = dryRun
        ? true
        : await this.#db
            .transaction(
              'clean up',
              async (q): Promise<Removal> => {
                const locked = await q.query(
                  `SELECT 1 FROM ${this.#s}.blobs WHERE project = $1 AND digest = $2 AND NOT stored
                   AND written_at <= ${NOW_MS} - $3 FOR UPDATE`,
                  [row.project, row.digest, Math.floor(olderThanMs)],
                );
                if (locked.rows.length === 0) return { removed: false };
                return this.#removeLocked(q, row.project as ProjectName, row.digest as Digest);
              },
              (q, outcome) => this.#confirmRemoval(q, row.project, row.digest, outcome),
            )
            .then((outcome) => {
              if (outcome.failure !== undefined) throw outcome.failure;
              return outcome.removed;
            });
      if (removed) {
        report.removed += 1;
        report.bytes += Number(row.size);
      }
    }
    const store = await this.#store.sweep(olderThanMs, dryRun, async (project, digest) => {
      const { rows: recent } = await this.#db.read('clean up', (q) =>
        q.query(`SELECT 1 FROM ${this.#s}.blobs WHERE project = $1 AND digest = $2 AND written_at > ${NOW_MS} - $3`, [
          project,
          digest,
          Math.floor(olderThanMs),
        ]),
      );
      return recent.length > 0;
    });
    return { removed: report.removed + store.removed, bytes: report.bytes + store.bytes };
  }
}
