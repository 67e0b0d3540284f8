import { ProviderError } from '../registry/errors/index.js';
import type { StateCodec } from '../codec/state-codec.js';
import type { StateSettings } from './platform-config.js';

// Imported by name on first use: a command that stores no state never loads the CBOR library.
const CODECS: Readonly<Record<StateSettings['codec'], { module: string; export: string }>> = {
  cbor: { module: '../codec/cbor-state-codec.js', export: 'CborStateCodec' },
};

type CodecClass = new (options: { compression?: StateSettings['compression'] }) => StateCodec;

export async function loadCodec(state: StateSettings): Promise<StateCodec> {
  const where = CODECS[state.codec];
  let cls: unknown;
  try {
    cls = ((await import(where.module)) as Record<string, unknown>)[where.export];
  } catch (error) {
    throw new ProviderError(
      { provider: `${state.codec} codec`, operation: 'load', detail: `cannot load ${where.module}` },
      'statekeep is installed incompletely; reinstall it (npm ci)',
      { cause: error },
    );
  }
  if (typeof cls !== 'function') {
    throw new ProviderError(
      {
        provider: `${state.codec} codec`,
        operation: 'load',
        detail: `${where.module} does not export ${where.export}`,
      },
      'reinstall statekeep',
    );
  }
  return new (cls as CodecClass)({ compression: state.compression });
}
