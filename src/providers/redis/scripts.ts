import { Script } from './connection.js';

// Each script runs atomically on the server: no other command interleaves, and its writes reach
// the append-only file as one MULTI/EXEC block, which a restart replays whole or not at all.
// "#!lua" (Redis 7) makes the server refuse a writing script up front when it is out of memory,
// instead of after its first write. Every check comes before the first write.

const NOW_MS = `
local t = redis.call('TIME')
local now = string.format('%.0f', tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000))
`;

/**
 * KEYS: releases, generations, latest, commits. ARGV: version, number, manifest, token.
 * Publishes the manifest as number ARGV[2] only if that is the next one; a token already used
 * (a retried commit whose first attempt applied) answers with its number instead.
 * Returns {status, number}: published (with the number) | taken (with the latest) | no-release.
 */
export const PUBLISH = new Script(
  'publish',
  `#!lua
local done = redis.call('HGET', KEYS[4], ARGV[4])
if done then return {'published', tonumber(done)} end
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return {'no-release', 0} end
local latest = tonumber(redis.call('GET', KEYS[3]) or '0')
if tonumber(ARGV[2]) ~= latest + 1 then return {'taken', latest} end
redis.call('SET', KEYS[3], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3])
redis.call('HSET', KEYS[4], ARGV[4], ARGV[2])
return {'published', latest + 1}
`,
);

/** KEYS: releases, projects. ARGV: version, record, project. Returns 1 if created, 0 if it existed. */
export const CREATE_RELEASE = new Script(
  'create-release',
  `#!lua
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('SADD', KEYS[2], ARGV[3])
return 1
`,
);

/** KEYS: releases, generations, latest, commits, projects. ARGV: version, project. Returns 1 if deleted. */
export const DELETE_RELEASE = new Script(
  'delete-release',
  `#!lua
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
if redis.call('HLEN', KEYS[1]) == 0 then redis.call('SREM', KEYS[5], ARGV[2]) end
return 1
`,
);

/** KEYS: generations. ARGV: number, tombstone. Returns 1 if replaced, 0 if the generation is not published. */
export const TOMBSTONE = new Script(
  'tombstone',
  `#!lua
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
`,
);

/** KEYS: blob, blobs. ARGV: digest, bytes. Stores the bytes and stamps writtenAt; returns it. */
export const WRITE_BLOB = new Script(
  'write-blob',
  `#!lua
${NOW_MS}
redis.call('SET', KEYS[1], ARGV[2])
redis.call('HSET', KEYS[2], ARGV[1], now)
return now
`,
);

/**
 * KEYS: blob, blobs. ARGV: digest, notWrittenSince (ms). Deletes the blob only if it was last
 * written before ARGV[2]; atomic against WRITE_BLOB. Returns 1 if deleted.
 */
export const DELETE_BLOB = new Script(
  'delete-blob',
  `#!lua
local at = redis.call('HGET', KEYS[2], ARGV[1])
if redis.call('EXISTS', KEYS[1]) == 0 then
  if at then redis.call('HDEL', KEYS[2], ARGV[1]) end
  return 0
end
if at and tonumber(at) >= tonumber(ARGV[2]) then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HDEL', KEYS[2], ARGV[1])
return 1
`,
);

/** KEYS: the blobs' keys. Returns each one's size, or -1 where it is absent. */
export const BLOB_SIZES = new Script(
  'blob-sizes',
  `#!lua flags=no-writes
local sizes = {}
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then sizes[i] = redis.call('STRLEN', key) else sizes[i] = -1 end
end
return sizes
`,
);

/**
 * KEYS: alias, aliases. ARGV: entry, bytes, alias. Appends the entry only if it is the next one.
 * Returns {status, newest}: ok | exists | gap.
 */
export const APPEND_ALIAS = new Script(
  'append-alias',
  `#!lua
local n = redis.call('HLEN', KEYS[1])
local entry = tonumber(ARGV[1])
if entry <= n then return {'exists', n} end
if entry ~= n + 1 then return {'gap', n} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('SADD', KEYS[2], ARGV[3])
return {'ok', entry}
`,
);
