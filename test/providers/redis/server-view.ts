import { createClient, RESP_TYPES } from '@redis/client';
import type { Damage } from '../../../src/conformance/index.js';
import { RedisKeys } from '../../../src/providers/redis/keys.js';

/** Runs `work` with a plain node-redis client on the server: for looking at and damaging what statekeep stored. */
export async function withRedis<T>(
  url: string,
  work: (send: (args: (string | Buffer)[]) => Promise<unknown>) => Promise<T>,
): Promise<T> {
  const client = createClient({ url, RESP: 2, socket: { reconnectStrategy: false } });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work((args) => client.sendCommand(args, { typeMapping: { [RESP_TYPES.BLOB_STRING]: Buffer } }));
  } finally {
    client.destroy();
  }
}

/** Damages a stored blob the way a bad restore, a person or a faulty replica could: behind statekeep's back. */
export function damageBlob(url: string, prefix: string, project: string, digest: string, how: Damage): Promise<void> {
  const key = new RedisKeys(prefix).blob(project, digest);
  return withRedis(url, async (send) => {
    const bytes = (await send(['GET', key])) as Buffer;
    if (how === 'delete') await send(['DEL', key]);
    else if (how === 'truncate') await send(['SET', key, bytes.subarray(0, Math.floor(bytes.length / 2))]);
    else {
      const flipped = Buffer.from(bytes);
      flipped[0] = (flipped[0] ?? 0) ^ 0xff;
      await send(['SET', key, flipped]);
    }
  });
}

/** Every key under a prefix, sorted. */
export function keysUnder(url: string, prefix: string): Promise<string[]> {
  return withRedis(url, async (send) => {
    const found: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = (await send(['SCAN', cursor, 'MATCH', `${prefix}*`, 'COUNT', '1000'])) as [Buffer, Buffer[]];
      cursor = next.toString();
      found.push(...keys.map(String));
    } while (cursor !== '0');
    return found.sort();
  });
}
