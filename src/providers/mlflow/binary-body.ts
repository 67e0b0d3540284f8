const CARRIED = Symbol('statekeep.mlflow.carriedBytes');

type Carrier = ReadableStream<Uint8Array> & { [CARRIED]?: Uint8Array };

/**
 * The body serializer of artifact uploads: a stream of the bytes that also carries them. Any
 * fetch can read it as an ordinary body; the transport takes the bytes straight off it, since a
 * Request built from a Uint8Array copies it, and reading it back copies it again: for 16 MiB
 * states those copies cost more than the upload's own bookkeeping.
 */
export function binaryBody(bytes: Uint8Array): ReadableStream<Uint8Array> {
  const stream: Carrier = chunkStream([bytes]);
  Object.defineProperty(stream, CARRIED, { value: bytes });
  return stream;
}

/** The bytes a body made by binaryBody carries, or null for any other body. */
export function carriedBytes(body: ReadableStream<Uint8Array> | null): Uint8Array | null {
  return (body as Carrier | null)?.[CARRIED] ?? null;
}

/** A body made of chunks already received, so that reading it concatenates them once. */
export function chunkStream(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}
