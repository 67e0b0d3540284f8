import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { MlflowClient } from '../../../src/providers/mlflow/client.js';
import { MlflowApiError } from '../../../src/providers/mlflow/errors.js';
import { nameEquals, tagEquals } from '../../../src/providers/mlflow/limits.js';
import { MlflowProvider } from '../../../src/providers/mlflow/mlflow-provider.js';
import { mlflowSettings } from '../../../src/providers/mlflow/options.js';
import { digestOf } from '../../../src/registry/digest.js';
import { encodeManifest } from '../../../src/registry/manifest.js';
import type { ProjectName } from '../../../src/registry/names.js';
import type { ReleaseVersion } from '../../../src/registry/versions.js';
import { commit, publish, registryOf } from '../../conformance/fixtures.js';
import { freePort } from '../../support/free-port.js';
import { sharedMlflowServer } from '../../support/mlflow-server.js';
import { PYTHON } from '../../support/python-env.js';
import { artifactUrl, blobUrl, overwrite, query, rest, tagsOf } from './server-view.js';

vi.setConfig({ testTimeout: 90_000 });

interface Version {
  version: string;
  source: string;
  run_id: string;
  description?: string;
  tags?: { key: string; value: string }[];
}

// The run's shared server: every namespace here is this file's own.
const mlflow = sharedMlflowServer();
const providerIn = mlflow.provider;

async function versionsOf(model: string): Promise<Version[]> {
  const found = await rest<{ model_versions?: Version[] }>(
    mlflow.server.uri,
    'GET',
    `model-versions/search?${query({ filter: `name = '${model}'`, order_by: 'version_number ASC' })}`,
  );
  return found.model_versions ?? [];
}

describe('mlflow mapping', () => {
  it('shows projects, releases and generations as tagged experiments, registered models, versions and runs', async () => {
    const registry = registryOf(providerIn('ui'));
    await publish(registry, 'iris', '1.0.0');
    await commit(registry, 'iris', '1.0.0', { scaler: 's1', model: 'm1' }, { metrics: { accuracy: 0.5 } });
    const two = await commit(
      registry,
      'iris',
      '1.0.0',
      { scaler: 's1', model: 'm2' },
      {
        parent: 1,
        mode: 'tune',
        metrics: { accuracy: 0.75, seconds: 2 },
        tuning: { score: 0.7, trials: 8, params: { 'model.depth': 4, 'scaler.mode': 'minmax' } },
      },
    );
    const three = await registry.rollback('iris', '1.0.0', 1);

    const { experiment } = await rest<{ experiment: { tags: [] } }>(
      mlflow.server.uri,
      'GET',
      `experiments/get-by-name?${query({ experiment_name: 'ui~iris' })}`,
    );
    expect(tagsOf(experiment)).toMatchObject({
      'statekeep.kind': 'project',
      'statekeep.namespace': 'ui',
      'statekeep.project': 'iris',
    });

    const { registered_model: model } = await rest<{
      registered_model: { tags: []; aliases: unknown[]; description: string };
    }>(mlflow.server.uri, 'GET', `registered-models/get?${query({ name: 'ui~iris~1.0.0' })}`);
    // The joined name spelt out for people, and how to read the versions.
    expect(model.description).toMatch(
      /^statekeep project iris, release 1\.0\.0\. Each version of this model is a generation/,
    );
    expect(model.description).toContain('generations/<generation>/');
    expect(tagsOf(model)).toMatchObject({
      'statekeep.kind': 'release',
      'statekeep.namespace': 'ui',
      'statekeep.project': 'iris',
      'statekeep.release': '1.0.0',
      'statekeep.record': expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });
    expect(model.aliases).toEqual([{ alias: 'statekeep-latest', version: '3' }]);

    const versions = await versionsOf('ui~iris~1.0.0');
    expect(versions.map((v) => v.version)).toEqual(['1', '2', '3']);
    // What the UI shows on each version's row and page: one line for people.
    expect(versions.map((v) => v.description)).toEqual([
      'train fresh · 10 rows, ordinals 0 to 10 · accuracy 0.5',
      'tune from generation 1 · 10 rows, ordinals 0 to 10 · best of 8 trials, score 0.7 · accuracy 0.75',
      'rollback: the states of generation 1 · 10 rows, ordinals 0 to 10 · accuracy 0.5',
    ]);
    const manifestBytes = encodeManifest(two);
    expect(tagsOf(versions[1]!)).toEqual({
      'statekeep.kind': 'generation',
      'statekeep.namespace': 'ui',
      'statekeep.project': 'iris',
      'statekeep.release': '1.0.0',
      'statekeep.state': 'committed',
      'statekeep.mode': 'tune',
      'statekeep.parent': '1',
      'statekeep.manifest': digestOf(manifestBytes),
      'statekeep.states': two.states.map((s) => `${s.actor}=${s.digest}`).join(' '),
    });

    // The release's run (every version's Source Run) holds release.json and the manifests, charts
    // metrics by generation, and lists each generation's tuned parameters under its number.
    const { run } = await rest<{
      run: {
        info: { run_name: string; status: string; artifact_uri: string };
        data: { metrics: unknown[]; params: unknown[]; tags: [] };
      };
    }>(mlflow.server.uri, 'GET', `runs/get?${query({ run_id: versions[1]!.run_id })}`);
    expect(run.info).toMatchObject({ run_name: 'release 1.0.0', status: 'FINISHED' });
    expect(run.data.metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'accuracy', value: 0.5, step: 3 }),
        expect.objectContaining({ key: 'seconds', value: 2, step: 2 }),
      ]),
    );
    const history = await rest<{ metrics: { value: number; step: number }[] }>(
      mlflow.server.uri,
      'GET',
      `metrics/get-history?${query({ run_id: versions[1]!.run_id, metric_key: 'accuracy' })}`,
    );
    expect(history.metrics.map((m) => [m.step, m.value]).sort()).toEqual([
      [1, 0.5],
      [2, 0.75],
      [3, 0.5],
    ]);
    // The rollback reinstates generation 1's states, tuned by nothing: only the tune logs params.
    expect(run.data.params).toEqual(
      expect.arrayContaining([
        { key: 'g2.model.depth', value: '4' },
        { key: 'g2.scaler.mode', value: 'minmax' },
      ]),
    );
    expect(run.data.params).toHaveLength(2);
    expect(tagsOf(run.data)).toMatchObject({ 'statekeep.kind': 'release', 'statekeep.release': '1.0.0' });
    expect(new Set(versions.map((v) => v.run_id))).toEqual(new Set([versions[0]!.run_id]));
    // Folders are named by generation number: generations/2/manifest.json in the release run.
    expect(versions.map((v) => v.source)).toEqual(versions.map(() => `${run.info.artifact_uri}/generations`));
    const folder = run.info.artifact_uri.replace(/^mlflow-artifacts:\//, '');
    const listed = await fetch(
      `${mlflow.server.uri}/api/2.0/mlflow-artifacts/artifacts?${query({ path: `${folder}/generations` })}`,
    );
    const { files } = (await listed.json()) as { files: { path: string; is_dir: boolean }[] };
    expect(files.map((f) => [f.path, f.is_dir])).toEqual([
      ['1', true],
      ['2', true],
      ['3', true],
    ]);
    const stored = await fetch(artifactUrl(mlflow.server.uri, `${folder}/generations/2/manifest.json`));
    expect(Buffer.from(await stored.arrayBuffer()).equals(Buffer.from(manifestBytes))).toBe(true);
    expect(three.rollbackOf).toBe(1);
    const record = await fetch(
      artifactUrl(
        mlflow.server.uri,
        `${tagsOf(model)['statekeep.artifacts']!.replace(/^mlflow-artifacts:\//, '')}/release.json`,
      ),
    );
    expect(JSON.parse(await record.text())).toMatchObject({ project: 'iris', version: '1.0.0' });
  });

  it('still reads a generation of the older layout, whose version points at a generations/<uuid> folder of its own', async () => {
    const registry = registryOf(providerIn('layout'));
    await publish(registry, 'p', '1.0.0');
    const one = await commit(registry, 'p', '1.0.0', { a: 'a1' });
    const [first] = await versionsOf('layout~p~1.0.0');
    // Generation 2 as an earlier statekeep wrote it: the manifest in a folder named by a random id.
    const old = { ...one, generation: 2, parent: 1 } as typeof one;
    const bytes = encodeManifest(old);
    const source = `${first!.source}/${randomUUID()}`;
    await overwrite(
      artifactUrl(mlflow.server.uri, `${source.replace(/^mlflow-artifacts:\//, '')}/manifest.json`),
      bytes,
    );
    const tags = { ...tagsOf(first!), 'statekeep.parent': '1', 'statekeep.manifest': digestOf(bytes) };
    const { model_version: made } = await rest<{ model_version: Version }>(
      mlflow.server.uri,
      'POST',
      'model-versions/create',
      {
        name: 'layout~p~1.0.0',
        source,
        run_id: first!.run_id,
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      },
    );
    expect(made.version).toBe('2');
    expect(await registry.generations('p', '1.0.0')).toEqual([1, 2]);
    expect(await registry.manifest('p', '1.0.0', 2)).toEqual(old);
    expect((await registry.readStates(await registry.manifest('p', '1.0.0'))).get('a' as never)).toEqual(
      new TextEncoder().encode('a1'),
    );
    // And a new generation after it goes under its number again.
    expect((await commit(registry, 'p', '1.0.0', { a: 'a3' }, { parent: 2 })).generation).toBe(3);
    const versions = await versionsOf('layout~p~1.0.0');
    expect(versions[2]!.source).toBe(first!.source);
    expect(await registry.manifest('p', '1.0.0', 3)).toMatchObject({ generation: 3, parent: 2 });
  });

  it("never lists MLflow's Default experiment, foreign models or another namespace's as projects", async () => {
    await rest(mlflow.server.uri, 'POST', 'experiments/create', { name: 'foreign~ghost' });
    await rest(mlflow.server.uri, 'POST', 'registered-models/create', { name: 'plain-model' });
    const claims = (namespace: string, project: string) => [
      { key: 'statekeep.kind', value: 'release' },
      { key: 'statekeep.namespace', value: namespace },
      { key: 'statekeep.project', value: project },
      { key: 'statekeep.release', value: '1.0.0' },
    ];
    // Tags that claim a release but a name statekeep would never give it.
    await rest(mlflow.server.uri, 'POST', 'registered-models/create', {
      name: 'forged',
      tags: claims('foreign', 'forged'),
    });
    await rest(mlflow.server.uri, 'POST', 'registered-models/create', {
      name: 'elsewhere~other~1.0.0',
      tags: claims('elsewhere', 'other'),
    });
    const registry = registryOf(providerIn('foreign'));
    expect(await registry.projects()).toEqual([]);
    await publish(registry, 'real', '1.0.0');
    expect(await registry.projects()).toEqual(['real']);
    await expect(registry.release('forged', '1.0.0')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // An experiment that merely has statekeep's name is not adopted.
    await expect(publish(registry, 'ghost', '1.0.0')).rejects.toMatchObject({
      code: 'PROVIDER',
      data: { operation: 'open the project experiment' },
    });
    expect(await registry.projects()).toEqual(['real']);
  });

  it('keeps a generation whose writer died or failed invisible, never reuses its number, and cleanup removes it', async () => {
    const provider = providerIn('crash');
    const registry = registryOf(provider);
    await publish(registry, 'p', '1.0.0');
    await commit(registry, 'p', '1.0.0', { a: 'a1' });
    const { registered_model: model } = await rest<{ registered_model: { tags: [] } }>(
      mlflow.server.uri,
      'GET',
      `registered-models/get?${query({ name: 'crash~p~1.0.0' })}`,
    );
    const release = tagsOf(model);
    const marks = (state: string) =>
      Object.entries({ kind: 'generation', namespace: 'crash', project: 'p', release: '1.0.0', state }).map(
        ([k, value]) => ({ key: `statekeep.${k}`, value }),
      );
    const versionBy = (name: string, tags: { key: string; value: string }[]) =>
      rest(mlflow.server.uri, 'POST', 'model-versions/create', {
        name,
        source: `${release['statekeep.artifacts']}/generations/by-hand`,
        run_id: release['statekeep.run'],
        tags,
      });
    // 2: what a writer that died after allocating its number leaves, a pending version.
    await versionBy('crash~p~1.0.0', marks('pending'));
    // 3: a version a person added by hand and marked committed, without statekeep's other marks.
    await versionBy('crash~p~1.0.0', [{ key: 'statekeep.state', value: 'committed' }]);
    // 4: a writer whose manifest could not be made.
    const broken = () => {
      throw new Error('render failed');
    };
    await expect(
      provider.publishGeneration('p' as ProjectName, '1.0.0' as ReleaseVersion, broken),
    ).rejects.toMatchObject({ code: 'PROVIDER' });
    expect(tagsOf((await versionsOf('crash~p~1.0.0'))[3]!)['statekeep.state']).toBe('failed');

    expect(await registry.generations('p', '1.0.0')).toEqual([1]);
    expect(await registry.latest('p', '1.0.0')).toBe(1);
    for (const generation of [2, 3, 4]) {
      await expect(registry.manifest('p', '1.0.0', generation)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        data: { generation },
      });
    }

    // A model statekeep did not name is not its to tidy, whatever tags its versions carry.
    await rest(mlflow.server.uri, 'POST', 'registered-models/create', { name: 'crash-lookalike' });
    await versionBy('crash-lookalike', marks('pending'));
    expect(await registry.cleanup({ olderThanMs: 0 })).toEqual({ removed: 2, bytes: 0 });
    expect((await versionsOf('crash~p~1.0.0')).map((v) => v.version)).toEqual(['1', '3']);
    expect(await versionsOf('crash-lookalike')).toHaveLength(1);
    // Removing the highest number did not free it.
    expect((await commit(registry, 'p', '1.0.0', { a: 'a5' })).generation).toBe(5);
    expect(await registry.generations('p', '1.0.0')).toEqual([1, 5]);
    expect(await registry.latest('p', '1.0.0')).toBe(5);
  });

  it('publishes a generation even when the alias that follows the newest cannot be moved; the next commit moves it', async () => {
    const registry = registryOf(providerIn('alias'));
    await publish(registry, 'p', '1.0.0');
    const aliases = async () =>
      (
        await rest<{ registered_model: { aliases?: unknown[] } }>(
          mlflow.server.uri,
          'GET',
          `registered-models/get?${query({ name: 'alias~p~1.0.0' })}`,
        )
      ).registered_model.aliases ?? [];
    const refused = vi
      .spyOn(MlflowClient.prototype, 'setAlias')
      .mockRejectedValue(new MlflowApiError(500, 'INTERNAL_ERROR', 'injected'));
    try {
      expect((await commit(registry, 'p', '1.0.0', { a: 'a1' })).generation).toBe(1);
      expect(refused).toHaveBeenCalled();
    } finally {
      refused.mockRestore();
    }
    expect(await registry.generations('p', '1.0.0')).toEqual([1]);
    expect(await aliases()).toEqual([]);
    await commit(registry, 'p', '1.0.0', { a: 'a2' });
    expect(await aliases()).toEqual([{ alias: 'statekeep-latest', version: '2' }]);
  });

  it('reads every page of a search, however small the pages', async () => {
    const registry = registryOf(providerIn('pages'));
    for (const version of ['1.0.0', '1.1.0', '1.2.0']) await publish(registry, 'p', version);
    for (let i = 0; i < 5; i++) await commit(registry, 'p', '1.0.0', { a: `a${i}` });
    const client = new MlflowClient(mlflowSettings({ uri: mlflow.server.uri }), 2);
    const models = await client.searchRegisteredModels(tagEquals('statekeep.namespace', 'pages'));
    expect(models.map((m) => m.name)).toEqual(['pages~p~1.0.0', 'pages~p~1.1.0', 'pages~p~1.2.0']);
    const versions = await client.searchModelVersions(nameEquals('pages~p~1.0.0'), 'version_number ASC');
    expect(versions.map((v) => v.version)).toEqual(['1', '2', '3', '4', '5']);
  });

  it('maps prerelease and build versions to model names, and refuses one MLflow cannot name before sending anything', async () => {
    const registry = registryOf(providerIn('names'));
    await publish(registry, 'p', '2.0.0-rc.1+build.7');
    const one = await commit(registry, 'p', '2.0.0-rc.1+build.7', { a: 'x' });
    expect(await registry.manifest('p', '2.0.0-rc.1+build.7', 1)).toEqual(one);
    const tooLong = `3.0.0-${'a'.repeat(250)}`;
    await expect(publish(registry, 'p', tooLong)).rejects.toMatchObject({
      code: 'INVALID_VERSION',
      data: { value: tooLong },
    });
    expect(await registry.releaseVersions('p')).toEqual(['2.0.0-rc.1+build.7']);
    const models = await rest<{ registered_models?: unknown[] }>(
      mlflow.server.uri,
      'GET',
      `registered-models/search?${query({ filter: "tags.`statekeep.namespace` = 'names'", max_results: '100' })}`,
    );
    expect(models.registered_models).toHaveLength(1);
  });

  it('sends no value MLflow would cut short: long state lists are summarised, unloggable metric and param keys and over-long params stay in the manifest', async () => {
    const registry = registryOf(providerIn('limits'));
    await publish(registry, 'p', '1.0.0');
    const states = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`actor-${String(i).padStart(3, '0')}-${'x'.repeat(100)}`, `state ${i}`]),
    );
    const tuning = { score: 1, trials: 2, params: { 'k@1': 1, long: 'v'.repeat(7000), depth: 3 } };
    const one = await commit(registry, 'p', '1.0.0', states, {
      mode: 'tune',
      metrics: { 'top@1': 0.5, loss: 0.25 },
      tuning,
    });
    expect(one.metrics).toEqual({ 'top@1': 0.5, loss: 0.25 });
    expect(one.tuning).toEqual(tuning);
    const [version] = await versionsOf('limits~p~1.0.0');
    expect(tagsOf(version!)['statekeep.states']).toBe('40 states; see manifest.json');
    const { run } = await rest<{ run: { data: { metrics: { key: string }[]; params: { key: string }[] } } }>(
      mlflow.server.uri,
      'GET',
      `runs/get?${query({ run_id: version!.run_id })}`,
    );
    expect(run.data.metrics.map((m) => m.key)).toEqual(['loss']);
    // A param MLflow would refuse (its key) or cut (its value) stays in the manifest only.
    expect(run.data.params.map((p) => p.key)).toEqual(['g1.depth']);
    expect((await registry.readStates(one)).size).toBe(40);
  });
});

describe('mlflow verification', () => {
  it('a tampered manifest or release record is INTEGRITY', async () => {
    const registry = registryOf(providerIn('tamper'));
    await publish(registry, 'p', '1.0.0');
    await commit(registry, 'p', '1.0.0', { a: 'a1' });
    const [version] = await versionsOf('tamper~p~1.0.0');
    const manifestUrl = artifactUrl(
      mlflow.server.uri,
      `${version!.source.replace(/^mlflow-artifacts:\//, '')}/1/manifest.json`,
    );
    const manifest = new Uint8Array(await (await fetch(manifestUrl)).arrayBuffer());
    await overwrite(
      manifestUrl,
      Buffer.from(new TextDecoder().decode(manifest).replace('"accuracy": 0.5', '"accuracy": 0.9')),
    );
    await expect(registry.manifest('p', '1.0.0', 1)).rejects.toMatchObject({
      code: 'INTEGRITY',
      data: { subject: 'generation manifest', generation: 1 },
    });

    const { registered_model: model } = await rest<{ registered_model: { tags: [] } }>(
      mlflow.server.uri,
      'GET',
      `registered-models/get?${query({ name: 'tamper~p~1.0.0' })}`,
    );
    const record = tagsOf(model)['statekeep.record']!;
    await overwrite(
      artifactUrl(
        mlflow.server.uri,
        `${tagsOf(model)['statekeep.artifacts']!.replace(/^mlflow-artifacts:\//, '')}/release.json`,
      ),
      Buffer.from('{"format":1}'),
    );
    await expect(registry.release('p', '1.0.0')).rejects.toMatchObject({
      code: 'INTEGRITY',
      data: { subject: 'release record', expected: record },
    });
  });

  it("a directory where a blob should be is a PROVIDER error carrying the server's own words", async () => {
    const registry = registryOf(providerIn('odd'));
    await publish(registry, 'p', '1.0.0');
    const one = await commit(registry, 'p', '1.0.0', { a: randomBytes(64) });
    const url = await blobUrl(mlflow.server.uri, 'odd', 'p', one.states[0]!.digest);
    await fetch(url, { method: 'DELETE' }).then((r) => r.arrayBuffer());
    await overwrite(`${url}/inside`, Buffer.from('not a blob'));
    // FastAPI answers this with {"detail": …} rather than MLflow's {error_code, message}.
    await expect(registry.readState(one, 'a')).rejects.toMatchObject({
      code: 'PROVIDER',
      data: { provider: 'mlflow', operation: 'read a blob', detail: expect.stringMatching(/^HTTP 400: \S/) },
    });
  });

  it('a server nobody answers at is UNAVAILABLE, naming the uri', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const provider = new MlflowProvider({ uri: closed, namespace: 'gone', retries: 1 });
    await expect(registryOf(provider).projects()).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      data: { provider: 'mlflow', target: closed, reason: 'connection refused' },
    });
    await expect(
      registryOf(provider).commit({ project: 'p', release: '1.0.0', mode: 'train', parent: null, states: [] }),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});

// The Python MLflow client of the same environment, as a data scientist would use it.
const PYTHON_SIDE = `
import hashlib, json, sys, tempfile
import mlflow.artifacts
from mlflow import MlflowClient

uri, namespace = sys.argv[1], sys.argv[2]
client = MlflowClient(tracking_uri=uri, registry_uri=uri)
models = client.search_registered_models(filter_string=f"tags.\`statekeep.namespace\` = '{namespace}'")
out = {"models": [{"name": m.name, "tags": m.tags, "aliases": m.aliases} for m in models]}
name = models[0].name
out["versions"] = [{"version": v.version, "tags": v.tags} for v in client.search_model_versions(f"name = '{name}'")]
latest = client.get_model_version_by_alias(name, "statekeep-latest")
experiment = client.get_experiment_by_name(f"{namespace}~{latest.tags['statekeep.project']}")
with tempfile.TemporaryDirectory() as scratch:
    with open(mlflow.artifacts.download_artifacts(artifact_uri=f"{latest.source}/{latest.version}/manifest.json", dst_path=scratch, tracking_uri=uri), "rb") as f:
        manifest_bytes = f.read()
    manifest = json.loads(manifest_bytes)
    state = manifest["states"][0]
    hexdigest = state["digest"].split(":")[1]
    blob_uri = f"{experiment.artifact_location}/blobs/sha256/{hexdigest[:2]}/{hexdigest}"
    with open(mlflow.artifacts.download_artifacts(artifact_uri=blob_uri, dst_path=scratch, tracking_uri=uri), "rb") as f:
        blob = f.read()
out["latest"] = latest.version
out["manifest_sha256"] = "sha256:" + hashlib.sha256(manifest_bytes).hexdigest()
out["state"] = {"actor": state["actor"], "digest": state["digest"], "sha256": "sha256:" + hashlib.sha256(blob).hexdigest(), "size": len(blob)}
print(json.dumps(out))
`;

describe('mlflow interop with the Python client', () => {
  it('lists the models, versions and tags statekeep created, and downloads a state whose sha256 matches the manifest', async () => {
    const registry = registryOf(providerIn('interop'));
    await publish(registry, 'iris', '1.0.0');
    await commit(registry, 'iris', '1.0.0', { scaler: 'old', model: 'old' });
    const two = await commit(registry, 'iris', '1.0.0', { scaler: randomBytes(100_000), model: 'm2' }, { parent: 1 });
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', PYTHON_SIDE, mlflow.server.uri, 'interop'], {
      env: { ...process.env, MLFLOW_TRACKING_URI: mlflow.server.uri },
    });
    const seen = JSON.parse(stdout) as {
      models: { name: string; tags: Record<string, string>; aliases: Record<string, string> }[];
      versions: { version: string; tags: Record<string, string> }[];
      latest: string;
      manifest_sha256: string;
      state: { actor: string; digest: string; sha256: string; size: number };
    };
    expect(seen.models).toEqual([
      {
        name: 'interop~iris~1.0.0',
        tags: expect.objectContaining({ 'statekeep.kind': 'release', 'statekeep.release': '1.0.0' }),
        aliases: { 'statekeep-latest': '2' },
      },
    ]);
    expect(seen.versions.map((v) => [v.version, v.tags['statekeep.state'], v.tags['statekeep.parent']]).sort()).toEqual(
      [
        ['1', 'committed', 'none'],
        ['2', 'committed', '1'],
      ],
    );
    expect(seen.latest).toBe('2');
    expect(seen.manifest_sha256).toBe(seen.versions.find((v) => v.version === '2')!.tags['statekeep.manifest']);
    expect(seen.state).toEqual({
      actor: 'scaler',
      digest: two.states[0]!.digest,
      sha256: two.states[0]!.digest,
      size: 100_000,
    });
  });
});
