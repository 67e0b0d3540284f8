// State codec throughput against v8.serialize/v8.deserialize, measured in the same run on the
// same states: a 64 MiB Float64Array and an object with 100k entries. A ratio is
// (CborStateCodec encode+decode) / (v8 serialize+deserialize); below 1 means faster than v8.
import v8 from 'node:v8';
import { CborStateCodec } from '../dist/codec/cbor-state-codec.js';
import { median, round, time } from './report.js';

export const name = 'codec';
export const targets = { 'codec.typed_ratio': ['<=', 1.5] };

const RUNS = 7;
const META = { actor: 'bench', stateVersion: 1 };

function typedState() {
  const values = new Float64Array((64 * 2 ** 20) / Float64Array.BYTES_PER_ELEMENT);
  let seed = 1;
  for (let i = 0; i < values.length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    values[i] = seed / 2 ** 31 - 0.5;
  }
  return values;
}

// A fitted vocabulary: term -> weight, the shape of a text vectoriser's state.
function objectState() {
  const vocabulary = {};
  for (let i = 0; i < 100_000; i++) vocabulary[`term_${i}`] = i % 4 === 0 ? i : i / 7;
  return vocabulary;
}

/** Alternates the two contenders run by run, so load on a shared machine hits both alike. */
async function compare(state) {
  const codec = new CborStateCodec();
  let blob;
  const ours = { encode: [], decode: [], total: [] };
  const theirs = { encode: [], decode: [], total: [] };
  let serialized;
  for (let run = -1; run < RUNS; run++) {
    const v8Encode = await time(() => (serialized = v8.serialize(state)));
    const v8Decode = await time(() => v8.deserialize(serialized));
    const encode = await time(async () => (blob = await codec.encode(state, META)));
    const decode = await time(() => codec.decode(blob, META));
    if (run < 0) continue; // warm-up
    theirs.encode.push(v8Encode);
    theirs.decode.push(v8Decode);
    theirs.total.push(v8Encode + v8Decode);
    ours.encode.push(encode);
    ours.decode.push(decode);
    ours.total.push(encode + decode);
  }
  const ms = (values) => round(median(values), 1);
  return {
    ms: ms(ours.total),
    v8Ms: ms(theirs.total),
    encodeMs: ms(ours.encode),
    decodeMs: ms(ours.decode),
    v8EncodeMs: ms(theirs.encode),
    v8DecodeMs: ms(theirs.decode),
    ratio: round(median(ours.total) / median(theirs.total), 2),
    bytes: blob.byteLength,
    v8Bytes: serialized.byteLength,
  };
}

export async function run() {
  const figures = {};
  for (const [kind, make] of [
    ['typed', typedState],
    ['object', objectState],
  ]) {
    const r = await compare(make());
    Object.assign(figures, {
      [`codec.${kind}_ratio`]: r.ratio,
      [`codec.${kind}_ms`]: r.ms,
      [`codec.${kind}_v8_ms`]: r.v8Ms,
      [`codec.${kind}_encode_ms`]: r.encodeMs,
      [`codec.${kind}_decode_ms`]: r.decodeMs,
      [`codec.${kind}_v8_serialize_ms`]: r.v8EncodeMs,
      [`codec.${kind}_v8_deserialize_ms`]: r.v8DecodeMs,
      [`codec.${kind}_bytes`]: r.bytes,
      [`codec.${kind}_v8_bytes`]: r.v8Bytes,
    });
  }
  return figures;
}
