import type { StateCodec } from '../codec/state-codec.js';
import type { ProjectCode } from '../pipeline/predictor.js';
import type { LoadedProject } from '../pipeline/project.js';
import type { Registry } from '../registry/registry.js';
import type { Runtime } from '../pipeline/runtime.js';
import type { ProjectSource } from '../release/project-source.js';
import { loadCodec } from './codec-loader.js';
import { loadPlatform } from './load-platform.js';
import type { OpenRegistryOptions } from './open-registry.js';

/** What loadPredictor and followPredictor need besides the registry. */
export interface PredictorSupport {
  codec: StateCodec;
  code: ProjectCode;
}

/**
 * The codec and the verified release packages (unpacked in the platform's staging cache) of a
 * platform.yaml, for loadPredictor(registry, project, { ...support, at }).
 */
export async function openPredictorSupport(
  registry: Registry,
  options: OpenRegistryOptions = {},
): Promise<PredictorSupport> {
  const platform = await loadPlatform({
    platformFile: options.platform,
    ...(options.cwd !== undefined && { cwd: options.cwd }),
    ...(options.env !== undefined && { env: options.env }),
    ...(options.home !== undefined && { home: options.home }),
  });
  // Imported here, not on import of statekeep/platform: the package reader brings esbuild and tar.
  const [{ ProjectSource }, { StagingCache }] = await Promise.all([
    import('../release/project-source.js'),
    import('../release/staging-cache.js'),
  ]);
  return predictorSupport(
    await loadCodec(platform.state),
    new ProjectSource(registry, new StagingCache(platform.staging), () => new Date()),
  );
}

/** The same from a codec and project source already at hand (the CLI's, from its container). */
export function predictorSupport(codec: StateCodec, source: ProjectSource): PredictorSupport {
  // A release's package never changes once published (its digest is in the record), so its code
  // is loaded and verified once: a follower swapping generations of one release reads states only.
  const loaded = new Map<string, Promise<LoadedProject>>();
  const code: ProjectCode = (project, release) => {
    const key = `${project}@${release}`;
    let pending = loaded.get(key);
    if (pending === undefined) {
      pending = source.fromRegistry(project, release);
      // A failure (the registry unreachable) is not remembered: the next load tries again.
      pending.catch(() => loaded.delete(key));
      loaded.set(key, pending);
    }
    return pending;
  };
  return { codec, code };
}

/**
 * A Runtime over a registry with the platform's codec and release packages, so that its runs
 * take a registered project by name: runtime.train({ project: 'iris', data: rows }).
 */
export async function openRuntime(registry: Registry, options: OpenRegistryOptions = {}): Promise<Runtime> {
  const [{ codec, code }, { Runtime }] = await Promise.all([
    openPredictorSupport(registry, options),
    import('../pipeline/runtime.js'),
  ]);
  return new Runtime(registry, codec, () => new Date(), code);
}
