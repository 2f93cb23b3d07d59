import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decompressBlock, OversizeBlock } from '../../../services/ingest/readers/track/decompress.js';
import { bzip2Compress } from '../../../seeds/writers/codecs/bzip2.js';
import { zstdCompress } from '../../../seeds/writers/codecs/zstd.js';
import { writeMcap } from '../../../seeds/writers/mcap.js';
import { tempDir } from '../../helpers/lake.js';
import { ingestOne, syntheticDrive } from './fixtures.js';

/**
 * A zstd frame with no content size and `blocks` RLE blocks of 2 MiB - 1 each: 4 bytes per block in, 2 MiB out
 * (1000 blocks: 4 KB that inflate to 2 GiB).
 */
function zstdBomb(blocks: number): Uint8Array {
  const head = [0x28, 0xb5, 0x2f, 0xfd, 0x00, 0x58]; // magic; FHD: no content size; window 8 MiB
  const out = [...head];
  const size = (1 << 21) - 1;
  for (let i = 0; i < blocks; i++) {
    const header = (size << 3) | (1 << 1) | (i === blocks - 1 ? 1 : 0); // RLE block
    out.push(header & 0xff, (header >> 8) & 0xff, (header >> 16) & 0xff, 0x41);
  }
  return Uint8Array.from(out);
}

/** An MCAP chunk record (opcode 6) around `records` compressed with `compression`, declaring `size` bytes. */
function chunkRecord(compression: string, records: Uint8Array, size: bigint): Buffer {
  const name = Buffer.from(compression);
  const content = Buffer.alloc(8 + 8 + 8 + 4 + 4 + name.length + 8 + records.length);
  let at = 16;
  at = content.writeBigUInt64LE(size, at);
  at = content.writeUInt32LE(0, at);
  at = content.writeUInt32LE(name.length, at);
  at += name.copy(content, at);
  at = content.writeBigUInt64LE(BigInt(records.length), at);
  Buffer.from(records).copy(content, at);
  const head = Buffer.alloc(9);
  head.writeUInt8(0x06, 0);
  head.writeBigUInt64LE(BigInt(content.length), 1);
  return Buffer.concat([head, content]);
}

/** Byte ranges of the chunk records of an MCAP file, walking its records from the magic on. */
function chunkRanges(bytes: Buffer): [number, number][] {
  const out: [number, number][] = [];
  for (let at = 8; at + 9 <= bytes.length - 8;) {
    const op = bytes.readUInt8(at);
    const end = at + 9 + Number(bytes.readBigUInt64LE(at + 1));
    if (op === 0x06) out.push([at, end]);
    if (op === 0x02) break; // footer
    at = end;
  }
  return out;
}

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('avlog-bomb-')));
afterAll(() => cleanup());

describe('decompression ceiling', () => {
  it('refuses a zstd bomb before inflating it, whatever size the chunk declares', () => {
    const bomb = zstdBomb(1000);
    expect(bomb.length).toBeLessThan(5000);
    expect(() => decompressBlock('zstd', bomb, 3.8 * 1024 ** 3)).toThrow(OversizeBlock);
    expect(() => decompressBlock('zstd', bomb, 1000)).toThrow(/may inflate to 2000\.0 MiB, more than the 256\.0 MiB/u);
  });

  it('refuses a bz2 or lz4 block that declares more than the ceiling, and keeps honest blocks', () => {
    const data = new Uint8Array(10_000).fill(7);
    expect(() => decompressBlock('bz2', bzip2Compress(data), 300 * 1024 * 1024)).toThrow(OversizeBlock);
    expect(() => decompressBlock('lz4', Uint8Array.of(4, 34, 77, 24, 0, 0, 0), 2 ** 32)).toThrow(OversizeBlock);
    expect(decompressBlock('zstd', zstdCompress(data), data.length)).toEqual(data);
    expect(Buffer.from(decompressBlock('bz2', bzip2Compress(data), data.length)).equals(Buffer.from(data))).toBe(true);
  });

  it('honours AVLOG_MAX_RECORD_MB (--max-record-mb)', () => {
    const data = new Uint8Array(3 * 1024 * 1024);
    process.env.AVLOG_MAX_RECORD_MB = '2';
    try {
      expect(() => decompressBlock('zstd', zstdCompress(data), data.length)).toThrow(/2\.0 MiB ceiling/u);
    } finally {
      delete process.env.AVLOG_MAX_RECORD_MB;
    }
  });

  it('quarantines an MCAP bomb chunk at its offset as oversize_record; the rest of the file is stored', async () => {
    const drive = syntheticDrive(200);
    const f = path.join(dir, 'bomb.mcap');
    writeMcap(f, drive.trace, drive.meta, { compression: 'zstd', chunkSize: 16 * 1024, summary: false });
    const bytes = fs.readFileSync(f);
    const [start, end] = chunkRanges(bytes)[1] ?? [0, 0];
    expect(end).toBeGreaterThan(start);
    const bomb = chunkRecord('zstd', zstdBomb(1900), 3_800_000_000n);
    fs.writeFileSync(f, Buffer.concat([bytes.subarray(0, start), bomb, bytes.subarray(end)]));
    const before = process.memoryUsage().rss;
    const { summary, quarantine, rows } = await ingestOne(f, path.join(dir, 'data'));
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
    expect(summary.status).toBe('ingested');
    expect(quarantine).toHaveLength(1);
    expect(quarantine[0]).toMatchObject({ reason: 'oversize_record', byte_offset: String(start) });
    expect(rows.length).toBeGreaterThan(100);
    expect(summary.rows_in).toBe(summary.rows_stored + summary.rows_quarantined);
  });
});
