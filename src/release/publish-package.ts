import type { Registry } from '../registry/registry.js';
import type { PackagedReleaseRecord } from '../registry/release-record.js';
import type { BuiltPackage } from './build-package.js';

/**
 * Publishes a built package as a release. The registry refuses a version that is not newer
 * than the project's latest before it writes anything.
 */
export function publishPackage(registry: Registry, built: BuiltPackage): Promise<PackagedReleaseRecord> {
  const { manifest } = built;
  return registry.publishRelease(manifest.project, manifest.version, {
    payload: built.archive,
    info: {
      entry: manifest.entry,
      payload: manifest.payload.sha256,
      statekeep: manifest.statekeep,
      node: manifest.node,
      commit: manifest.source.commit,
    },
  });
}
