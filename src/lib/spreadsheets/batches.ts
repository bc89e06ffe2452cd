import type { Readable } from "node:stream";

/**
 * Reads an object-mode stream in arrays of `size`, awaiting only when the stream is empty: one
 * await per batch instead of one per row (async iteration costs ~1 µs a row at a million rows).
 * Memory stays bounded by the stream's own buffer plus one batch. Closing the generator early
 * destroys the stream.
 */
export async function* readBatches<T>(stream: Readable, size: number): AsyncGenerator<T[]> {
  let batch: T[] = [];
  let ended = false;
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const notify = () => {
    const resolve = wake;
    wake = null;
    resolve?.();
  };
  stream.on("readable", notify);
  stream.once("end", () => {
    ended = true;
    notify();
  });
  stream.once("error", (error) => {
    failure = error;
    notify();
  });
  try {
    for (;;) {
      let item: T | null;
      while ((item = stream.read() as T | null) !== null) {
        batch.push(item);
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (failure) throw failure;
      if (ended) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (failure) throw failure;
    if (batch.length > 0) yield batch;
  } finally {
    stream.off("readable", notify);
    if (!stream.destroyed) stream.destroy();
  }
}
