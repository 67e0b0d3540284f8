import { randomBytes } from 'node:crypto';
import { digestOf } from '../../registry/digest.js';
import type { ProjectName } from '../../registry/names.js';
import type { ConformanceSpec } from '../spec-context.js';
import { commit, publish, registryOf } from '../fixtures.js';

// One byte, one that no power-of-two piece size divides, and one above the 8 MiB pieces posix reads in.
const SIZES = [1, 65_539, 9 * 2 ** 20 + 5];

export const blobsSpec: ConformanceSpec = {
  area: 'blobs',
  tests({ it, expect }) {
    it('readBlob returns the stored bytes, and the pieces it hands onChunk add up to exactly those bytes', async (provider) => {
      const registry = registryOf(provider);
      await publish(registry, 'p', '1.0.0');
      const stored = SIZES.map((size) => randomBytes(size));
      await commit(registry, 'p', '1.0.0', Object.fromEntries(stored.map((b, i) => [`s${i}`, b])));
      for (const bytes of stored) {
        const digest = digestOf(bytes);
        // Copied as they come: the Registry hashes each piece when it is handed over, not later.
        const pieces: Uint8Array[] = [];
        const read = await provider.readBlob('p' as ProjectName, digest, (chunk) => pieces.push(chunk.slice()));
        expect(Buffer.from(read).equals(bytes), `readBlob of ${bytes.length} bytes`).toBe(true);
        // A provider may ignore onChunk; if it calls it at all, the pieces are the whole blob, in order.
        if (pieces.length > 0) {
          const joined = Buffer.concat(pieces);
          expect(joined.length, `onChunk pieces of a ${bytes.length}-byte blob`).toBe(read.length);
          expect(joined.equals(read), `onChunk pieces of a ${bytes.length}-byte blob`).toBe(true);
        }
        expect(Buffer.from(await provider.readBlob('p' as ProjectName, digest)).equals(bytes)).toBe(true);
      }
    });
  },
};
