import * as arrow from 'apache-arrow';
import { SourceError } from '../errors.js';
import { FileChunks } from './file-chunks.js';
import { ValueAccessors } from './generic-accessors.js';
import type { RawBatch, RawSource } from './raw-source.js';

const FILE_MAGIC = 'ARROW1';
/**
 * The file format is read through apache-arrow's file reader, which needs the whole file in memory (its stream
 * reader does not accept the file body), so file-format inputs are capped; the stream format has no limit.
 */
const MAX_FILE_FORMAT_BYTES = 1 << 30;
/** µs per unit of arrow.TimeUnit (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const MICROS_PER_UNIT = [1e6, 1e3, 1, 1e-3] as const;

/**
 * Arrow IPC, stream or file format. The file format is a stream framed by magic bytes and a footer, so both are
 * read as a stream, batch by batch, with bounded memory.
 */
export class ArrowIpcSource implements RawSource {
  readonly format = 'arrow-ipc' as const;
  readonly encoding = null;
  readonly columns: readonly string[];
  readonly timestampScale = new Map<number, number>();
  private readonly file: string;
  private readonly chunks: FileChunks;
  private readonly reader: arrow.RecordBatchReader;
  private readonly batches: Iterator<arrow.RecordBatch>;
  private records = 0;

  constructor(path: string, file: string) {
    this.file = file;
    this.chunks = new FileChunks(path, 1 << 20);
    const head = this.chunks.peek(0, 8);
    const isFile = head.subarray(0, 6).toString('latin1') === FILE_MAGIC;
    const isStream = head.length >= 4 && head.readUInt32LE(0) === 0xffffffff;
    if (!isFile && !isStream)
      throw new SourceError(
        file,
        { byteOffset: 0 },
        'no Arrow IPC magic or stream continuation marker: not an Arrow file',
      );
    if (isFile && this.chunks.size > MAX_FILE_FORMAT_BYTES) {
      throw new SourceError(
        file,
        { byteOffset: 0 },
        `Arrow IPC file format larger than ${MAX_FILE_FORMAT_BYTES >> 30} GiB: write it in the stream format, which is read incrementally`,
      );
    }
    const chunks = this.chunks;
    function* bytes(): Generator<Uint8Array> {
      for (let c = chunks.next(); c !== null; c = chunks.next()) yield c;
    }
    try {
      this.reader = isFile
        ? arrow.RecordBatchFileReader.from(this.wholeFile())
        : arrow.RecordBatchStreamReader.from(bytes());
      this.reader.open();
      this.batches = this.reader[Symbol.iterator]();
    } catch (e) {
      throw this.wrap(e);
    }
    const fields = this.reader.schema?.fields ?? [];
    if (fields.length === 0) throw new SourceError(file, { byteOffset: 0 }, 'Arrow schema has no columns');
    this.columns = fields.map((f) => f.name);
    fields.forEach((f, i) => {
      if (arrow.DataType.isTimestamp(f.type)) this.timestampScale.set(i, 1);
    });
  }

  private wholeFile(): Uint8Array {
    const out = new Uint8Array(this.chunks.size);
    let at = 0;
    for (let c = this.chunks.next(); c !== null; c = this.chunks.next()) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }

  private wrap(e: unknown): SourceError {
    return new SourceError(
      this.file,
      { byteOffset: this.chunks.bytesRead },
      `unreadable Arrow IPC (truncated or corrupt): ${(e as Error).message}`,
      { cause: e },
    );
  }

  next(): RawBatch | null {
    let r: IteratorResult<arrow.RecordBatch>;
    try {
      r = this.batches.next();
    } catch (e) {
      throw this.wrap(e);
    }
    if (r.done) return null;
    const batch = new ArrowBatch(r.value, this.records);
    this.records += batch.count;
    return batch;
  }

  bytesRead(): number {
    return this.chunks.bytesRead;
  }

  get bytesTotal(): number {
    return this.chunks.size;
  }

  close(): void {
    this.chunks.close();
  }
}

type Accessor = (row: number) => unknown;

class ArrowBatch extends ValueAccessors implements RawBatch {
  readonly count: number;
  private readonly accessors: Accessor[];
  private readonly first: number;
  private readonly batch: arrow.RecordBatch;

  constructor(batch: arrow.RecordBatch, first: number) {
    super();
    this.batch = batch;
    this.count = batch.numRows;
    this.first = first;
    this.accessors = batch.schema.fields.map((f, i) => {
      const vector = batch.getChildAt(i);
      if (!vector) return () => null;
      if (arrow.DataType.isTimestamp(f.type)) {
        const scale = MICROS_PER_UNIT[f.type.unit] ?? 1;
        const values = vector.data[0]?.values as BigInt64Array | undefined;
        return (row: number) => (vector.isValid(row) && values ? Number(values[row] as bigint) * scale : null);
      }
      return (row: number) => {
        const v: unknown = vector.get(row);
        return typeof v === 'bigint' ? Number(v) : v;
      };
    });
  }

  override value(row: number, column: number): unknown {
    const a = this.accessors[column];
    return a ? a(row) : undefined;
  }
  line(): null {
    return null;
  }
  byteOffset(): null {
    return null;
  }
  recordIndex(row: number): number {
    return this.first + row;
  }
  raw(row: number): string {
    const obj: Record<string, unknown> = {};
    this.batch.schema.fields.forEach((f, i) => {
      obj[f.name] = this.value(row, i);
    });
    return JSON.stringify(obj);
  }
  defect(): null {
    return null;
  }
}
