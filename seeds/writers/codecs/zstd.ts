import { compress, init } from '@bokuweb/zstd-wasm';

// The reference zstd library compiled to WebAssembly: initialised once when this module loads, synchronous after.
await init();

/** Compresses `src` into one zstd frame (level 3, zstd's default), for writing MCAP fixtures with zstd chunks. */
export function zstdCompress(src: Uint8Array): Uint8Array {
  return compress(src, 3);
}
