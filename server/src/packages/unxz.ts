import { ReadableStream } from 'node:stream/web';
import { XzReadableStream } from 'xz-decompress';

/** Decompresses xz `body` as a stream, handing the decompressed chunks to `take` in order (see `streamText`). */
export async function unxzInto(body: Buffer, take: (chunk: Uint8Array) => void): Promise<void> {
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      // Fed in slices so the decoder's buffers stay small.
      for (let i = 0; i < body.length; i += 1 << 20) controller.enqueue(body.subarray(i, i + (1 << 20)));
      controller.close();
    },
  });
  const reader = new XzReadableStream(input).getReader();
  try {
    for (;;) {
      let next: { done: boolean; value?: Uint8Array };
      try {
        next = await reader.read();
      } catch (error) {
        throw new Error(`corrupt xz data: ${(error as Error).message ?? String(error)}`, { cause: error });
      }
      if (next.done) return;
      if (next.value) take(next.value);
    }
  } finally {
    reader.releaseLock();
  }
}
