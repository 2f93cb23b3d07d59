import { SourceError } from '../errors.js';
import type { Encoding } from '../schema/vocab.js';
import { FileChunks } from './file-chunks.js';
import { ValueAccessors } from './generic-accessors.js';
import type { RawBatch, RawSource, RecordDefect } from './raw-source.js';
import { LineTooLong, TextLines, type LineBlock } from './text-lines.js';

/** One JSON object per line. Columns are the keys in the order first seen; later records may add keys. */
export class JsonlSource implements RawSource {
  readonly format = 'jsonl' as const;
  readonly encoding: Encoding;
  readonly timestampScale = new Map<number, number>();
  private readonly keys: string[] = [];
  private readonly keyIndex = new Map<string, number>();
  private readonly file: string;
  private readonly chunks: FileChunks;
  private readonly lines: TextLines;
  private block: LineBlock | null = null;
  private cursor = 0;
  private records = 0;
  private first: RawBatch | null;

  constructor(path: string, file: string, declared: Encoding | null) {
    this.file = file;
    this.chunks = new FileChunks(path);
    this.lines = new TextLines(this.chunks, declared);
    this.encoding = this.lines.encoding;
    const head = this.chunks
      .peek(0, 4096)
      .toString('latin1')
      .replace(/^\uFEFF|^\u00ef\u00bb\u00bf/u, '')
      .trimStart();
    if (head.length && head[0] !== '{') {
      throw new SourceError(file, { line: 1, byteOffset: 0 }, 'does not start with a JSON object: not a JSONL log');
    }
    // Keys are the columns: read the first batch now so they are known before the pipeline maps them.
    this.first = this.read();
  }

  get columns(): readonly string[] {
    return this.keys;
  }

  next(): RawBatch | null {
    const first = this.first;
    if (first) {
      this.first = null;
      return first;
    }
    return this.read();
  }

  private read(): RawBatch | null {
    const batch = new JsonlBatch(this.keyIndex);
    while (batch.count < 8192) {
      if (!this.block || this.cursor >= this.block.lines.length) {
        try {
          this.block = this.lines.next();
        } catch (e) {
          if (e instanceof LineTooLong) throw new SourceError(this.file, { byteOffset: e.byteOffset }, e.message);
          throw e;
        }
        this.cursor = 0;
        if (!this.block) break;
        continue;
      }
      const index = this.cursor++;
      const text = this.block.lines[index] as string;
      if (text.trim() === '') continue;
      const atEnd = this.block.lastLineUnterminated && index === this.block.lines.length - 1;
      let obj: Record<string, unknown> | null = null;
      let defect: RecordDefect | null = null;
      try {
        const parsed: unknown = JSON.parse(text);
        if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
          obj = parsed as Record<string, unknown>;
        else defect = { reason: 'malformed_row', detail: 'line is JSON but not an object' };
      } catch (e) {
        defect = {
          reason: atEnd ? 'truncated_row' : 'malformed_row',
          detail: `${atEnd ? 'last line cut off: ' : ''}${(e as Error).message}`,
        };
      }
      if (obj) {
        for (const k of Object.keys(obj)) {
          if (!this.keyIndex.has(k)) {
            this.keyIndex.set(k, this.keys.length);
            this.keys.push(k);
          }
        }
      }
      batch.push(obj, text, this.block.firstLine + index, this.block, index, this.records++, defect);
    }
    return batch.count ? batch : null;
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

class JsonlBatch extends ValueAccessors implements RawBatch {
  count = 0;
  private readonly objects: (Record<string, unknown> | null)[] = [];
  private readonly texts: string[] = [];
  private readonly lines: number[] = [];
  private readonly blocks: LineBlock[] = [];
  private readonly indexes: number[] = [];
  private readonly records: number[] = [];
  private readonly defects: (RecordDefect | null)[] = [];
  private readonly names: string[] = [];
  /** Shared with the source: keys first seen later are appended, so names are resolved lazily. */
  private readonly keyIndex: Map<string, number>;

  constructor(keyIndex: Map<string, number>) {
    super();
    this.keyIndex = keyIndex;
  }

  push(
    obj: Record<string, unknown> | null,
    text: string,
    line: number,
    block: LineBlock,
    index: number,
    record: number,
    defect: RecordDefect | null,
  ): void {
    this.objects.push(obj);
    this.texts.push(text);
    this.lines.push(line);
    this.blocks.push(block);
    this.indexes.push(index);
    this.records.push(record);
    this.defects.push(defect);
    this.count++;
  }

  override value(row: number, column: number): unknown {
    if (this.names.length !== this.keyIndex.size) {
      this.names.length = 0;
      for (const [k, i] of this.keyIndex) this.names[i] = k;
    }
    const name = this.names[column];
    return name === undefined ? undefined : this.objects[row]?.[name];
  }
  line(row: number): number {
    return this.lines[row] ?? 0;
  }
  byteOffset(row: number): number | null {
    const block = this.blocks[row];
    return block ? block.byteOffset(this.indexes[row] ?? 0) : null;
  }
  recordIndex(row: number): number {
    return this.records[row] ?? 0;
  }
  raw(row: number): string {
    return this.texts[row] ?? '';
  }
  defect(row: number): RecordDefect | null {
    return this.defects[row] ?? null;
  }
}
