import { SourceError } from '../errors.js';
import type { Encoding } from '../schema/vocab.js';
import { detectDelimiter, splitQuoted } from './csv-fields.js';
import { FileChunks } from './file-chunks.js';
import type { RawBatch, RawSource, RecordDefect } from './raw-source.js';
import { LineTooLong, TextLines, type LineBlock } from './text-lines.js';

/** A quoted field may span lines, but not without bound. */
const MAX_RECORD_LINES = 1000;

interface PendingRecord {
  text: string;
  line: number;
  block: LineBlock;
  index: number;
  lines: number;
}

/** Delimited text with a header row, in UTF-8 (± BOM), GBK or cp1252. */
export class CsvSource implements RawSource {
  readonly format = 'csv' as const;
  readonly columns: readonly string[];
  readonly encoding: Encoding;
  readonly timestampScale = new Map<number, number>();
  readonly delimiter: string;
  private readonly file: string;
  private readonly chunks: FileChunks;
  private readonly lines: TextLines;
  private block: LineBlock | null = null;
  private cursor = 0;
  private pending: PendingRecord | null = null;
  private records = 0;

  constructor(path: string, file: string, declared: Encoding | null) {
    this.file = file;
    this.chunks = new FileChunks(path);
    this.lines = new TextLines(this.chunks, declared);
    this.encoding = this.lines.encoding;
    let header: string | null = null;
    while (header === null) {
      const line = this.nextLine();
      if (line === null) throw new SourceError(file, { line: 1 }, 'empty file: no header row');
      if (line.text.trim() !== '') header = line.text;
    }
    if (/[\u0000-\u0008\u000e-\u001f]/u.test(header)) {
      throw new SourceError(file, { line: 1, byteOffset: 0 }, 'binary content where a CSV header was expected: not a text log');
    }
    this.delimiter = detectDelimiter(header);
    let cells = splitQuoted(header, this.delimiter);
    // Regulator exports put line breaks inside quoted header cells.
    for (let extra = 0; cells === null && extra < 50; extra++) {
      const more = this.nextLine();
      if (more === null) break;
      header += `\n${more.text}`;
      cells = splitQuoted(header, this.delimiter);
    }
    if (!cells) throw new SourceError(file, { line: 1 }, 'header row has an unclosed quote');
    this.columns = cells.map((c) => c.replace(/\s+/gu, ' ').trim());
  }

  private nextLine(): { text: string; line: number; block: LineBlock; index: number } | null {
    for (;;) {
      if (this.block && this.cursor < this.block.lines.length) {
        const index = this.cursor++;
        return { text: this.block.lines[index] as string, line: this.block.firstLine + index, block: this.block, index };
      }
      try {
        this.block = this.lines.next();
      } catch (e) {
        if (e instanceof LineTooLong) throw new SourceError(this.file, { byteOffset: e.byteOffset }, e.message);
        throw e;
      }
      this.cursor = 0;
      if (!this.block) return null;
    }
  }

  next(): RawBatch | null {
    const batch = new CsvBatch();
    const width = this.columns.length;
    while (batch.count < 8192) {
      const l = this.nextLine();
      if (l === null) break;
      const atEnd = l.block.lastLineUnterminated && l.index === l.block.lines.length - 1;
      if (this.pending) {
        this.pending.text += `\n${l.text}`;
        this.pending.lines++;
      } else {
        if (l.text.length === 0 || (l.text.trim() === '' && !l.text.includes(this.delimiter))) continue;
        this.pending = { text: l.text, line: l.line, block: l.block, index: l.index, lines: 1 };
      }
      const p = this.pending;
      let fields: string[] | null;
      if (p.text.indexOf('"') < 0) fields = p.text.split(this.delimiter);
      else fields = splitQuoted(p.text, this.delimiter);
      if (fields === null && !atEnd && p.lines < MAX_RECORD_LINES) continue;
      this.pending = null;
      let defect: RecordDefect | null = null;
      if (fields === null) {
        defect = atEnd
          ? { reason: 'truncated_row', detail: 'file ends inside a quoted field' }
          : { reason: 'malformed_row', detail: `quoted field not closed within ${MAX_RECORD_LINES} lines` };
      } else if (fields.length !== width) {
        defect =
          atEnd && fields.length < width
            ? { reason: 'truncated_row', detail: `last line has ${fields.length} of ${width} fields and no line end` }
            : { reason: 'malformed_row', detail: `${fields.length} fields where the header has ${width}` };
      }
      batch.push(fields ?? [], p.text, p.line, p.block, p.index, this.records++, defect);
    }
    return batch.count ? batch : null;
  }

  bytesRead(): number {
    return this.chunks.bytesRead;
  }

  close(): void {
    this.chunks.close();
  }
}

class CsvBatch implements RawBatch {
  count = 0;
  private readonly fields: string[][] = [];
  private readonly texts: string[] = [];
  private readonly lines: number[] = [];
  private readonly blocks: LineBlock[] = [];
  private readonly indexes: number[] = [];
  private readonly records: number[] = [];
  private readonly defects: (RecordDefect | null)[] = [];

  push(fields: string[], text: string, line: number, block: LineBlock, index: number, record: number, defect: RecordDefect | null): void {
    this.fields.push(fields);
    this.texts.push(text);
    this.lines.push(line);
    this.blocks.push(block);
    this.indexes.push(index);
    this.records.push(record);
    this.defects.push(defect);
    this.count++;
  }

  value(row: number, column: number): unknown {
    return this.fields[row]?.[column];
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
