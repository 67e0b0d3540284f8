import { kMaxLength } from 'node:buffer';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Malformed } from './cbor-reader.js';
import type { Compression } from './state-codec.js';

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
const brotliCompress = promisify(zlib.brotliCompress);
const brotliDecompress = promisify(zlib.brotliDecompress);

// Fixed settings, so one body always compresses to the same bytes (for a given zlib build).
export const GZIP_LEVEL = 6;
// Quality 11 (brotli's default) takes minutes on a large state; 5 keeps most of the gain.
export const BROTLI_QUALITY = 5;
/** The gzip header's OS byte (RFC 1952 "unknown"), so the writer's platform does not change the bytes. */
const GZIP_OS_UNKNOWN = 0xff;

/** Compresses a whole body; the result runs on the libuv thread pool. */
export async function compress(body: Uint8Array, compression: Compression): Promise<Uint8Array> {
  if (compression === 'none') return body;
  if (compression === 'gzip') {
    // zlib writes no file name and a zero mtime; only the OS byte depends on the machine.
    const out = await gzip(body, { level: GZIP_LEVEL });
    out[9] = GZIP_OS_UNKNOWN;
    return out;
  }
  const { constants: c } = zlib;
  return brotliCompress(body, {
    params: {
      [c.BROTLI_PARAM_MODE]: c.BROTLI_MODE_GENERIC,
      [c.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [c.BROTLI_PARAM_LGWIN]: c.BROTLI_DEFAULT_WINDOW,
      [c.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
    },
  });
}

/** Decompresses a body that must come out at exactly `size` bytes, never inflating past them. */
export async function decompress(data: Uint8Array, compression: Compression, size: number): Promise<Uint8Array> {
  let body: Uint8Array;
  if (compression === 'none') body = data;
  else {
    // A small forged blob cannot expand into gigabytes: the header's size bounds the output.
    const options = { maxOutputLength: Math.max(1, Math.min(size, kMaxLength)) };
    try {
      body = compression === 'gzip' ? await gunzip(data, options) : await brotliDecompress(data, options);
    } catch (error) {
      throw new Malformed(
        `${compression} data that does not decompress to ${size} bytes (${(error as Error).message})`,
      );
    }
  }
  if (body.byteLength !== size)
    throw new Malformed(`a body of ${body.byteLength} bytes where the header promises ${size}`);
  return body;
}
