import { CborStateCodec } from '../codec/cbor-state-codec.js';
import type { StateCodec } from '../codec/state-codec.js';
import { hasCode, IncompatibleFormatError, NotFoundError, UsageError } from '../registry/errors/index.js';
import { manifestLocation, type GenerationManifest } from '../registry/manifest.js';
import { actorName } from '../registry/names.js';
import type { Registry } from '../registry/registry.js';
import type { ReleaseVersion } from '../registry/versions.js';
import { stateVersionOf } from './states.js';
import { awaitUser } from './user-code.js';

/** The actor name of a PersistentModel's one state in every generation it commits. */
export const MODEL_ACTOR = actorName('model');

/** The release a PersistentModel creates for a project that has none. */
export const FIRST_RELEASE = '1.0.0';

/** All a PersistentModel needs of the user's object. */
export interface Persistable {
  getState(): unknown;
  setState(state: never): void | Promise<void>;
  /** Bumped when the shape of the state changes; a stored state of another version is refused. */
  stateVersion?: number;
}

/** Which generation to load: the newest of the release, a number of it, or `@alias`. */
export type ModelRef = 'latest' | number | `@${string}`;

export interface PersistentModelOptions<T extends Persistable> {
  /** A fresh object, without state: the object the state is set into, or the model itself before its first save. */
  create: () => T | Promise<T>;
  /** Default 'latest'. */
  at?: ModelRef;
  /** Default: the newest release, or 1.0.0 for a new project (created on the first save, without a package). */
  release?: string;
  /** Default: the CBOR codec, which stores typed arrays (e.g. Float32Array weights) raw. */
  codec?: StateCodec;
}

export interface SaveOptions {
  metrics?: Record<string, number>;
  /** Default: the generation this model was loaded from or last saved as; null for none. */
  parent?: number | null;
}

/**
 * One stateful object kept in a registry with no pipeline (Rubix ML's PersistentModel): load()
 * sets a generation's state into a fresh object, save() commits the object's state as a new
 * generation. Releases it creates have no package: their code is the calling program.
 */
export class PersistentModel<T extends Persistable> {
  readonly #registry: Registry;
  readonly #codec: StateCodec;
  #release: string;
  #manifest: GenerationManifest | null;

  private constructor(
    registry: Registry,
    readonly project: string,
    release: string,
    readonly model: T,
    manifest: GenerationManifest | null,
    codec: StateCodec,
  ) {
    this.#registry = registry;
    this.#release = release;
    this.#manifest = manifest;
    this.#codec = codec;
  }

  /** The generation whose state the model holds: the one loaded or last saved; null for a fresh model. */
  get generation(): GenerationManifest | null {
    return this.#manifest;
  }

  /** The release saves go to. */
  get release(): string {
    return this.#release;
  }

  static async load<T extends Persistable>(
    registry: Registry,
    project: string,
    options: PersistentModelOptions<T>,
  ): Promise<PersistentModel<T>> {
    const codec = options.codec ?? new CborStateCodec();
    const at = options.at ?? 'latest';
    const manifest = await findGeneration(registry, project, at, options.release);
    const model = await awaitUser({ step: 'create', project }, () => options.create());
    if (typeof model?.getState !== 'function' || typeof model.setState !== 'function') {
      throw new UsageError(
        `create() for ${project} returned an object without getState() and setState()`,
        'return an object with getState() and setState(state) methods',
        { argument: 'create' },
      );
    }
    const release =
      manifest?.release ?? options.release ?? (await latestReleaseOrNull(registry, project)) ?? FIRST_RELEASE;
    if (manifest !== null) await setStateOf(registry, codec, manifest, model);
    return new PersistentModel(registry, project, release, model, manifest, codec);
  }

  /** Commits the model's current state as a new generation (mode train) and returns its manifest. */
  async save(options: SaveOptions = {}): Promise<GenerationManifest> {
    const model = this.model;
    const stateVersion = stateVersionOf({ name: MODEL_ACTOR, actor: model });
    const state = await awaitUser({ step: 'getState', actor: MODEL_ACTOR, project: this.project }, () =>
      model.getState(),
    );
    // Encoded before anything is written: a state the codec cannot store leaves the registry as it was.
    const bytes = await this.#codec.encode(state, { actor: MODEL_ACTOR, stateVersion });
    if (this.#manifest === null) await this.#ensureRelease();
    const parent = options.parent === undefined ? (this.#manifest?.generation ?? null) : options.parent;
    const manifest = await this.#registry.commit({
      project: this.project,
      release: this.#release,
      mode: 'train',
      parent,
      ...(options.metrics ? { metrics: options.metrics } : {}),
      package: null,
      states: [{ actor: MODEL_ACTOR, bytes, codec: this.#codec.name }],
    });
    this.#manifest = manifest;
    return manifest;
  }

  async #ensureRelease(): Promise<void> {
    try {
      await this.#registry.release(this.project, this.#release);
      return;
    } catch (error) {
      if (!hasCode(error, 'NOT_FOUND')) throw error;
    }
    try {
      await this.#registry.createRelease(this.project, this.#release, { info: { createdBy: 'PersistentModel' } });
    } catch (error) {
      // Another program's first save got there first: the release is there either way.
      if (!hasCode(error, 'ALREADY_EXISTS')) throw error;
    }
  }
}

async function latestReleaseOrNull(registry: Registry, project: string): Promise<ReleaseVersion | null> {
  try {
    return await registry.latestRelease(project);
  } catch (error) {
    if (hasCode(error, 'NOT_FOUND')) return null;
    throw error;
  }
}

/** The manifest `at` names, or null where there is nothing yet to load ('latest' of no generation). */
async function findGeneration(
  registry: Registry,
  project: string,
  at: ModelRef,
  release: string | undefined,
): Promise<GenerationManifest | null> {
  if (typeof at === 'string' && at.startsWith('@')) {
    const target = await registry.resolveAlias(project, at.slice(1));
    if (release !== undefined && release !== target.release) {
      throw new UsageError(
        `${at} of ${project} is on release ${target.release}, not ${release}`,
        'give either release or an @alias',
        { argument: 'release' },
      );
    }
    return registry.manifest(project, target.release, target.generation);
  }
  if (at !== 'latest' && !(typeof at === 'number' && Number.isSafeInteger(at) && at >= 1)) {
    throw new UsageError(
      `at ${JSON.stringify(at)} names no generation`,
      "give 'latest', a generation number or '@alias'",
      {
        argument: 'at',
      },
    );
  }
  const version = release ?? (await latestReleaseOrNull(registry, project));
  if (version === null) {
    if (at === 'latest') return null;
    throw new NotFoundError({ what: 'project', project }, 'save a model first, or load the latest generation');
  }
  if (at === 'latest') {
    const latest = await latestOrNull(registry, project, version, release === undefined);
    return latest === null ? null : registry.manifest(project, version, latest);
  }
  return registry.manifest(project, version, at);
}

/** A named release that does not exist yet is created by the first save, so it loads as fresh. */
async function latestOrNull(registry: Registry, project: string, version: string, known: boolean) {
  try {
    return await registry.latest(project, version);
  } catch (error) {
    if (!known && hasCode(error, 'NOT_FOUND') && !(await releaseExists(registry, project, version))) return null;
    throw error;
  }
}

async function releaseExists(registry: Registry, project: string, version: string): Promise<boolean> {
  return registry.release(project, version).then(
    () => true,
    (error: unknown) => {
      if (hasCode(error, 'NOT_FOUND')) return false;
      throw error;
    },
  );
}

async function setStateOf(
  registry: Registry,
  codec: StateCodec,
  manifest: GenerationManifest,
  model: Persistable,
): Promise<void> {
  const entry = manifest.states.find((s) => s.actor === MODEL_ACTOR);
  if (entry === undefined) {
    throw new NotFoundError(
      { what: 'state', ...manifestLocation(manifest), actor: MODEL_ACTOR },
      `the generation holds states of ${manifest.states.map((s) => s.actor).join(', ') || 'no actors'}, not of a PersistentModel`,
    );
  }
  if (entry.codec !== codec.name) {
    throw new IncompatibleFormatError(
      {
        subject: `state of ${manifest.project} ${manifest.release} generation ${manifest.generation}`,
        found: `codec ${entry.codec}`,
        supported: `codec ${codec.name}`,
      },
      `pass the ${entry.codec} codec to read this generation`,
    );
  }
  const bytes = await registry.readState(manifest, MODEL_ACTOR);
  const state = await codec.decode(bytes, {
    actor: MODEL_ACTOR,
    stateVersion: stateVersionOf({ name: MODEL_ACTOR, actor: model }),
  });
  await awaitUser({ step: 'setState', actor: MODEL_ACTOR, project: manifest.project, release: manifest.release }, () =>
    model.setState(state as never),
  );
}
