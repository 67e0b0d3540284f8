import { createHash } from 'node:crypto';
import type { Digest } from '../registry/digest.js';
import type { PayloadFile } from './package-manifest.js';

/**
 * One digest over a whole payload: sha256 of the sorted "sha256 size path" lines. It is what a
 * release's "payload sha256" means, and it does not change with archive timestamps.
 */
export function payloadDigest(files: readonly PayloadFile[]): Digest {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256} ${f.size} ${f.path}\n`)
    .join('');
  return `sha256:${createHash('sha256').update(lines).digest('hex')}` as Digest;
}
