/**
 * MCAP record layouts (https://mcap.dev/spec), parsed from a byte view without copying message payloads.
 * Integers are little-endian; u64 values are read as doubles (exact below 2^53: offsets, sizes and ns times).
 */

export const MCAP_MAGIC = Uint8Array.from([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a]);

export const OP = {
  HEADER: 0x01,
  FOOTER: 0x02,
  SCHEMA: 0x03,
  CHANNEL: 0x04,
  MESSAGE: 0x05,
  CHUNK: 0x06,
  MESSAGE_INDEX: 0x07,
  CHUNK_INDEX: 0x08,
  ATTACHMENT: 0x09,
  ATTACHMENT_INDEX: 0x0a,
  STATISTICS: 0x0b,
  METADATA: 0x0c,
  METADATA_INDEX: 0x0d,
  SUMMARY_OFFSET: 0x0e,
  DATA_END: 0x0f,
} as const;

/** Footer record with its opcode and length, then the closing magic. */
export const FOOTER_TAIL_BYTES = 1 + 8 + 20 + 8;

export class RecordError extends Error {
  override readonly name = 'RecordError';
}

const utf8 = new TextDecoder('utf-8');

/** A cursor over one record's content. Throws RecordError when a field runs past the record. */
export class Cursor {
  pos: number;
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private need(n: number): void {
    if (this.pos + n > this.end)
      throw new RecordError(`field runs ${this.pos + n - this.end} bytes past the end of its record`);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    return hi * 0x1_0000_0000 + lo;
  }
  string(): string {
    const n = this.u32();
    this.need(n);
    const s = utf8.decode(this.bytes.subarray(this.pos, this.pos + n));
    this.pos += n;
    return s;
  }
  /** A u32-length-prefixed byte array (view, not a copy). */
  bytes32(): Uint8Array {
    const n = this.u32();
    this.need(n);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  /** A u64-length-prefixed byte array (view). */
  bytes64(): Uint8Array {
    const n = this.u64();
    this.need(n);
    const b = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  stringMap(): Map<string, string> {
    const n = this.u32();
    this.need(n);
    const end = this.pos + n;
    const out = new Map<string, string>();
    while (this.pos < end) out.set(this.string(), this.string());
    if (this.pos !== end) throw new RecordError('map entries overrun the map length');
    return out;
  }
  rest(): Uint8Array {
    const b = this.bytes.subarray(this.pos, this.end);
    this.pos = this.end;
    return b;
  }
}

export interface SchemaRecord {
  id: number;
  name: string;
  encoding: string;
  data: Uint8Array;
}

export interface ChannelRecord {
  id: number;
  schemaId: number;
  topic: string;
  messageEncoding: string;
  metadata: Map<string, string>;
}

export interface ChunkRecord {
  startNs: number;
  endNs: number;
  uncompressedSize: number;
  uncompressedCrc: number;
  compression: string;
  records: Uint8Array;
  /** Offset of `records` within the record content view. */
  recordsStart: number;
}

export interface ChunkIndexRecord {
  startNs: number;
  endNs: number;
  chunkStart: number;
  chunkLength: number;
  compression: string;
  compressedSize: number;
  uncompressedSize: number;
  /** Channels with messages in the chunk (from its message index offsets; empty when the writer wrote none). */
  channels: number[];
}

export function parseSchema(c: Cursor): SchemaRecord {
  const id = c.u16();
  const name = c.string();
  const encoding = c.string();
  const data = c.bytes32().slice();
  return { id, name, encoding, data };
}

export function parseChannel(c: Cursor): ChannelRecord {
  const id = c.u16();
  const schemaId = c.u16();
  const topic = c.string();
  const messageEncoding = c.string();
  const metadata = c.stringMap();
  return { id, schemaId, topic, messageEncoding, metadata };
}

export function parseChunk(c: Cursor): ChunkRecord {
  const startNs = c.u64();
  const endNs = c.u64();
  const uncompressedSize = c.u64();
  const uncompressedCrc = c.u32();
  const compression = c.string();
  const n = c.u64();
  const recordsStart = c.pos;
  if (c.pos + n > c.end) throw new RecordError(`chunk data of ${n} bytes runs past the end of its record`);
  const records = c.bytes.subarray(c.pos, c.pos + n);
  c.pos += n;
  return { startNs, endNs, uncompressedSize, uncompressedCrc, compression, records, recordsStart };
}

export function parseChunkIndex(c: Cursor): ChunkIndexRecord {
  const startNs = c.u64();
  const endNs = c.u64();
  const chunkStart = c.u64();
  const chunkLength = c.u64();
  const mapLen = c.u32();
  const mapEnd = c.pos + mapLen;
  if (mapEnd > c.end) throw new RecordError('message index offsets run past the chunk index');
  const channels: number[] = [];
  while (c.pos + 10 <= mapEnd) {
    channels.push(c.u16());
    c.u64();
  }
  c.pos = mapEnd;
  c.u64(); // message index length
  const compression = c.string();
  const compressedSize = c.u64();
  const uncompressedSize = c.u64();
  return { startNs, endNs, chunkStart, chunkLength, compression, compressedSize, uncompressedSize, channels };
}

export function parseMetadata(c: Cursor): { name: string; metadata: Map<string, string> } {
  const name = c.string();
  const metadata = c.stringMap();
  return { name, metadata };
}

/** Reads a record header (opcode, length) at `pos` in `bytes`; null when fewer than 9 bytes remain. */
export function recordHeader(bytes: Uint8Array, pos: number): { op: number; length: number } | null {
  if (pos + 9 > bytes.length) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset + pos, 9);
  const op = view.getUint8(0);
  const length = view.getUint32(5, true) * 0x1_0000_0000 + view.getUint32(1, true);
  return { op, length };
}
