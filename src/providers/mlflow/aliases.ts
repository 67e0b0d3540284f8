import { decodeAliasEntry, describeTarget, type AliasEntry, type AliasName } from '../../registry/aliases.js';
import { AlreadyExistsError, NotFoundError, UnavailableError } from '../../registry/errors/index.js';
import type { ProjectName } from '../../registry/names.js';
import type { MlflowClient, RegisteredModel } from './client.js';
import { tagEquals } from './limits.js';
import { aliasEntryModelName, isOurs, KIND, LATEST_ALIAS, markers, modelNameOrNull, TAG, tagMap } from './naming.js';

// What MLflow accepts as a model version alias; `v<n>` and `latest` are its own.
const UI_ALIAS = /^[A-Za-z0-9_-]{1,255}$/;
const MAX_UI_PASSES = 5;

/**
 * Alias logs on MLflow. MLflow's own aliases are a single mutable pointer with no history and no
 * compare-and-swap, so the log lives elsewhere: entry n of an alias is a registered model of its
 * own, `<namespace>~<project>~alias~<alias>~<n, 10 digits>`, created in one call with the entry
 * in a tag. Creating a registered model is the server's one exclusive create (a second model of
 * the same name is refused in the same transaction), which is what makes a move a compare-and-swap.
 * The newest entry is one search (ordered by name, which the padding makes numeric order).
 *
 * For people, the alias is also set as a model version alias on the release's model, moved
 * between models when it moves across releases. That pointer follows the log; the log is the truth.
 */
export class AliasModels {
  readonly #client: MlflowClient;
  readonly #namespace: string;

  constructor(client: MlflowClient, namespace: string) {
    this.#client = client;
    this.#namespace = namespace;
  }

  async append(project: ProjectName, alias: string, entry: number, bytes: Uint8Array): Promise<void> {
    const name = aliasEntryModelName(this.#namespace, project, alias, entry);
    const record = Buffer.from(bytes).toString('utf8');
    const tags = markers(this.#namespace, KIND.aliasEntry, {
      [TAG.project]: project,
      [TAG.alias]: alias,
      [TAG.aliasEntry]: String(entry),
      [TAG.aliasRecord]: record,
    });
    const parsed = this.#decode(project, alias, entry, bytes);
    let created: RegisteredModel | null;
    try {
      created = await this.#client.createRegisteredModel(name, describe(parsed), tags);
    } catch (error) {
      // A create is never retried, but when its answer was lost it may still have happened.
      if (!(error instanceof UnavailableError) || (await this.#stored(project, alias, entry)) !== record) throw error;
      created = { name };
    }
    if (created === null)
      throw new AlreadyExistsError(
        { what: 'alias entry', project, name: `${alias}#${entry}` },
        'another writer moved the alias first; read it again',
      );
    // The move is done; the UI pointer is a courtesy that a later move sets right again.
    await this.#showInUi(project, alias, parsed).catch(() => undefined);
  }

  async latest(project: ProjectName, alias: string): Promise<number> {
    const model = await this.#client.firstRegisteredModel(this.#filter(project, alias), 'name DESC');
    if (model === null) return 0;
    const n = Number(tagMap(model.tags).get(TAG.aliasEntry));
    // A model whose name does not match its tags was not made by statekeep, whatever it claims.
    return Number.isSafeInteger(n) && model.name === aliasEntryModelName(this.#namespace, project, alias, n) ? n : 0;
  }

  async read(project: ProjectName, alias: string, entry: number): Promise<Uint8Array> {
    const record = await this.#stored(project, alias, entry);
    if (record === null)
      throw new NotFoundError(
        { what: 'alias', project, name: `${alias}#${entry}` },
        'run `statekeep alias history` to see its entries',
      );
    return Buffer.from(record, 'utf8');
  }

  /** Aliases with a first entry: one model each to find, however often they moved. */
  async list(project: ProjectName): Promise<string[]> {
    const filter = [
      tagEquals(TAG.namespace, this.#namespace),
      tagEquals(TAG.kind, KIND.aliasEntry),
      tagEquals(TAG.project, project),
      tagEquals(TAG.aliasEntry, '1'),
    ].join(' AND ');
    const names: string[] = [];
    for (const model of await this.#client.searchRegisteredModels(filter)) {
      const alias = tagMap(model.tags).get(TAG.alias);
      if (alias !== undefined && model.name === aliasEntryModelName(this.#namespace, project, alias, 1))
        names.push(alias);
    }
    return names;
  }

  async #stored(project: ProjectName, alias: string, entry: number): Promise<string | null> {
    const model = await this.#client.registeredModel(aliasEntryModelName(this.#namespace, project, alias, entry));
    const tags = tagMap(model?.tags);
    if (!isOurs(tags, this.#namespace, KIND.aliasEntry, project) || tags.get(TAG.alias) !== alias) return null;
    return tags.get(TAG.aliasRecord) ?? null;
  }

  #filter(project: ProjectName, alias: string): string {
    return [
      tagEquals(TAG.namespace, this.#namespace),
      tagEquals(TAG.kind, KIND.aliasEntry),
      tagEquals(TAG.project, project),
      tagEquals(TAG.alias, alias),
    ].join(' AND ');
  }

  #decode(project: ProjectName, alias: string, entry: number, bytes: Uint8Array): AliasEntry {
    return decodeAliasEntry(bytes, { project, alias: alias as AliasName, entry });
  }

  /**
   * Puts the MLflow alias where the newest entry says, taking it off the model it left. Writers
   * finishing in any order converge: each one re-reads the newest entry after its pass and goes
   * again if someone else moved meanwhile.
   */
  async #showInUi(project: ProjectName, alias: string, moved: AliasEntry): Promise<void> {
    if (!UI_ALIAS.test(alias) || /^v\d+$/i.test(alias) || alias === LATEST_ALIAS) return;
    let entry = moved;
    for (let pass = 0; pass < MAX_UI_PASSES; pass++) {
      const { from, to } = entry;
      const model = (release: string) => modelNameOrNull(this.#namespace, project, release as never);
      if (to !== null) {
        const target = model(to.release);
        if (target !== null) await this.#client.setAlias(target, alias, String(to.generation));
      }
      if (from !== null && (to === null || from.release !== to.release)) {
        const left = model(from.release);
        if (left !== null) await this.#client.deleteAlias(left, alias);
      }
      const newest = await this.latest(project, alias);
      if (newest <= entry.entry) return;
      entry = this.#decode(project, alias, newest, await this.read(project, alias, newest));
    }
  }
}

/** The model's description: the entry in words, for people browsing the registry. */
function describe(entry: AliasEntry): string {
  const move =
    entry.action === 'rm'
      ? `removed (was ${describeTarget(entry.from)})`
      : `${describeTarget(entry.from)} → ${describeTarget(entry.to)}`;
  return `statekeep alias ${entry.alias} of project ${entry.project}, entry ${entry.entry}: ${move}${entry.reason ? ` (${entry.reason})` : ''}. The log is these models; the alias itself is on the release's model.`;
}
