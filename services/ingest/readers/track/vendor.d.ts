/** Types for the two untyped decompressors the binary readers use (both synchronous, pure JavaScript). */

declare module 'lz4js' {
  /** Decompresses one LZ4 *frame* (magic 0x184D2204); `maxSize` bounds the output. */
  export function decompress(src: Uint8Array, maxSize?: number): Uint8Array;
  /** Compresses to one LZ4 frame (linked 4 MiB blocks, no content checksum). */
  export function compress(src: Uint8Array, maxSize?: number): Uint8Array;
}

declare module 'seek-bzip' {
  interface Bunzip {
    /** Decodes a whole bzip2 stream; `output` is the expected size (or a buffer to fill). Throws on a CRC or data error. */
    decode(input: Uint8Array, output?: number | Uint8Array, multistream?: boolean): Buffer;
  }
  const bunzip: Bunzip;
  export default bunzip;
}
