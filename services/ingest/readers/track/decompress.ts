import { decompress as zstdDecompress } from 'fzstd';
import * as lz4 from 'lz4js';
import bunzip from 'seek-bzip';
import { zstdBounds } from './zstd-bounds.js';

/** Compressions the binary readers decode, all synchronously: MCAP chunks (lz4, zstd), ROS bag chunks (bz2, lz4). */
export const COMPRESSIONS = ['', 'none', 'lz4', 'zstd', 'bz2'] as const;

/** A compressed block (MCAP chunk, bag chunk) that does not decode to its declared size. */
export class CorruptBlock extends Error {
  override readonly name: string = 'CorruptBlock';
}

/** A block that declares (or whose headers imply) more bytes than the ceiling: refused before inflating. */
export class OversizeBlock extends CorruptBlock {
  override readonly name = 'OversizeBlock';
}

const LZ4_FRAME_MAGIC = 0x184d2204;

/** Default of `--max-record-mb`: the most one block (MCAP chunk, bag chunk) may inflate to. */
export const DEFAULT_MAX_RECORD_MB = 256;

/**
 * The ceiling in bytes: `AVLOG_MAX_RECORD_MB` (set by `--max-record-mb`; an environment variable because the
 * readers also run in worker threads, which share the environment), else DEFAULT_MAX_RECORD_MB.
 */
export function maxRecordBytes(): number {
  const mb = Number(process.env.AVLOG_MAX_RECORD_MB ?? DEFAULT_MAX_RECORD_MB);
  return (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_MAX_RECORD_MB) * 1024 * 1024;
}

/** Throws OversizeBlock when a block would inflate past the ceiling, before any of it is inflated. */
function checkCeiling(compression: string, data: Uint8Array, size: number): void {
  const ceiling = maxRecordBytes();
  const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  if (size > ceiling) {
    throw new OversizeBlock(
      `declares ${mb(size)} uncompressed, more than the ${mb(ceiling)} ceiling (--max-record-mb)`,
    );
  }
  if (compression !== 'zstd') return;
  let bounds;
  try {
    bounds = zstdBounds(data);
  } catch (e) {
    throw new CorruptBlock(`zstd data does not decode: ${(e as Error).message}`, { cause: e });
  }
  if (bounds.declared !== null && bounds.declared !== size)
    throw new CorruptBlock(`zstd frames declare ${bounds.declared} bytes, the header says ${size}`);
  if (bounds.upperBound > ceiling || bounds.window > ceiling) {
    throw new OversizeBlock(
      `zstd frames may inflate to ${mb(Math.max(bounds.upperBound, bounds.window))}, more than the ${mb(ceiling)} ceiling (--max-record-mb)`,
    );
  }
}

/**
 * Decompresses one block to exactly `size` bytes. `lz4` is the LZ4 *frame* format (what MCAP and roslz4 write);
 * `bz2` a bzip2 stream (its block and stream CRCs are checked); `zstd` one or more zstd frames.
 * Throws CorruptBlock when the data does not decode or decodes to another size, OversizeBlock (before inflating)
 * when it would inflate past `maxRecordBytes()`: every decoder's output is bounded by the declared size.
 */
export function decompressBlock(compression: string, data: Uint8Array, size: number): Uint8Array {
  checkCeiling(compression, data, size);
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
