import { ProviderError } from '../../registry/errors/index.js';
import type { ServerFacts } from './connection.js';

const MIB = 1024 * 1024;

function size(bytes: number): string {
  return bytes >= MIB ? `${(bytes / MIB).toFixed(1)} MiB` : `${bytes} bytes`;
}

/**
 * Refuses, before anything is sent, a value longer than the server takes in one command
 * (proto-max-bulk-len): Redis would drop the connection mid-upload instead of answering.
 */
export function checkValueSize(what: string, bytes: Uint8Array, facts: ServerFacts, operation: string): void {
  if (bytes.byteLength <= facts.maxValueBytes) return;
  const limit = `proto-max-bulk-len ${size(facts.maxValueBytes)}${facts.maxValueKnown ? '' : ', the default (CONFIG GET is not allowed)'}`;
  throw new ProviderError(
    {
      provider: 'redis',
      operation,
      detail: `${what} is ${size(bytes.byteLength)}, more than the server accepts in one value (${limit})`,
      size: bytes.byteLength,
      limit: facts.maxValueBytes,
    },
    `raise the server's limit (CONFIG SET proto-max-bulk-len ${Math.ceil(bytes.byteLength / MIB) + 1}mb, and the same in redis.conf; maxmemory must hold it too), or keep states this large in a posix or sql registry`,
  );
}
