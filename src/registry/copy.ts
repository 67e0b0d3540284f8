import { sameTarget, type AliasEntry, type AliasName, type AliasTarget } from './aliases.js';
import type { Digest } from './digest.js';
import { CopyConflictError, IntegrityError, UnsupportedError, UsageError, type Location } from './errors/index.js';
import { hasCode } from './errors/statekeep-error.js';
import { MANIFEST_FORMAT, type GenerationManifest, type Provenance } from './manifest.js';
import { projectName, type ProjectName } from './names.js';
import type { GenerationBytes, Registry } from './registry.js';
import { encodeTombstone } from './tombstone.js';
import { STATEKEEP_VERSION } from '../version.js';
import type { ReleaseRecord } from './release-record.js';
import { releaseVersion, type GenerationNumber, type ReleaseVersion } from './versions.js';

/** One side of a copy: a Registry and its instance's name in platform.yaml. */
export interface CopyEnd {
  registry: Registry;
  name: string;
}

/** What to copy: everything, one project, or one release of one project. */
export interface CopyScope {
  project?: string;
  release?: string;
}

export interface CopyOptions {
  /**
   * Into a release that holds generations of its own (not copies from this source): append the
   * source's after them, with fresh numbers. Without it such a release is refused (CONFLICT).
   */
  append?: boolean;
  /** The time stamped on provenance; default: now. */
  clock?: () => Date;
  /** Blobs read and written at once; default 4. */
  parallel?: number;
}

/** One copied generation: its number in the source and in the destination. */
export interface CopiedGeneration {
  from: GenerationNumber;
  to: GenerationNumber;
}

export interface ReleaseCopy {
  project: ProjectName;
  release: ReleaseVersion;
  /** Whether this run wrote the release's record (and package), or found it there. */
  record: 'copied' | 'present';
  /** Generations this run copied, oldest first. */
  copied: CopiedGeneration[];
  /** Of those, the destination numbers of tombstones (pruned source generations). */
  tombstones: GenerationNumber[];
  /** Generations an earlier copy had already copied (found by their provenance). */
  present: number;
  /**
   * Copied generations whose number differs from the source's although the numbers were to be
   * kept: the destination allocated another (an MLflow version abandoned by a crash keeps its number).
   */
  renumbered: CopiedGeneration[];
  /** The destination held generations of its own, and the copy appended after them (`append`). */
  appended: boolean;
}

export interface AliasCopy {
  project: ProjectName;
  alias: AliasName;
  /** Entries of its history this run copied. */
  copied: number;
  /** Entries an earlier copy had already copied. */
  present: number;
  /** With `append`, into an alias with a history of its own: moved once to where the source's points. */
  moved: boolean;
  /** Why it was not copied (it points into a release that is not copied), or null. */
  skipped: string | null;
}

export interface CopyTally {
  releases: number;
  /** Generations, tombstones of pruned ones included. */
  generations: number;
  /** Of those, tombstones of pruned generations (copied as tombstones). */
  tombstones: number;
  aliasEntries: number;
  blobs: number;
  bytes: number;
}

export interface CopyReport {
  from: { registry: string; source: string };
  to: { registry: string; target: string };
  copied: CopyTally;
  /** What an earlier copy had already copied: blobs and bytes of the releases and generations found. */
  present: CopyTally;
  releases: ReleaseCopy[];
  aliases: AliasCopy[];
}

interface ReleasePlan {
  project: ProjectName;
  release: ReleaseVersion;
  record: ReleaseRecord;
  recordBytes: Uint8Array;
  /** Whether the destination holds the release already (this record, or one of its own with the same package). */
  recordHeld: boolean;
  /** The source's generations, ascending. */
  sources: { number: GenerationNumber; stored: GenerationBytes }[];
  /** Source number → destination number, of what earlier copies from this source did. */
  numbers: Map<GenerationNumber, GenerationNumber>;
  /** Copies of pruned source generations published, but killed before their tombstone: source → destination number. */
  unfinished: Map<GenerationNumber, GenerationNumber>;
  /** The destination's generations that are not copies from this source. */
  own: GenerationNumber[];
}

const DEFAULT_PARALLEL = 4;

/**
 * Copies releases (record and package), generations (states and manifest) and aliases (every
 * entry of their history) from one registry to another, verifying every byte on the way: the
 * source's reads check each digest, and the destination's blob writes hash what they store and
 * must arrive at the source's digest. Each copied manifest records where it came from
 * (`copiedFrom`), and that is how a rerun knows what is done: a generation is published in one
 * atomic step together with its provenance, so a copy killed at any moment and run again ends
 * complete, with no generation twice.
 *
 * Numbers: into a release that is empty or holds only copies from the same source, generations
 * are copied oldest first and so get the source's numbers on a provider that hands out the next
 * one (posix, volatile); a provider that skips numbers (MLflow keeps an abandoned version's) gives
 * others, which the report lists under `renumbered` and the copy follows everywhere (parents,
 * rollback sources, alias targets). A release with generations of its own is refused with
 * CONFLICT unless `append`.
 */
export async function copyRegistry(
  from: CopyEnd,
  to: CopyEnd,
  scope: CopyScope = {},
  options: CopyOptions = {},
): Promise<CopyReport> {
  const source = from.registry.descriptor;
  const destination = to.registry.descriptor;
  if (from.registry === to.registry || (source.name === destination.name && source.target === destination.target))
    throw new UsageError(
      `registry ${from.name} and registry ${to.name} are the same registry (${source.target})`,
      'copy between two different registries',
      { argument: 'to' },
    );
  if (scope.release !== undefined && scope.project === undefined)
    throw new UsageError('a release to copy needs its project', 'name the project of the release', {
      argument: 'project',
    });
  return new Copy(from, to, options).run(scope);
}

class Copy {
  readonly #from: CopyEnd;
  readonly #to: CopyEnd;
  readonly #append: boolean;
  readonly #clock: () => Date;
  readonly #parallel: number;
  readonly #sourceId: string;
  readonly #report: CopyReport;
  /** Blobs this run stored, by project and digest. */
  readonly #stored = new Set<string>();
  /** Blobs counted as present, by project and digest. */
  readonly #counted = new Set<string>();
  /** Source number → destination number per release, for aliases, by project and release. */
  readonly #maps = new Map<string, Map<GenerationNumber, GenerationNumber>>();
  /** Every release plan of this run, by project and version, to map parents across releases. */
  readonly #plans = new Map<string, ReleasePlan>();

  constructor(from: CopyEnd, to: CopyEnd, options: CopyOptions) {
    this.#from = from;
    this.#to = to;
    this.#append = options.append === true;
    this.#clock = options.clock ?? (() => new Date());
    this.#parallel = Math.max(1, options.parallel ?? DEFAULT_PARALLEL);
    this.#sourceId = from.registry.descriptor.target;
    const tally = (): CopyTally => ({
      releases: 0,
      generations: 0,
      tombstones: 0,
      aliasEntries: 0,
      blobs: 0,
      bytes: 0,
    });
    this.#report = {
      from: { registry: from.name, source: this.#sourceId },
      to: { registry: to.name, target: to.registry.descriptor.target },
      copied: tally(),
      present: tally(),
      releases: [],
      aliases: [],
    };
  }

  async run(scope: CopyScope): Promise<CopyReport> {
    const source = this.#from.registry;
    const projects = scope.project !== undefined ? [projectName(scope.project)] : await source.projects();
    // Everything is planned before anything is written, so a refusal leaves the destination as it was.
    const plans: ReleasePlan[][] = [];
    for (const p of projects) {
      const versions = scope.release !== undefined ? [releaseVersion(scope.release)] : await source.releaseVersions(p);
      if (scope.release === undefined && versions.length === 0) continue;
      const planned: ReleasePlan[] = [];
      for (const v of versions) {
        const plan = await this.#plan(p, v);
        this.#plans.set(`${p}\0${v}`, plan);
        planned.push(plan);
      }
      plans.push(planned);
    }
    for (const planned of plans) {
      for (const plan of planned) await this.#copyRelease(plan);
      const p = planned[0]?.project;
      if (p !== undefined) await this.#copyAliases(p, scope.release === undefined ? null : planned[0]!.release);
    }
    return this.#report;
  }

  // ---- releases and generations -----------------------------------------------------------

  async #plan(p: ProjectName, v: ReleaseVersion): Promise<ReleasePlan> {
    const source = this.#from.registry;
    const dest = this.#to.registry;
    const { record, bytes } = await source.storedRelease(p, v);
    const numbers = await source.generations(p, v);
    const sources = await mapLimited(numbers, this.#parallel, async (number) => ({
      number,
      stored: await source.storedGeneration(p, v, number),
    }));
    if (sources.some((s) => s.stored.kind === 'tombstone') && !dest.keepsTombstones)
      throw new UnsupportedError(
        { provider: dest.descriptor.name, operation: `copy the pruned generations of ${p} ${v} as tombstones` },
        'copy into a registry whose provider keeps tombstones, or copy the releases without pruned generations',
      );
    const plan: ReleasePlan = {
      project: p,
      release: v,
      record,
      recordBytes: bytes,
      recordHeld: false,
      sources,
      numbers: new Map(),
      unfinished: new Map(),
      own: [],
    };
    let held: { record: ReleaseRecord; bytes: Uint8Array };
    try {
      held = await dest.storedRelease(p, v);
    } catch (error) {
      if (!hasCode(error, 'NOT_FOUND')) throw error;
      return plan;
    }
    plan.recordHeld = true;
    // The same code published separately is the same release to copy into; other code is not.
    if (!sameBytes(held.bytes, bytes) && held.record.package?.digest !== record.package?.digest)
      throw new CopyConflictError(
        {
          project: p,
          release: v,
          destination: this.#to.name,
          problem: `a release ${v} of its own with other code (package ${held.record.package?.digest ?? 'none'}, the source's ${record.package?.digest ?? 'none'})`,
        },
        'copy it into another registry, or remove the release from the destination first',
      );
    const bySource = new Map(sources.map((s) => [s.number, s.stored]));
    const held_ = await dest.generations(p, v);
    const copies = await mapLimited(held_, this.#parallel, async (n) => ({
      n,
      stored: await dest.storedGeneration(p, v, n),
    }));
    for (const { n, stored } of copies) {
      const s = this.#copyOf(stored, n, v, bySource, plan);
      if (s === null) plan.own.push(n);
      else plan.numbers.set(s, n);
    }
    if (plan.own.length > 0 && !this.#append)
      throw new CopyConflictError(
        {
          project: p,
          release: v,
          destination: this.#to.name,
          problem: `generation${plan.own.length === 1 ? '' : 's'} ${listed(plan.own)} of its own, not copied from ${this.#from.name}`,
          argument: 'append',
        },
        "copy with append to add the source's generations after the destination's own, with fresh numbers",
      );
    return plan;
  }

  /**
   * The source number whose copy the destination's generation `n` is, or null when it is the
   * destination's own. A manifest says by its provenance (naming the source manifest's digest, or,
   * for a pruned source generation, the tombstone's or the pruned manifest's); a tombstone has
   * none, and is known by the pruned manifest's digest it records (a copied tombstone), or by its
   * lineage (a copy the destination pruned since).
   */
  #copyOf(
    held: GenerationBytes,
    n: GenerationNumber,
    v: ReleaseVersion,
    bySource: Map<GenerationNumber, GenerationBytes>,
    plan: ReleasePlan,
  ): GenerationNumber | null {
    const free = (s: GenerationNumber): boolean => !plan.numbers.has(s);
    if (held.kind === 'manifest') {
      const from = held.manifest.copiedFrom;
      if (from === undefined || !this.#fromHere(from, v) || !free(from.generation)) return null;
      const original = bySource.get(from.generation);
      if (original === undefined) return null;
      if (original.kind === 'manifest') return from.manifest === original.digest ? from.generation : null;
      if (from.manifest === original.digest) {
        plan.unfinished.set(from.generation, n);
        return from.generation;
      }
      return from.manifest === original.tombstone.manifestDigest ? from.generation : null;
    }
    const t = held.tombstone;
    const candidates = [...bySource].filter(([s]) => free(s));
    const copied = candidates.find(
      ([, o]) => o.kind === 'tombstone' && o.tombstone.manifestDigest === t.manifestDigest,
    );
    if (copied !== undefined) return copied[0];
    const lineage = candidates.filter(([, o]) => {
      const of = o.kind === 'manifest' ? o.manifest : o.tombstone;
      return of.created === t.created && of.mode === t.mode;
    });
    return (lineage.find(([s]) => s === n) ?? lineage[0])?.[0] ?? null;
  }

  #fromHere(from: Provenance, v: ReleaseVersion): boolean {
    return from.source === this.#sourceId && from.release === v;
  }

  async #copyRelease(plan: ReleasePlan): Promise<void> {
    const { project: p, release: v } = plan;
    const source = this.#from.registry;
    const dest = this.#to.registry;
    const done: ReleaseCopy = {
      project: p,
      release: v,
      record: 'present',
      copied: [],
      tombstones: [],
      present: 0,
      renumbered: [],
      appended: plan.own.length > 0,
    };
    this.#report.releases.push(done);
    this.#maps.set(`${p}/${v}`, plan.numbers);
    if (plan.recordHeld) {
      // A record of the same code published separately is the destination's own; it stays.
      this.#report.present.releases += 1;
      if (plan.record.package !== null) this.#present(p, plan.record.package);
    } else {
      if (plan.record.package !== null) {
        const { payload } = await source.pullRelease(p, v, plan.record);
        await this.#storeBlob(p, payload, plan.record.package.digest, {
          project: p,
          release: v,
          subject: 'release package',
        });
      }
      try {
        await dest.writeReleaseRecord(p, v, plan.recordBytes);
        done.record = 'copied';
        this.#report.copied.releases += 1;
      } catch (error) {
        // Another copy wrote it meanwhile: the same bytes are the same release.
        if (!hasCode(error, 'ALREADY_EXISTS')) throw error;
        const { bytes } = await dest.storedRelease(p, v);
        if (!sameBytes(bytes, plan.recordBytes)) throw error;
        this.#report.present.releases += 1;
      }
    }
    for (const { number, stored } of plan.sources) {
      const unfinished = plan.unfinished.get(number);
      if (unfinished !== undefined && stored.kind === 'tombstone') {
        // A killed copy published this placeholder; its tombstone completes it.
        await this.#to.registry.writeTombstone(p, v, unfinished, this.#tombstoneBytes(plan, stored, unfinished));
        this.#copied(done, plan, number, unfinished, true);
        continue;
      }
      if (plan.numbers.has(number)) {
        done.present += 1;
        this.#report.present.generations += 1;
        if (stored.kind === 'tombstone') this.#report.present.tombstones += 1;
        else for (const state of stored.manifest.states) this.#present(p, state);
        continue;
      }
      const to =
        stored.kind === 'manifest'
          ? await this.#copyGeneration(plan, number, stored.manifest, stored.digest)
          : await this.#copyTombstone(plan, number, stored);
      plan.numbers.set(number, to);
      this.#copied(done, plan, number, to, stored.kind === 'tombstone');
    }
  }

  #copied(
    done: ReleaseCopy,
    plan: ReleasePlan,
    from: GenerationNumber,
    to: GenerationNumber,
    tombstone: boolean,
  ): void {
    done.copied.push({ from, to });
    if (to !== from && plan.own.length === 0) done.renumbered.push({ from, to });
    if (tombstone) {
      done.tombstones.push(to);
      this.#report.copied.tombstones += 1;
    }
    this.#report.copied.generations += 1;
  }

  /**
   * A pruned source generation, copied as a tombstone under the next number: a placeholder
   * manifest (its lineage, no states, provenance naming the source tombstone) takes the number,
   * then the tombstone replaces it. Killed in between, the rerun finds the placeholder by its
   * provenance and writes the tombstone.
   */
  async #copyTombstone(
    plan: ReleasePlan,
    number: GenerationNumber,
    stored: Extract<GenerationBytes, { kind: 'tombstone' }>,
  ): Promise<GenerationNumber> {
    const { project: p, release: v } = plan;
    const t = stored.tombstone;
    const parent = this.#mappedParent(plan, number, t.parent);
    const rollbackOf = this.#mapped(plan, number, t.rollbackOf, 'rollback source');
    const copiedFrom = this.#provenance(v, number, stored.digest);
    const placeholder = await this.#to.registry.publishManifest(p, v, (generation) => ({
      format: MANIFEST_FORMAT,
      project: p,
      release: v,
      generation,
      parent,
      mode: t.mode,
      created: t.created,
      training: null,
      tuning: null,
      metrics: {},
      environment: { statekeep: STATEKEEP_VERSION, node: process.version },
      rollbackOf,
      package: null,
      states: [],
      copiedFrom,
    }));
    const n = placeholder.generation;
    plan.numbers.set(number, n);
    await this.#to.registry.writeTombstone(p, v, n, this.#tombstoneBytes(plan, stored, n));
    return n;
  }

  /** The source tombstone's bytes where nothing about it changes, else the tombstone renumbered. */
  #tombstoneBytes(
    plan: ReleasePlan,
    stored: Extract<GenerationBytes, { kind: 'tombstone' }>,
    generation: GenerationNumber,
  ): Uint8Array {
    const t = stored.tombstone;
    const parent = this.#mappedParent(plan, t.generation, t.parent);
    const rollbackOf = this.#mapped(plan, t.generation, t.rollbackOf, 'rollback source');
    if (generation === t.generation && parent === t.parent && rollbackOf === t.rollbackOf) return stored.bytes;
    return encodeTombstone({ ...t, generation, parent, rollbackOf });
  }

  /**
   * A parent in the destination's numbers. One in another release (a warm start with --from) is
   * mapped through that release's copy when this run copies it, and kept as it is otherwise: it
   * names lineage, and nothing is read through it.
   */
  #mappedParent(
    plan: ReleasePlan,
    number: GenerationNumber,
    parent: GenerationManifest['parent'],
  ): GenerationManifest['parent'] {
    if (parent === null || typeof parent === 'number') return this.#mapped(plan, number, parent, 'parent');
    if (parent.release === plan.release) return this.#mapped(plan, number, parent.generation, 'parent');
    const other = this.#plans.get(`${plan.project}\0${parent.release}`);
    const to = other?.numbers.get(parent.generation);
    return to === undefined ? parent : { release: parent.release, generation: to };
  }

  #mapped(
    plan: ReleasePlan,
    number: GenerationNumber,
    n: GenerationNumber | null,
    field: string,
  ): GenerationNumber | null {
    if (n === null) return null;
    const to = plan.numbers.get(n);
    if (to === undefined)
      throw new IntegrityError({
        project: plan.project,
        release: plan.release,
        generation: number,
        subject: 'generation manifest',
        expected: `a ${field} among the release's earlier generations`,
        actual: `${field} ${n}`,
      });
    return to;
  }

  #provenance(v: ReleaseVersion, number: GenerationNumber, digest: Digest): Provenance {
    return {
      registry: this.#from.name,
      source: this.#sourceId,
      release: v,
      generation: number,
      manifest: digest,
      copied: this.#clock().toISOString(),
    };
  }

  async #copyGeneration(
    plan: ReleasePlan,
    number: GenerationNumber,
    manifest: GenerationManifest,
    digest: Digest,
  ): Promise<GenerationNumber> {
    const { project: p, release: v } = plan;
    // Every state first, each verified as read and as written; the manifest that names them last.
    const seen = new Set<string>();
    const states = manifest.states.filter((s) => !seen.has(s.digest) && seen.add(s.digest) !== undefined);
    // Where the destination deletes blobs (gc; lifecycle providers keep tombstones too), the
    // publish needs every blob's bytes in hand, to write again any it wrote too long ago.
    const gc = this.#to.registry.keepsTombstones;
    const held = new Map<Digest, Uint8Array>();
    await mapLimited(states, this.#parallel, async (state) => {
      if (this.#stored.has(`${p}/${state.digest}`) && !gc) return;
      const bytes = await this.#from.registry.readState(manifest, state.actor);
      if (gc) held.set(state.digest, bytes);
      await this.#storeBlob(p, bytes, state.digest, {
        project: p,
        release: v,
        generation: number,
        actor: state.actor,
        subject: 'state',
      });
    });
    const copiedFrom = this.#provenance(v, number, digest);
    const parent = this.#mappedParent(plan, number, manifest.parent);
    const rollbackOf = this.#mapped(plan, number, manifest.rollbackOf, 'rollback source');
    const published = await this.#to.registry.publishManifest(
      p,
      v,
      (generation) => ({ ...manifest, generation, parent, rollbackOf, copiedFrom }),
      held,
    );
    return published.generation;
  }

  async #storeBlob(
    p: ProjectName,
    bytes: Uint8Array,
    expected: Digest,
    at: Location & { subject: string; actor?: string },
  ): Promise<void> {
    const key = `${p}/${expected}`;
    if (this.#stored.has(key)) return;
    const digest = await this.#to.registry.storeBlob(p, bytes);
    // The source's read verified these bytes; the destination's write hashed them again.
    if (digest !== expected) throw new IntegrityError({ ...at, expected, actual: digest });
    this.#stored.add(key);
    this.#report.copied.blobs += 1;
    this.#report.copied.bytes += bytes.length;
  }

  #present(p: ProjectName, blob: { digest: Digest; size: number }): void {
    const key = `${p}/${blob.digest}`;
    if (this.#stored.has(key) || this.#counted.has(key)) return;
    this.#counted.add(key);
    this.#report.present.blobs += 1;
    this.#report.present.bytes += blob.size;
  }

  // ---- aliases -----------------------------------------------------------------------------

  /**
   * Copies every alias of the project, entry by entry, each target turned into the destination's
   * number. With one release copied (`only`), an alias is copied when every entry of its history
   * points into a release the destination holds copies of.
   */
  async #copyAliases(p: ProjectName, only: ReleaseVersion | null): Promise<void> {
    const source = this.#from.registry;
    const dest = this.#to.registry;
    const names = await source.aliasNames(p);
    if (names.length === 0) return;
    const work: { alias: AliasName; entries: AliasEntry[]; held: AliasEntry[]; result: AliasCopy }[] = [];
    const conflicts: string[] = [];
    for (const alias of names) {
      const result: AliasCopy = { project: p, alias, copied: 0, present: 0, moved: false, skipped: null };
      this.#report.aliases.push(result);
      const original = (await collect(source.aliasHistory(p, alias))).reverse();
      const entries: AliasEntry[] = [];
      for (const entry of original) {
        const [fromTarget, toTarget] = [await this.#target(p, entry.from), await this.#target(p, entry.to)];
        if (fromTarget === undefined || toTarget === undefined) {
          const missing = (fromTarget === undefined ? entry.from : entry.to)!;
          result.skipped = `entry ${entry.entry} points at ${missing.release} #${missing.generation}, which ${only === null ? 'was not copied' : `is not in release ${only}`}`;
          break;
        }
        entries.push({ ...entry, from: fromTarget, to: toTarget });
      }
      if (result.skipped !== null) continue;
      const held = (await collect(dest.aliasHistory(p, alias))).reverse();
      const same = held.slice(0, entries.length).every((h, i) => sameEntry(h, entries[i]!));
      if (!same) conflicts.push(alias);
      work.push({ alias, entries, held, result });
    }
    if (conflicts.length > 0 && !this.#append)
      throw new CopyConflictError(
        {
          project: p,
          alias: conflicts[0]!,
          destination: this.#to.name,
          problem: `a history of its own${conflicts.length > 1 ? ` (and so do aliases ${conflicts.slice(1).join(', ')})` : ''}`,
          argument: 'append',
        },
        "copy with append to move the destination's alias to where the source's points, keeping its own history",
      );
    for (const { alias, entries, held, result } of work) {
      const diverged = !held.slice(0, entries.length).every((h, i) => sameEntry(h, entries[i]!));
      if (diverged) {
        const want = entries.at(-1)?.to ?? null;
        const have = held.at(-1)?.to ?? null;
        if (!sameTarget(want, have)) {
          const reason = `copied from ${this.#from.name} (${this.#sourceId})`.slice(0, 1000);
          if (want === null) await dest.removeAlias(p, alias, { expect: have, reason });
          else await dest.setAlias(p, alias, want, { expect: have, reason });
          result.moved = true;
        }
        continue;
      }
      result.present = Math.min(held.length, entries.length);
      this.#report.present.aliasEntries += result.present;
      for (const entry of entries.slice(held.length)) {
        try {
          await dest.appendAliasEntry(entry);
        } catch (error) {
          if (!hasCode(error, 'ALREADY_EXISTS')) throw error;
          // Another copy wrote it meanwhile: the same entry is the same history.
          const now = (await collect(dest.aliasHistory(p, alias))).reverse()[entry.entry - 1];
          if (now === undefined || !sameEntry(now, entry)) throw error;
          result.present += 1;
          this.#report.present.aliasEntries += 1;
          continue;
        }
        result.copied += 1;
        this.#report.copied.aliasEntries += 1;
      }
    }
  }

  /** A source target as the destination numbers it; undefined when its release was not copied. */
  async #target(p: ProjectName, target: AliasTarget | null): Promise<AliasTarget | null | undefined> {
    if (target === null) return null;
    const numbers = await this.#numbersOf(p, target.release);
    const generation = numbers.get(target.generation);
    return generation === undefined ? undefined : { release: target.release, generation };
  }

  /** Source → destination numbers of a release: this run's, or what the destination's provenance says. */
  async #numbersOf(p: ProjectName, v: ReleaseVersion): Promise<Map<GenerationNumber, GenerationNumber>> {
    const key = `${p}/${v}`;
    let numbers = this.#maps.get(key);
    if (numbers !== undefined) return numbers;
    numbers = new Map();
    this.#maps.set(key, numbers);
    let held: GenerationNumber[];
    try {
      held = await this.#to.registry.generations(p, v);
    } catch (error) {
      if (hasCode(error, 'NOT_FOUND')) return numbers;
      throw error;
    }
    for (const n of held) {
      const stored = await this.#to.registry.storedGeneration(p, v, n);
      const from = stored.kind === 'manifest' ? stored.manifest.copiedFrom : undefined;
      if (from !== undefined && this.#fromHere(from, v) && !numbers.has(from.generation))
        numbers.set(from.generation, n);
    }
    return numbers;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

function sameEntry(a: AliasEntry, b: AliasEntry): boolean {
  const key = (e: AliasEntry): string =>
    JSON.stringify([e.entry, e.action, e.time, target(e.from), target(e.to), e.reason, e.statekeep]);
  return key(a) === key(b);
}

function target(t: AliasTarget | null): [string, number] | null {
  return t === null ? null : [t.release, t.generation];
}

function listed(numbers: readonly number[]): string {
  const shown = numbers.slice(0, 5).join(', ');
  return numbers.length > 5 ? `${shown} … (${numbers.length})` : shown;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

/** fn over every item, at most `limit` at once; results in the items' order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
