// State codec throughput against v8.serialize/v8.deserialize, measured in the same run on the
// same states: a 64 MiB Float64Array and an object with 100k entries. A ratio is
// (CborStateCodec encode+decode) / (v8 serialize+deserialize), run by run; below 1 means faster than v8.
import v8 from 'node:v8';
import vm from 'node:vm';
import { CborStateCodec } from '../dist/codec/cbor-state-codec.js';
import { ratios, time } from './report.js';

export const name = 'codec';
export const targets = { 'codec.typed_ratio': ['<=', 1.2], 'codec.object_ratio': ['<=', 1.2] };

const RUNS = 9;
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

/**
 * Alternates the two contenders run by run, so load on a shared machine hits both alike, and
 * drops each side's output before the other runs.
 */
// A full collection before each contender runs, so neither pays for collecting what the other
// (or its own previous run) left: with 64 MiB outputs, whichever allocates from JavaScript
// first would otherwise trigger, and be charged for, the collection of both. A plain major
// collection: gc() with no options also reduces memory, which throws away optimised
// JavaScript (ours) and leaves C++ (v8's) untouched.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc');
const collect = () => gc({ type: 'major', execution: 'sync' });

function cpuMs(since) {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1000;
}

async function compare(state) {
  const codec = new CborStateCodec();
  const ours = { encode: [], decode: [], total: [], cpu: [] };
  const theirs = { encode: [], decode: [], total: [], cpu: [] };
  let bytes = 0;
  let v8Bytes = 0;
  for (let run = -1; run < RUNS; run++) {
    let serialized = null;
    collect();
    let cpu = process.cpuUsage();
    const v8Encode = await time(() => (serialized = v8.serialize(state)));
    const v8Decode = await time(() => v8.deserialize(serialized));
    const v8Cpu = cpuMs(cpu);
    v8Bytes = serialized.byteLength;
    serialized = null;
    let blob = null;
    collect();
    cpu = process.cpuUsage();
    const encode = await time(async () => (blob = await codec.encode(state, META)));
    const decode = await time(() => codec.decode(blob, META));
    const ourCpu = cpuMs(cpu);
    bytes = blob.byteLength;
    blob = null;
    if (run < 0) continue; // warm-up
    theirs.encode.push(v8Encode);
    theirs.decode.push(v8Decode);
    theirs.total.push(v8Encode + v8Decode);
    ours.encode.push(encode);
    ours.decode.push(decode);
    ours.total.push(encode + decode);
    theirs.cpu.push(v8Cpu);
    ours.cpu.push(ourCpu);
  }
  return { ours, theirs, ratio: ratios(ours.total, theirs.total), bytes, v8Bytes };
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
      // The same, in CPU time (every thread of the process): steadier than wall time when
      // other work shares the cores, since waiting for a core costs no CPU time.
      [`codec.${kind}_cpu_ratio`]: ratios(r.ours.cpu, r.theirs.cpu),
      [`codec.${kind}_ms`]: r.ours.total,
      [`codec.${kind}_v8_ms`]: r.theirs.total,
      [`codec.${kind}_encode_ratio`]: ratios(r.ours.encode, r.theirs.encode),
      [`codec.${kind}_encode_ms`]: r.ours.encode,
      [`codec.${kind}_decode_ms`]: r.ours.decode,
      [`codec.${kind}_v8_serialize_ms`]: r.theirs.encode,
      [`codec.${kind}_v8_deserialize_ms`]: r.theirs.decode,
      [`codec.${kind}_bytes`]: r.bytes,
      [`codec.${kind}_v8_bytes`]: r.v8Bytes,
    });
  }
  return figures;
}
