import { crc32 } from 'node:zlib';
import { SourceError } from '../../errors.js';
import { foldName, TELEMETRY_FIELDS } from '../../normalize/aliases.js';
import type { QuarantineReason } from '../../schema/vocab.js';
import type { LogIdentity, MessageStream, StreamChannel, StreamItem } from '../track/message-stream.js';
import { ByteWindow } from '../track/byte-window.js';
import { CorruptBlock, decompressBlock, knownCompression, OversizeBlock } from '../track/decompress.js';
import {
  Cursor,
  FOOTER_TAIL_BYTES,
  MCAP_MAGIC,
  OP,
  parseChannel,
  parseChunk,
  parseChunkIndex,
  parseMetadata,
  parseSchema,
  RecordError,
  recordHeader,
  type ChannelRecord,
  type ChunkIndexRecord,
  type SchemaRecord,
} from './mcap-records.js';

/** No MCAP record a reader must hold whole (chunks, messages) is this big. */
const MAX_RECORD_BYTES = 1 << 30;
/** Overlap on one channel beyond this between chunks read in file order is a clock jump, not jitter. */
const CLOCK_JUMP_NS = 1e9;
/** Metadata record name whose keys give the log's identity (vehicle_id, company_id, ads_version). */
export const IDENTITY_METADATA = 'avlog';

export type McapReadMode = 'auto' | 'indexed' | 'streaming';

interface PendingMessage {
  channelId: number;
  logNs: number;
  data: Uint8Array;
  byteOffset: number;
}

const IDENTITY_KEYS = new Map<string, keyof LogIdentity>();
for (const n of TELEMETRY_FIELDS.vehicle_id) IDENTITY_KEYS.set(n, 'vehicle');
for (const n of TELEMETRY_FIELDS.company_id) IDENTITY_KEYS.set(n, 'company');
for (const n of TELEMETRY_FIELDS.ads_version) IDENTITY_KEYS.set(n, 'ads');

/**
 * A synchronous MCAP reader. **Indexed** when the file ends in a valid footer whose summary lists chunk
 * indexes: channels, schemas and metadata come from the summary, chunks are read by their index in file order
 * and chunks overlapping in time (several writers) are merged, so messages come out in log-time order; a chunk
 * that goes back in time on a channel already read is the recorder's clock jumping back and is not merged, so the
 * jump shows (and is quarantined) rather than being shuffled in. **Streaming** otherwise (a
 * recording cut off before its summary, an unindexed or unchunked file, a damaged summary): records are read
 * front to back, each chunk's messages sorted by log time. Chunks decompress synchronously (lz4 frame, zstd)
 * and their CRC is checked. Damage becomes defects with the byte offset: a chunk with a bad CRC
 * (`bad_checksum`), one that does not decompress or parse (`corrupt_chunk`), a record cut off at the end of the
 * file (`truncated_row`), a message on a channel never defined (`unknown_schema`).
 */
export class McapStream implements MessageStream {
  readonly size: number;
  readonly mode: 'indexed' | 'streaming';
  readonly identity: LogIdentity = { vehicle: null, company: null, ads: null };
  readonly channelsUpFront: readonly StreamChannel[] | null;
  /** Messages handed out so far. */
  messages = 0;
  private readonly file: string;
  private readonly window: ByteWindow;
  private readonly schemas = new Map<number, SchemaRecord>();
  private readonly channelRecords = new Map<number, ChannelRecord>();
  private readonly channels = new Map<number, StreamChannel>();
  private readonly reportedChannels = new Set<number>();
  private readonly defects: StreamItem[] = [];
  private queue: PendingMessage[] = [];
  private cursor = 0;
  private index = 0;
  // streaming
  private pos = MCAP_MAGIC.length;
  private ended = false;
  // indexed
  private chunkIndexes: ChunkIndexRecord[] = [];
  private nextChunk = 0;
  /** Latest end time of the chunks read so far, per channel. */
  private readonly channelEnds = new Map<number, number>();
  /** Bumped whenever metadata read mid-stream changes the identity. */
  identityVersion = 0;

  constructor(path: string, file: string, mode: McapReadMode = 'auto') {
    this.file = file;
    this.window = new ByteWindow(path);
    this.size = this.window.size;
    const magic = this.window.viewUpTo(0, MCAP_MAGIC.length);
    if (magic.length < MCAP_MAGIC.length || !MCAP_MAGIC.every((b, i) => magic[i] === b)) {
      this.window.close();
      throw new SourceError(file, { byteOffset: 0 }, 'no MCAP magic (\\x89MCAP0\\r\\n): not an MCAP file');
    }
    const head = recordHeader(this.window.viewUpTo(MCAP_MAGIC.length, 9), 0);
    if (head === null || head.op !== OP.HEADER || MCAP_MAGIC.length + 9 + head.length > this.size) {
      this.window.close();
      throw new SourceError(
        file,
        { byteOffset: MCAP_MAGIC.length },
        'MCAP file has no readable header record after the magic (cut off or not MCAP)',
      );
    }
    const indexed = mode !== 'streaming' && this.readSummary();
    if (mode === 'indexed' && !indexed) {
      this.window.close();
      throw new SourceError(
        file,
        { byteOffset: Math.max(0, this.size - FOOTER_TAIL_BYTES) },
        'MCAP file has no usable summary with chunk indexes: it can only be read streaming',
      );
    }
    this.mode = indexed ? 'indexed' : 'streaming';
    if (indexed) {
      const list: StreamChannel[] = [];
      for (const id of this.channelRecords.keys()) {
        const ch = this.channel(id);
        if (ch) list.push(ch);
      }
      this.channelsUpFront = list;
    } else {
      this.schemas.clear();
      this.channelRecords.clear();
      this.channelsUpFront = null;
      this.pos = MCAP_MAGIC.length;
    }
  }

  /** Reads footer and summary. True when the file can be read by its chunk indexes. */
  private readSummary(): boolean {
    if (this.size < MCAP_MAGIC.length * 2 + FOOTER_TAIL_BYTES) return false;
    const footerAt = this.size - FOOTER_TAIL_BYTES;
    const tail = this.window.view(footerAt, FOOTER_TAIL_BYTES);
    if (!tail) return false;
    if (!MCAP_MAGIC.every((b, i) => tail[29 + i] === b)) return false;
    const h = recordHeader(tail, 0);
    if (!h || h.op !== OP.FOOTER || h.length !== 20) return false;
    const fc = new Cursor(tail, 9, 29);
    const summaryStart = fc.u64();
    fc.u64(); // summary offset start
    const summaryCrc = fc.u32();
    if (summaryStart === 0 || summaryStart >= footerAt) return false;
    const summary = this.window.view(summaryStart, footerAt - summaryStart);
    if (!summary) return false;
    if (summaryCrc !== 0) {
      const crc = crc32(tail.subarray(0, 1 + 8 + 16), crc32(summary));
      if (crc !== summaryCrc) return false;
    }
    const copy = Buffer.from(summary);
    const chunkIndexes: ChunkIndexRecord[] = [];
    const metadataOffsets: [number, number][] = [];
    try {
      let p = 0;
      while (p < copy.length) {
        const rh = recordHeader(copy, p);
        if (!rh || p + 9 + rh.length > copy.length) return false;
        const c = new Cursor(copy, p + 9, p + 9 + rh.length);
        if (rh.op === OP.SCHEMA) {
          const s = parseSchema(c);
          this.schemas.set(s.id, s);
        } else if (rh.op === OP.CHANNEL) {
          const ch = parseChannel(c);
          this.channelRecords.set(ch.id, ch);
        } else if (rh.op === OP.CHUNK_INDEX) {
          chunkIndexes.push(parseChunkIndex(c));
        } else if (rh.op === OP.METADATA_INDEX) {
          metadataOffsets.push([c.u64(), c.u64()]);
        }
        p += 9 + rh.length;
      }
    } catch (e) {
      if (e instanceof RecordError) return false;
      throw e;
    }
    if (chunkIndexes.length === 0) return false;
    for (const ci of chunkIndexes)
      if (ci.chunkStart + ci.chunkLength > footerAt || ci.chunkStart < MCAP_MAGIC.length) return false;
    this.chunkIndexes = chunkIndexes.sort((a, b) => a.chunkStart - b.chunkStart);
    for (const [offset, length] of metadataOffsets) {
      const rec = this.window.view(offset, length);
      const rh = rec && recordHeader(rec, 0);
      if (!rec || !rh || rh.op !== OP.METADATA) continue;
      try {
        this.metadata(new Cursor(rec, 9, Math.min(rec.length, 9 + rh.length)));
      } catch (e) {
        if (!(e instanceof RecordError)) throw e;
      }
    }
    return true;
  }

  private metadata(c: Cursor): void {
    const m = parseMetadata(c);
    if (m.name !== IDENTITY_METADATA) return;
    for (const [k, v] of m.metadata) {
      const key = IDENTITY_KEYS.get(foldName(k));
      if (key && v.trim() !== '' && this.identity[key] === null) {
        this.identity[key] = v.trim();
        this.identityVersion++;
      }
    }
  }

  /** The stream channel for a channel id, once its channel (and schema) records are known. */
  private channel(id: number): StreamChannel | null {
    const known = this.channels.get(id);
    if (known) return known;
    const rec = this.channelRecords.get(id);
    if (!rec) return null;
    const schema = rec.schemaId === 0 ? null : this.schemas.get(rec.schemaId);
    if (rec.schemaId !== 0 && !schema) return null;
    const ch: StreamChannel = {
      id,
      topic: rec.topic,
      schemaName: schema?.name ?? '',
      messageEncoding: rec.messageEncoding,
      schemaEncoding: schema?.encoding ?? '',
      schema: schema?.data ?? new Uint8Array(0),
    };
    this.channels.set(id, ch);
    return ch;
  }

  get bytesRead(): number {
    if (this.mode === 'streaming') return this.ended ? this.size : this.pos;
    const ci = this.chunkIndexes[this.nextChunk - 1];
    return this.nextChunk >= this.chunkIndexes.length && this.cursor >= this.queue.length
      ? this.size
      : ci
        ? ci.chunkStart + ci.chunkLength
        : 0;
  }

  next(): StreamItem | null {
    for (;;) {
      if (this.defects.length) return this.defects.shift() as StreamItem;
      if (this.mode === 'indexed') {
        const head = this.queue[this.cursor];
        const next = this.chunkIndexes[this.nextChunk];
        if (next !== undefined && (head === undefined || (next.startNs <= head.logNs && !this.clockWentBack(next)))) {
          this.loadIndexedChunk(next);
          this.nextChunk++;
          continue;
        }
        if (head === undefined) return null;
        const item = this.emit();
        if (item) return item;
        continue;
      }
      if (this.cursor < this.queue.length) {
        const item = this.emit();
        if (item) return item;
        continue;
      }
      if (this.ended) return null;
      this.readNextRecord();
    }
  }

  /** The next queued message as an item; null when it is skipped (its channel was already reported unknown). */
  private emit(): StreamItem | null {
    const m = this.queue[this.cursor++] as PendingMessage;
    if (this.cursor > 65536 && this.cursor * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.cursor);
      this.cursor = 0;
    }
    const ch = this.channel(m.channelId);
    if (!ch) {
      if (this.reportedChannels.has(m.channelId)) return null;
      this.reportedChannels.add(m.channelId);
      return {
        kind: 'defect',
        reason: 'unknown_schema',
        detail: `message on channel ${m.channelId}, which has no channel record (or whose schema is missing): the channel's messages are skipped`,
        byteOffset: m.byteOffset,
        raw: hex(m.data),
        index: this.index++,
      };
    }
    this.messages++;
    return {
      kind: 'message',
      channel: ch,
      logNs: m.logNs,
      data: m.data,
      byteOffset: m.byteOffset,
      index: this.index++,
    };
  }

  private defect(reason: QuarantineReason, detail: string, byteOffset: number, bytes: Uint8Array): void {
    this.defects.push({ kind: 'defect', reason, detail, byteOffset, raw: hex(bytes), index: this.index++ });
  }

  /**
   * True when a chunk starts more than CLOCK_JUMP_NS before a chunk already read ended on one of its channels:
   * the recorder's clock went back (one writer's chunks never overlap on a channel). Such a chunk is not merged
   * into the messages waiting; it is read after them, so the jump shows and is quarantined.
   */
  private clockWentBack(ci: ChunkIndexRecord): boolean {
    for (const ch of ci.channels) if ((this.channelEnds.get(ch) ?? -Infinity) - ci.startNs > CLOCK_JUMP_NS) return true;
    return false;
  }

  private loadIndexedChunk(ci: ChunkIndexRecord): void {
    for (const ch of ci.channels) this.channelEnds.set(ch, Math.max(this.channelEnds.get(ch) ?? -Infinity, ci.endNs));
    const rec = this.window.view(ci.chunkStart, ci.chunkLength);
    const rh = rec && recordHeader(rec, 0);
    if (!rec || !rh || rh.op !== OP.CHUNK || 9 + rh.length > rec.length) {
      this.defect(
        'corrupt_chunk',
        `chunk index points at byte ${ci.chunkStart}, where there is no chunk record: its messages are lost`,
        ci.chunkStart,
        rec ?? new Uint8Array(0),
      );
      return;
    }
    const messages = this.chunkMessages(rec, 0, rh.length, ci.chunkStart);
    if (messages.length === 0) return;
    // Merge with messages of overlapping chunks still waiting (both sorted by log time).
    const waiting = this.queue.slice(this.cursor);
    this.queue = waiting.length === 0 ? messages : mergeSorted(waiting, messages);
    this.cursor = 0;
  }

  /**
   * Decompresses and parses one chunk record (content at bytes[at + 9 …]); returns its messages sorted by log
   * time, having registered its schemas and channels. Damage becomes a defect and an empty result.
   */
  private chunkMessages(bytes: Uint8Array, at: number, length: number, fileOffset: number): PendingMessage[] {
    let chunk;
    try {
      chunk = parseChunk(new Cursor(bytes, at + 9, at + 9 + length));
    } catch (e) {
      if (!(e instanceof RecordError)) throw e;
      this.defect(
        'corrupt_chunk',
        `chunk record at byte ${fileOffset} does not parse: ${e.message}`,
        fileOffset,
        bytes.subarray(at, at + 64),
      );
      return [];
    }
    if (!knownCompression(chunk.compression)) {
      this.defect(
        'corrupt_chunk',
        `chunk at byte ${fileOffset} uses compression ${JSON.stringify(chunk.compression)}, which avlog does not read (lz4, zstd, none): its messages are skipped`,
        fileOffset,
        bytes.subarray(at, at + 64),
      );
      return [];
    }
    let records: Uint8Array;
    try {
      records = decompressBlock(chunk.compression, chunk.records, chunk.uncompressedSize);
    } catch (e) {
      if (!(e instanceof CorruptBlock)) throw e;
      this.defect(
        e instanceof OversizeBlock ? 'oversize_record' : 'corrupt_chunk',
        `chunk at byte ${fileOffset}: ${e.message}; its messages are lost`,
        fileOffset,
        chunk.records.subarray(0, 64),
      );
      return [];
    }
    if (chunk.uncompressedCrc !== 0) {
      const crc = crc32(records);
      if (crc !== chunk.uncompressedCrc) {
        this.defect(
          'bad_checksum',
          `chunk at byte ${fileOffset}: CRC32 of its ${records.length} bytes is ${crc.toString(16)}, the chunk says ${chunk.uncompressedCrc.toString(16)}; its messages are dropped`,
          fileOffset,
          chunk.records.subarray(0, 64),
        );
        return [];
      }
    }
    if (records === chunk.records) records = records.slice(); // the window's bytes are reused
    // Exact offsets for uncompressed chunks; the chunk's offset for compressed ones.
    const base = chunk.compression === '' || chunk.compression === 'none' ? fileOffset + chunk.recordsStart - at : -1;
    const out: PendingMessage[] = [];
    const view = new DataView(records.buffer, records.byteOffset, records.byteLength);
    const total = records.length;
    let p = 0;
    let sorted = true;
    let last = -Infinity;
    while (p < total) {
      if (p + 9 > total) {
        this.defect(
          'corrupt_chunk',
          `chunk at byte ${fileOffset}: ${total - p} stray bytes at its end; ignored`,
          fileOffset,
          records.subarray(p, p + 64),
        );
        break;
      }
      const op = view.getUint8(p);
      const length = view.getUint32(p + 5, true) * 0x1_0000_0000 + view.getUint32(p + 1, true);
      const end = p + 9 + length;
      if (end > total) {
        this.defect(
          'corrupt_chunk',
          `chunk at byte ${fileOffset}: record at ${p} of its ${total} bytes runs past the chunk; the rest of the chunk is lost`,
          fileOffset,
          records.subarray(p, p + 64),
        );
        break;
      }
      const offset = base < 0 ? fileOffset : base + p;
      if (op === OP.MESSAGE) {
        // channel u16, sequence u32, log time u64, publish time u64, data
        if (length < 22) {
          this.defect(
            'malformed_row',
            `chunk at byte ${fileOffset}: message record at ${p} is ${length} bytes, shorter than its header`,
            offset,
            records.subarray(p, p + 64),
          );
        } else {
          const channelId = view.getUint16(p + 9, true);
          const logNs = view.getUint32(p + 19, true) * 0x1_0000_0000 + view.getUint32(p + 15, true);
          if (logNs < last) sorted = false;
          last = logNs;
          out.push({ channelId, logNs, data: records.subarray(p + 31, end), byteOffset: offset });
        }
      } else if (op === OP.SCHEMA || op === OP.CHANNEL) {
        try {
          const c = new Cursor(records, p + 9, end);
          if (op === OP.SCHEMA) {
            const sc = parseSchema(c);
            if (!this.schemas.has(sc.id)) this.schemas.set(sc.id, sc);
          } else {
            const ch = parseChannel(c);
            if (!this.channelRecords.has(ch.id)) this.channelRecords.set(ch.id, ch);
          }
        } catch (e) {
          if (!(e instanceof RecordError)) throw e;
          this.defect(
            'malformed_row',
            `chunk at byte ${fileOffset}, record at ${p} (opcode ${op}): ${e.message}`,
            offset,
            records.subarray(p, p + 64),
          );
        }
      }
      p = end;
    }
    if (!sorted) out.sort((a, b) => a.logNs - b.logNs);
    return out;
  }

  /** Streaming: reads the record at `pos` (a chunk's messages go to the queue). */
  private readNextRecord(): void {
    const at = this.pos;
    if (at >= this.size) {
      this.ended = true;
      return;
    }
    const head = this.window.view(at, 9);
    if (!head) {
      this.ended = true;
      this.defect(
        'truncated_row',
        `file ends inside a record header at byte ${at}: the recording was cut off`,
        at,
        this.window.viewUpTo(at, 64),
      );
      return;
    }
    const rh = recordHeader(head, 0) as { op: number; length: number };
    if (rh.op === 0 || rh.length > MAX_RECORD_BYTES) {
      this.ended = true;
      this.defect(
        'malformed_row',
        `bytes at ${at} are not an MCAP record (opcode ${rh.op}, length ${rh.length}): the rest of the file is skipped`,
        at,
        this.window.viewUpTo(at, 64),
      );
      return;
    }
    if (at + 9 + rh.length > this.size) {
      this.ended = true;
      const what = rh.op === OP.CHUNK ? 'chunk' : `record (opcode ${rh.op})`;
      this.defect(
        'truncated_row',
        `file ends inside the ${what} at byte ${at} (${this.size - at} of ${9 + rh.length} bytes present): the recording was cut off, the rest is lost`,
        at,
        this.window.viewUpTo(at, 64),
      );
      return;
    }
    this.pos = at + 9 + rh.length;
    switch (rh.op) {
      case OP.FOOTER:
        this.ended = true;
        return;
      case OP.CHUNK: {
        const rec = this.window.view(at, 9 + rh.length) as Buffer;
        const messages = this.chunkMessages(rec, 0, rh.length, at);
        this.queue = this.cursor < this.queue.length ? this.queue.slice(this.cursor).concat(messages) : messages;
        this.cursor = 0;
        return;
      }
      case OP.MESSAGE:
      case OP.SCHEMA:
      case OP.CHANNEL:
      case OP.METADATA: {
        const rec = this.window.view(at, 9 + rh.length) as Buffer;
        const c = new Cursor(rec, 9, 9 + rh.length);
        try {
          if (rh.op === OP.MESSAGE) {
            const channelId = c.u16();
            c.u32();
            const logNs = c.u64();
            c.u64();
            this.queue.push({ channelId, logNs, data: c.rest().slice(), byteOffset: at });
          } else if (rh.op === OP.SCHEMA) {
            const s = parseSchema(c);
            if (!this.schemas.has(s.id)) this.schemas.set(s.id, s);
          } else if (rh.op === OP.CHANNEL) {
            const ch = parseChannel(c);
            if (!this.channelRecords.has(ch.id)) this.channelRecords.set(ch.id, ch);
          } else {
            this.metadata(c);
          }
        } catch (e) {
          if (!(e instanceof RecordError)) throw e;
          this.defect('malformed_row', `record at byte ${at} (opcode ${rh.op}): ${e.message}`, at, rec.subarray(0, 64));
        }
        return;
      }
      default:
        // message indexes, attachments, statistics, summary records: nothing to read.
        return;
    }
  }

  close(): void {
    this.window.close();
  }

  /** For errors: the file this stream reads. */
  get fileName(): string {
    return this.file;
  }
}

function mergeSorted(a: PendingMessage[], b: PendingMessage[]): PendingMessage[] {
  const out: PendingMessage[] = new Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] =
      (a[i] as PendingMessage).logNs <= (b[j] as PendingMessage).logNs
        ? (a[i++] as PendingMessage)
        : (b[j++] as PendingMessage);
  while (i < a.length) out[k++] = a[i++] as PendingMessage;
  while (j < b.length) out[k++] = b[j++] as PendingMessage;
  return out;
}

function hex(bytes: Uint8Array): string {
  const n = Math.min(bytes.length, 64);
  const h = Buffer.from(bytes.buffer, bytes.byteOffset, n).toString('hex');
  return bytes.length > n ? `${h}… (${bytes.length} bytes)` : h;
}
