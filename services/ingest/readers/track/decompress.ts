import { decompress as zstdDecompress } from 'fzstd';
import * as lz4 from 'lz4js';
import bunzip from 'seek-bzip';

/** Compressions the binary readers decode, all synchronously: MCAP chunks (lz4, zstd), ROS bag chunks (bz2, lz4). */
export const COMPRESSIONS = ['', 'none', 'lz4', 'zstd', 'bz2'] as const;

/** A compressed block (MCAP chunk, bag chunk) that does not decode to its declared size. */
export class CorruptBlock extends Error {
  override readonly name = 'CorruptBlock';
}

const LZ4_FRAME_MAGIC = 0x184d2204;

/**
 * Decompresses one block to exactly `size` bytes. `lz4` is the LZ4 *frame* format (what MCAP and roslz4 write);
 * `bz2` a bzip2 stream (its block and stream CRCs are checked); `zstd` one or more zstd frames.
 * Throws CorruptBlock when the data does not decode or decodes to another size.
 */
export function decompressBlock(compression: string, data: Uint8Array, size: number): Uint8Array {
  let out: Uint8Array;
  try {
    switch (compression) {
      case '':
      case 'none':
        out = data;
        break;
      case 'lz4': {
        if (data.length < 7 || new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true) !== LZ4_FRAME_MAGIC) {
          throw new Error('no LZ4 frame magic (raw LZ4 blocks are not a format MCAP or ROS writes)');
        }
        // lz4js writes through its output without bounds checks: give it room to overrun, then check the size.
        const buf = new Uint8Array(size + 16);
        out = lz4.decompress(data, buf.length);
        break;
      }
      case 'zstd':
        // fzstd is an order of magnitude slower when handed the output buffer: let it allocate.
        out = zstdDecompress(data);
        break;
      case 'bz2':
        out = bunzip.decode(data, size);
        break;
      default:
        throw new CorruptBlock(`unsupported compression ${JSON.stringify(compression)}`);
    }
  } catch (e) {
    if (e instanceof CorruptBlock) throw e;
    throw new CorruptBlock(`${compression} data does not decode: ${(e as Error).message}`, { cause: e });
  }
  if (out.length !== size)
    throw new CorruptBlock(`${compression} data decodes to ${out.length} bytes, the header says ${size}`);
  return out;
}

/** True when `decompressBlock` knows the compression. */
export function knownCompression(compression: string): boolean {
  return (COMPRESSIONS as readonly string[]).includes(compression);
}
