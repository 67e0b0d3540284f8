import { InvalidVersionError, UnsupportedError } from '../../registry/errors/index.js';
import { digestHex, type Digest } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import type { ReleaseVersion } from '../../registry/versions.js';
import { LIMITS, type Tag } from './limits.js';

/**
 * How statekeep's things are named and marked in MLflow. Every name starts with the namespace;
 * every entity carries `statekeep.kind` and `statekeep.namespace`, and listings filter on both,
 * so experiments and models statekeep did not create (MLflow's Default among them) never appear.
 */
export const TAG = {
  kind: 'statekeep.kind',
  namespace: 'statekeep.namespace',
  project: 'statekeep.project',
  release: 'statekeep.release',
  /** On a release model: the digest of release.json, the release's record, checked on every read. */
  record: 'statekeep.record',
  /** On a release model: its run, which holds release.json and every generation's manifest. */
  run: 'statekeep.run',
  /** On a release model: that run's artifact URI. */
  artifacts: 'statekeep.artifacts',
  /** On a project experiment: where its content-addressed blobs are. */
  blobs: 'statekeep.blobs',
  /** On a generation's version: pending → committed (visible) or failed. */
  state: 'statekeep.state',
  mode: 'statekeep.mode',
  parent: 'statekeep.parent',
  rollbackOf: 'statekeep.rollback_of',
  /** On a generation's version: the digest of manifest.json, checked on every read. */
  manifest: 'statekeep.manifest',
  /** On a generation's version: actor=digest pairs, for people reading the UI. */
  states: 'statekeep.states',
  /** On an alias entry's model: the alias it belongs to, its entry number, and the entry's bytes. */
  alias: 'statekeep.alias',
  aliasEntry: 'statekeep.alias_entry',
  aliasRecord: 'statekeep.alias_record',
  /** On a generation's version, once pruned: the digest of tombstone.json, which then stands for the manifest. */
  tombstone: 'statekeep.tombstone',
} as const;

/** On a project experiment, one per blob: `statekeep.written.<64 hex>` = when it was last written (ms since the epoch). */
export const WRITTEN_TAG_PREFIX = 'statekeep.written.';

export function writtenTag(digest: Digest): string {
  return `${WRITTEN_TAG_PREFIX}${digestHex(digest)}`;
}

/** A pruned generation's tombstone, beside its manifest in the version's source folder. */
export const TOMBSTONE_ARTIFACT = 'tombstone.json';

export const KIND = {
  project: 'project',
  release: 'release',
  generation: 'generation',
  aliasEntry: 'alias-entry',
} as const;
export const STATE = { pending: 'pending', committed: 'committed', failed: 'failed' } as const;

/** The alias on a release model that follows its newest committed generation, for the UI and models:/ URIs. */
export const LATEST_ALIAS = 'statekeep-latest';
/** The release record, in the release run's artifacts. */
export const RECORD_FILE = 'release.json';
/** Each generation's manifest is `generations/<uuid>/manifest.json` in the release run; the version's source points at the folder. */
export const GENERATIONS_DIR = 'generations';
export const GENERATION_MANIFEST_ARTIFACT = 'manifest.json';

/** Joins name parts with "~", which occurs in no namespace, project name or semver version: names never collide. */
export function nameOf(...parts: string[]): string {
  return parts.join('~');
}

// Wide enough for any entry number, so that names sort like the numbers they end in.
const ENTRY_DIGITS = 10;

/**
 * The registered model that is entry n of an alias's log: five `~` parts, so it never collides
 * with a release model's three, and zero-padded so the newest sorts last by name.
 */
export function aliasEntryModelName(namespace: string, project: ProjectName, alias: string, entry: number): string {
  return nameOf(namespace, project, 'alias', alias, String(entry).padStart(ENTRY_DIGITS, '0'));
}

export function experimentName(namespace: string, project: ProjectName): string {
  return nameOf(namespace, project);
}

/** The registered model of a release; InvalidVersionError when MLflow could not hold the name. */
export function modelName(namespace: string, project: ProjectName, version: ReleaseVersion): string {
  const name = nameOf(namespace, project, version);
  if (name.length > LIMITS.modelName) {
    const room = LIMITS.modelName - name.length + version.length;
    throw new InvalidVersionError(
      { kind: 'release version', value: version },
      `MLflow model names hold ${LIMITS.modelName} characters; with this namespace and project a release version may have at most ${room}`,
    );
  }
  return name;
}

/** The same name, or null when no such model can exist (reads then find nothing). */
export function modelNameOrNull(namespace: string, project: ProjectName, version: ReleaseVersion): string | null {
  try {
    return modelName(namespace, project, version);
  } catch {
    return null;
  }
}

export function markers(namespace: string, kind: string, extra: Record<string, string> = {}): Tag[] {
  return Object.entries({ [TAG.kind]: kind, [TAG.namespace]: namespace, ...extra }).map(([key, value]) => ({
    key,
    value,
  }));
}

/** The tags that mark a model version as a generation of this project's release. */
export function generationMarkers(namespace: string, project: string, release: string): Tag[] {
  return markers(namespace, KIND.generation, { [TAG.project]: project, [TAG.release]: release });
}

export function tagMap(tags: readonly Tag[] | undefined): Map<string, string> {
  return new Map((tags ?? []).map((t) => [t.key, t.value]));
}

/** Whether tags mark an entity statekeep made in this namespace for this project (and release). */
export function isOurs(
  tags: Map<string, string>,
  namespace: string,
  kind: string,
  project: string,
  release?: string,
): boolean {
  return (
    tags.get(TAG.kind) === kind &&
    tags.get(TAG.namespace) === namespace &&
    tags.get(TAG.project) === project &&
    (release === undefined || tags.get(TAG.release) === release)
  );
}

/** Told to people (and other clients) in the experiment's statekeep.blobs tag. */
export const BLOB_LAYOUT = 'blobs/sha256/<first 2 hex digits>/<64 hex digits>, under the artifact location';

/** Blobs are files of the project's experiment, fanned out by the first two hex digits. */
export function blobDirectory(root: string, digest: Digest): string {
  return `${root}/blobs/sha256/${digestHex(digest).slice(0, 2)}`;
}

export function blobPath(root: string, digest: Digest): string {
  return `${blobDirectory(root, digest)}/${digestHex(digest)}`;
}

/**
 * The proxy path of an `mlflow-artifacts:` URI ("mlflow-artifacts:/3/abc/artifacts" → "3/abc/artifacts").
 * Any other scheme means the server hands out storage statekeep cannot reach through it.
 */
export function artifactPath(uri: string): string {
  const match = /^mlflow-artifacts:(?:\/\/[^/]*)?\/+(.*?)\/*$/.exec(uri);
  if (match === null || match[1] === undefined || match[1].split('/').some((s) => s === '..' || s === '.')) {
    throw new UnsupportedError(
      { provider: 'mlflow', operation: `artifact storage at ${uri}` },
      'start the MLflow server with --serve-artifacts (the default) and --artifacts-destination, and without --default-artifact-root',
    );
  }
  return match[1];
}
