/** What a zstd stream's headers say about its output, read without inflating anything. */
export interface ZstdBounds {
  /** Sum of the frames' declared content sizes; null when a frame declares none. */
  declared: number | null;
  /** Most the frames can produce: declared sizes, else raw + RLE block sizes + 128 KiB per compressed block. */
  upperBound: number;
  /** Largest window a frame asks the decoder to allocate. */
  window: number;
}

const MAGIC = 0xfd2fb528;
/** A compressed block never regenerates more than this (zstd format, Block_Maximum_Size). */
const MAX_BLOCK = 128 * 1024;

/**
 * Walks a zstd stream's frame and block headers (RFC 8878 §3.1) to bound what it inflates to, so a small input
 * that would inflate to gigabytes is refused before a byte is inflated. Throws a plain Error on a header that
 * does not parse (the caller reports the block as corrupt).
 */
export function zstdBounds(data: Uint8Array): ZstdBounds {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  let declared: number | null = 0;
  let upperBound = 0;
  let window = 0;
  const need = (n: number): void => {
    if (at + n > data.length) throw new Error(`zstd header cut off at byte ${at}`);
  };
  while (at < data.length) {
    need(4);
    const magic = view.getUint32(at, true);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      // Skippable frame: a length and that many bytes.
      need(8);
      at += 8 + view.getUint32(at + 4, true);
      continue;
    }
    if (magic !== MAGIC) throw new Error(`no zstd frame magic at byte ${at}`);
    need(6);
    const fhd = data[at + 4] ?? 0;
    const singleSegment = (fhd >> 5) & 1;
    const checksum = (fhd >> 2) & 1;
    const dictBytes = [0, 1, 2, 4][fhd & 3] ?? 0;
    const fcf = fhd >> 6;
    const fcsBytes = fcf === 0 ? singleSegment : 1 << fcf;
    at += 5;
    let frameWindow = 0;
    if (!singleSegment) {
      const wd = data[at] ?? 0;
      const base = 2 ** (10 + (wd >> 3));
      frameWindow = base + (base / 8) * (wd & 7);
      at += 1;
    }
    need(dictBytes + fcsBytes);
    at += dictBytes;
    let contentSize: number | null = null;
    if (fcsBytes > 0) {
      contentSize = 0;
      for (let i = 0; i < fcsBytes; i++) contentSize += (data[at + i] ?? 0) * 2 ** (8 * i);
      if (fcsBytes === 2) contentSize += 256;
      at += fcsBytes;
    }
    if (singleSegment) frameWindow = contentSize ?? 0;
    window = Math.max(window, frameWindow);
    let blocksBound = 0;
    for (let last = 0; !last;) {
      need(3);
      const header = (data[at] ?? 0) | ((data[at + 1] ?? 0) << 8) | ((data[at + 2] ?? 0) << 16);
      last = header & 1;
      const type = (header >> 1) & 3;
      const size = header >> 3;
      at += 3;
      if (type === 3) throw new Error(`reserved zstd block type at byte ${at - 3}`);
      blocksBound += type === 2 ? MAX_BLOCK : size;
      at += type === 1 ? 1 : size;
    }
    at += checksum ? 4 : 0;
    if (at > data.length) throw new Error('zstd frame cut off');
    declared = declared === null || contentSize === null ? null : declared + contentSize;
    upperBound += contentSize ?? blocksBound;
  }
  return { declared, upperBound, window };
}
