// What a person with access to the MLflow server sees and can do, through its plain REST API:
// the tests inspect the mapping and damage stored bytes this way, never through the provider.
import type { Damage } from '../../../src/conformance/index.js';

export async function rest<T = Record<string, unknown>>(
  uri: string,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${uri}/api/2.0/mlflow/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as T;
}

export function query(params: Record<string, string>): string {
  return new URLSearchParams(params).toString();
}

export function tagsOf(entity: { tags?: { key: string; value: string }[] }): Record<string, string> {
  return Object.fromEntries((entity.tags ?? []).map((t) => [t.key, t.value]));
}

/** The proxy path of a project's experiment ("3"). */
export async function projectRoot(uri: string, namespace: string, project: string): Promise<string> {
  const { experiment } = await rest<{ experiment: { artifact_location: string } }>(
    uri,
    'GET',
    `experiments/get-by-name?${query({ experiment_name: `${namespace}~${project}` })}`,
  );
  return experiment.artifact_location.replace(/^mlflow-artifacts:\//, '');
}

export function artifactUrl(uri: string, path: string): string {
  return `${uri}/api/2.0/mlflow-artifacts/artifacts/${path}`;
}

export async function blobUrl(uri: string, namespace: string, project: string, digest: string): Promise<string> {
  const hex = digest.slice('sha256:'.length);
  return artifactUrl(uri, `${await projectRoot(uri, namespace, project)}/blobs/sha256/${hex.slice(0, 2)}/${hex}`);
}

export async function overwrite(url: string, bytes: Uint8Array): Promise<void> {
  const response = await fetch(url, { method: 'PUT', body: bytes });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`PUT ${url}: HTTP ${response.status}`);
}

/** Damages a stored blob through the server, as a person with write access could. */
export async function damageBlob(
  uri: string,
  namespace: string,
  project: string,
  digest: string,
  how: Damage,
): Promise<void> {
  const url = await blobUrl(uri, namespace, project, digest);
  if (how === 'delete') {
    const response = await fetch(url, { method: 'DELETE' });
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`DELETE ${url}: HTTP ${response.status}`);
    return;
  }
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  if (how === 'truncate') return overwrite(url, bytes.slice(0, Math.floor(bytes.length / 2)));
  bytes[Math.floor(bytes.length / 2)]! ^= 0xff;
  return overwrite(url, bytes);
}
