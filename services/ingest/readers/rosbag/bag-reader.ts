import { SourceError } from '../../errors.js';
import type { QuarantineReason } from '../../schema/vocab.js';
import { ByteWindow } from '../track/byte-window.js';
import { CorruptBlock, decompressBlock, knownCompression, OversizeBlock } from '../track/decompress.js';

/** `#ROSBAG V2.0\n`: the only bag version ROS 1 has written since 2010. */
export const BAG_MAGIC = '#ROSBAG V2.0\n';

/** Record op codes of the bag v2.0 format. */
export const BAG_OP = {
  MESSAGE: 0x02,
  BAG_HEADER: 0x03,
  INDEX: 0x04,
  CHUNK: 0x05,
  CHUNK_INFO: 0x06,
  CONNECTION: 0x07,
} as const;

/** No sane bag has records (or chunks) this big: a length above it means the bytes are not a record. */
const MAX_RECORD_BYTES = 1 << 30;
const MAX_HEADER_BYTES = 1 << 20;

export interface BagConnection {
  readonly id: number;
  readonly topic: string;
  /** ROS 1 type, `pkg/Type`. */
  readonly type: string;
  readonly md5sum: string;
  /** Full message definition text, dependencies after `MSG:` separators. */
  readonly definition: string;
  readonly latching: boolean;
}

export interface BagMessage {
  readonly kind: 'message';
  readonly connection: BagConnection;
  /** Record time (when `rosbag record` received it), epoch ns. */
  readonly timeNs: number;
  readonly data: Uint8Array;
  /** File offset of the record, or of its compressed chunk. */
  readonly byteOffset: number;
  readonly index: number;
}

export interface BagDefect {
  readonly kind: 'defect';
  readonly reason: QuarantineReason;
  readonly detail: string;
  readonly byteOffset: number;
  readonly raw: string;
  readonly index: number;
}

export type BagItem = BagMessage | BagDefect;

type Fields = Map<string, Buffer>;

/** Parses `len name=value` header fields. Returns null when the lengths do not add up. */
function parseFields(buf: Buffer): Fields | null {
  const out: Fields = new Map();
  let at = 0;
  while (at < buf.length) {
    if (at + 4 > buf.length) return null;
    const n = buf.readUInt32LE(at);
    at += 4;
    if (n > buf.length - at) return null;
    const field = buf.subarray(at, at + n);
    const eq = field.indexOf(0x3d);
    if (eq < 0) return null;
    out.set(field.toString('latin1', 0, eq), field.subarray(eq + 1));
    at += n;
  }
  return out;
}

function u32(f: Fields, name: string): number | null {
  const b = f.get(name);
  return b && b.length >= 4 ? b.readUInt32LE(0) : null;
}

function timeNs(f: Fields, name: string): number | null {
  const b = f.get(name);
  return b && b.length >= 8 ? b.readUInt32LE(0) * 1e9 + b.readUInt32LE(4) : null;
}

function text(f: Fields, name: string): string | null {
  const b = f.get(name);
  return b ? b.toString('utf8') : null;
}

/**
 * A synchronous, streaming reader of ROS1 bag v2.0 files. It walks the records front to back (bag header,
 * chunks with their index records, then the index section), decompressing each chunk (none, bz2, lz4) and
 * yielding its messages in record order; connections are taken from the records inside the chunks, where
 * `rosbag record` writes each before its first message, and from the index section. Memory: one chunk.
 *
 * Damage is reported, not thrown, once the file has proven to be a bag: a chunk that does not decompress or
 * whose records do not parse yields one defect (its messages are lost), a file cut off mid-record yields a
 * truncated defect and ends the read. A file that is not a bag at all throws SourceError.
 */
export class BagReader {
  readonly size: number;
  readonly chunkCount: number | null;
  readonly connectionCount: number | null;
  private readonly file: string;
  private readonly window: ByteWindow;
  private readonly connections = new Map<number, BagConnection>();
  private pos: number;
  /** Decompressed records of the current chunk. */
  private chunk: Buffer | null = null;
  private chunkPos = 0;
  private chunkOffset = 0;
  /** File offset of the chunk data when it is stored uncompressed: message offsets are then exact. */
  private chunkDataOffset: number | null = null;
  private index = 0;
  private ended = false;
  private readonly indexPos: number;

  constructor(path: string, file: string) {
    this.file = file;
    this.window = new ByteWindow(path);
    this.size = this.window.size;
    const magic = this.window.viewUpTo(0, BAG_MAGIC.length).toString('latin1');
    if (magic !== BAG_MAGIC) {
      this.window.close();
      const v = /^#ROSBAG V(\d+\.\d+)/u.exec(magic);
      throw new SourceError(
        file,
        { byteOffset: 0 },
        v ? `ROS bag version ${v[1]} is not supported (only V2.0)` : 'no `#ROSBAG V2.0` magic: not a ROS1 bag',
      );
    }
    this.pos = BAG_MAGIC.length;
    const first = this.readRecord();
    if (first === null || typeof first === 'string' || first.op !== BAG_OP.BAG_HEADER) {
      this.window.close();
      throw new SourceError(
        file,
        { byteOffset: BAG_MAGIC.length },
        'ROS bag has no readable bag header record after the magic (file cut off or not a bag)',
      );
    }
    this.chunkCount = u32(first.fields, 'chunk_count');
    this.connectionCount = u32(first.fields, 'conn_count');
    const ip = first.fields.get('index_pos');
    this.indexPos = ip && ip.length >= 8 ? Number(ip.readBigUInt64LE(0)) : 0;
  }

  /**
   * Connections listed in the index section at the end of the file, read without moving the stream; null when
   * the bag has no index (recording cut off before `rosbag record` closed it) or the index is damaged.
   */
  indexedConnections(): BagConnection[] | null {
    if (this.indexPos <= BAG_MAGIC.length || this.indexPos >= this.size) return null;
    const out: BagConnection[] = [];
    let at = this.indexPos;
    while (at < this.size) {
      const head = this.window.view(at, 4);
      if (!head) return null;
      const headerLen = head.readUInt32LE(0);
      if (headerLen > MAX_HEADER_BYTES) return null;
      const header = this.window.view(at + 4, headerLen + 4);
      if (!header) return null;
      const fields = parseFields(header.subarray(0, headerLen));
      const dataLen = header.readUInt32LE(headerLen);
      if (!fields || at + 8 + headerLen + dataLen > this.size) return null;
      const op = fields.get('op')?.[0];
      if (op === BAG_OP.CONNECTION) {
        const data = this.window.view(at + 8 + headerLen, dataLen);
        const c = data ? parseFields(Buffer.from(data)) : null;
        const id = u32(fields, 'conn');
        if (c && id !== null) {
          const conn = connectionOf(id, fields, c);
          out.push(conn);
          // Messages may reach a connection the index lists before its record inside a chunk.
          if (!this.connections.has(id)) this.connections.set(id, conn);
        }
      } else if (op !== BAG_OP.CHUNK_INFO) {
        return null;
      }
      at += 8 + headerLen + dataLen;
    }
    return out;
  }

  /** Connections seen so far. */
  get knownConnections(): ReadonlyMap<number, BagConnection> {
    return this.connections;
  }

  /** Progress: the end of the last top-level record read. */
  get bytesRead(): number {
    return this.ended ? this.size : this.pos;
  }

  /** The next message or defect, or null at the end. */
  next(): BagItem | null {
    for (;;) {
      if (this.chunk) {
        const item = this.nextInChunk();
        if (item) return item;
        continue;
      }
      if (this.ended) return null;
      const start = this.pos;
      const rec = this.readRecord();
      if (rec === null) {
        this.ended = true;
        return null;
      }
      if (rec === 'truncated') {
        this.ended = true;
        return this.defect(
          'truncated_row',
          `file ends inside the record at byte ${start} (${this.size - start} bytes left): the bag was cut off, the rest is lost`,
          start,
          this.window.viewUpTo(start, 64),
        );
      }
      if (rec === 'garbage') {
        this.ended = true;
        return this.defect(
          'malformed_row',
          `bytes at ${start} are not a bag record (bad lengths): the rest of the file is skipped`,
          start,
          this.window.viewUpTo(start, 64),
        );
      }
      switch (rec.op) {
        case BAG_OP.CHUNK: {
          const compression = text(rec.fields, 'compression') ?? 'none';
          const size = u32(rec.fields, 'size');
          const data = rec.data();
          if (size === null)
            return this.defect(
              'malformed_row',
              `chunk at byte ${start} has no size field`,
              start,
              data.subarray(0, 64),
            );
          if (!knownCompression(compression)) {
            return this.defect(
              'corrupt_chunk',
              `chunk at byte ${start} uses compression ${JSON.stringify(compression)}, which avlog does not read (none, bz2, lz4): its messages are skipped`,
              start,
              data.subarray(0, 64),
            );
          }
          try {
            const out = decompressBlock(compression, data, size);
            this.chunk = Buffer.from(out.buffer, out.byteOffset, out.length);
            if (out === data) this.chunk = Buffer.from(data); // the window's bytes are reused: keep a copy
          } catch (e) {
            if (!(e instanceof CorruptBlock)) throw e;
            return this.defect(
              e instanceof OversizeBlock ? 'oversize_record' : 'corrupt_chunk',
              `${compression} chunk at byte ${start}: ${e.message}; its messages are lost`,
              start,
              data.subarray(0, 64),
            );
          }
          this.chunkPos = 0;
          this.chunkOffset = start;
          this.chunkDataOffset = compression === 'none' || compression === '' ? rec.dataOffset : null;
          continue;
        }
        case BAG_OP.CONNECTION:
          this.addConnection(rec.fields, rec.data());
          continue;
        case BAG_OP.MESSAGE: {
          const msg = this.message(rec.fields, Buffer.from(rec.data()), start);
          if (msg) return msg;
          continue;
        }
        default:
          // bag header, index data and chunk info records carry nothing a reader needs.
          continue;
      }
    }
  }

  private nextInChunk(): BagItem | null {
    const chunk = this.chunk as Buffer;
    while (this.chunkPos < chunk.length) {
      const at = this.chunkPos;
      const parsed = parseRecordAt(chunk, at);
      if (parsed === null) {
        this.chunk = null;
        return this.defect(
          'corrupt_chunk',
          `chunk at byte ${this.chunkOffset}: record at ${at} of its ${chunk.length} decompressed bytes does not parse; the rest of the chunk is lost`,
          this.chunkOffset,
          chunk.subarray(at, at + 64),
        );
      }
      this.chunkPos = parsed.end;
      const offset = this.chunkDataOffset === null ? this.chunkOffset : this.chunkDataOffset + at;
      if (parsed.op === BAG_OP.CONNECTION) {
        this.addConnection(parsed.fields, chunk.subarray(parsed.dataStart, parsed.end));
      } else if (parsed.op === BAG_OP.MESSAGE) {
        const msg = this.message(parsed.fields, chunk.subarray(parsed.dataStart, parsed.end), offset);
        if (msg) return msg;
      }
    }
    this.chunk = null;
    return null;
  }

  private message(fields: Fields, data: Uint8Array, byteOffset: number): BagItem | null {
    const connId = u32(fields, 'conn');
    const t = timeNs(fields, 'time');
    const index = this.index++;
    const connection = connId === null ? undefined : this.connections.get(connId);
    if (connection === undefined || t === null) {
      return {
        kind: 'defect',
        reason: 'malformed_row',
        detail:
          connId === null || t === null
            ? 'message record without conn or time field'
            : `message on connection ${connId}, which no connection record defines`,
        byteOffset,
        raw: hexPreview(data),
        index,
      };
    }
    return { kind: 'message', connection, timeNs: t, data, byteOffset, index };
  }

  private addConnection(fields: Fields, data: Buffer): void {
    const id = u32(fields, 'conn');
    if (id === null || this.connections.has(id)) return;
    const c = parseFields(data);
    if (!c) return;
    this.connections.set(id, connectionOf(id, fields, c));
  }

  private defect(reason: QuarantineReason, detail: string, byteOffset: number, bytes: Uint8Array): BagDefect {
    return { kind: 'defect', reason, detail, byteOffset, raw: hexPreview(bytes), index: this.index++ };
  }

  /**
   * Reads the top-level record at `pos` and moves past it. null at a clean end of file; 'truncated' when the
   * file ends inside it; 'garbage' when its lengths cannot be a record.
   */
  private readRecord():
    { op: number; fields: Fields; data: () => Buffer; dataOffset: number } | null | 'truncated' | 'garbage' {
    const start = this.pos;
    if (start >= this.size) return null;
    const hl = this.window.view(start, 4);
    if (!hl) return 'truncated';
    const headerLen = hl.readUInt32LE(0);
    if (headerLen > MAX_HEADER_BYTES) return 'garbage';
    const header = this.window.view(start + 4, headerLen + 4);
    if (!header) return 'truncated';
    const fields = parseFields(header.subarray(0, headerLen));
    const dataLen = header.readUInt32LE(headerLen);
    if (!fields || dataLen > MAX_RECORD_BYTES) return 'garbage';
    const op = fields.get('op')?.[0];
    if (op === undefined) return 'garbage';
    const dataOffset = start + 8 + headerLen;
    if (dataOffset + dataLen > this.size) return 'truncated';
    this.pos = dataOffset + dataLen;
    const window = this.window;
    return { op, fields, data: () => window.view(dataOffset, dataLen) as Buffer, dataOffset };
  }

  close(): void {
    this.window.close();
  }
}

function connectionOf(id: number, fields: Fields, c: Fields): BagConnection {
  return {
    id,
    topic: text(fields, 'topic') ?? text(c, 'topic') ?? '',
    type: text(c, 'type') ?? '',
    md5sum: text(c, 'md5sum') ?? '',
    definition: text(c, 'message_definition') ?? '',
    latching: text(c, 'latching') === '1',
  };
}

function parseRecordAt(buf: Buffer, at: number): { op: number; fields: Fields; dataStart: number; end: number } | null {
  if (at + 4 > buf.length) return null;
  const headerLen = buf.readUInt32LE(at);
  if (headerLen > buf.length - at - 8) return null;
  const fields = parseFields(buf.subarray(at + 4, at + 4 + headerLen));
  const dataLen = buf.readUInt32LE(at + 4 + headerLen);
  const dataStart = at + 8 + headerLen;
  if (!fields || dataLen > buf.length - dataStart) return null;
  const op = fields.get('op')?.[0];
  if (op === undefined) return null;
  return { op, fields, dataStart, end: dataStart + dataLen };
}

function hexPreview(bytes: Uint8Array): string {
  const n = Math.min(bytes.length, 64);
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('hex');
  return bytes.length > n ? `${hex}… (${bytes.length} bytes)` : hex;
}
