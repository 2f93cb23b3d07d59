import { SourceError } from '../errors.js';
import { parseDecimal } from '../normalize/decimal.js';
import { MISSING, toNumber } from '../normalize/numbers.js';
import type { TimestampParser } from '../normalize/timestamp.js';
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
      throw new SourceError(
        file,
        { line: 1, byteOffset: 0 },
        'binary content where a CSV header was expected: not a text log',
      );
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
        return {
          text: this.block.lines[index] as string,
          line: this.block.firstLine + index,
          block: this.block,
          index,
        };
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
    const width = this.columns.length;
    const batch = new CsvBatch(width, this.delimiter);
    while (batch.count < 8192) {
      const l = this.nextLine();
      if (l === null) break;
      const atEnd = l.block.lastLineUnterminated && l.index === l.block.lines.length - 1;
      if (this.pending) {
        this.pending.text += `\n${l.text}`;
        this.pending.lines++;
      } else {
        if (l.text.length === 0 || (l.text.trim() === '' && !l.text.includes(this.delimiter))) continue;
        if (l.text.indexOf('"') < 0) {
          const fields = batch.pushPlain(l.text, l.line, l.block, l.index, this.records++);
          if (fields !== width) {
            batch.setDefect(
              atEnd && fields < width
                ? { reason: 'truncated_row', detail: `last line has ${fields} of ${width} fields and no line end` }
                : { reason: 'malformed_row', detail: `${fields} fields where the header has ${width}` },
            );
          }
          continue;
        }
        this.pending = { text: l.text, line: l.line, block: l.block, index: l.index, lines: 1 };
      }
      const p = this.pending;
      const fields = splitQuoted(p.text, this.delimiter);
      if (fields === null && !atEnd && p.lines < MAX_RECORD_LINES) continue;
      this.pending = null;
      batch.pushQuoted(fields ?? [], p.text, p.line, p.block, p.index, this.records++);
      if (fields === null) {
        batch.setDefect(
          atEnd
            ? { reason: 'truncated_row', detail: 'file ends inside a quoted field' }
            : { reason: 'malformed_row', detail: `quoted field not closed within ${MAX_RECORD_LINES} lines` },
        );
      } else if (fields.length !== width) {
        batch.setDefect({ reason: 'malformed_row', detail: `${fields.length} fields where the header has ${width}` });
      }
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

/**
 * Records of one batch. Unquoted lines (nearly all) are kept whole with their field boundaries, and numbers and
 * timestamps are parsed in place: no substring per field. Quoted records keep their split fields.
 */
class CsvBatch implements RawBatch {
  count = 0;
  private readonly width: number;
  private readonly delimiter: string;
  private readonly texts: string[] = [];
  /** Per record, width + 1 field starts (the last is the end + 1); filled for unquoted records. */
  private bounds: Int32Array;
  private readonly quoted: (string[] | null)[] = [];
  private readonly lines: number[] = [];
  private readonly blocks: LineBlock[] = [];
  private readonly indexes: number[] = [];
  private readonly records: number[] = [];
  private readonly defects: (RecordDefect | null)[] = [];
  private readonly lastText: (string | null)[];

  constructor(width: number, delimiter: string) {
    this.width = width;
    this.delimiter = delimiter;
    this.bounds = new Int32Array(256 * (width + 1));
    this.lastText = new Array<string | null>(width).fill(null);
  }

  private pushCommon(text: string, line: number, block: LineBlock, index: number, record: number): number {
    const row = this.count++;
    this.texts.push(text);
    this.lines.push(line);
    this.blocks.push(block);
    this.indexes.push(index);
    this.records.push(record);
    this.defects.push(null);
    return row;
  }

  /** Adds an unquoted line; returns its field count. */
  pushPlain(text: string, line: number, block: LineBlock, index: number, record: number): number {
    const row = this.pushCommon(text, line, block, index, record);
    this.quoted.push(null);
    const stride = this.width + 1;
    if ((row + 1) * stride > this.bounds.length) {
      const grown = new Int32Array(this.bounds.length * 2);
      grown.set(this.bounds);
      this.bounds = grown;
    }
    const base = row * stride;
    let fields = 0;
    let start = 0;
    for (;;) {
      const at = text.indexOf(this.delimiter, start);
      if (fields < this.width) this.bounds[base + fields] = start;
      fields++;
      if (at < 0) break;
      start = at + 1;
    }
    if (fields <= this.width) this.bounds[base + fields] = text.length + 1;
    return fields;
  }

  pushQuoted(fields: string[], text: string, line: number, block: LineBlock, index: number, record: number): void {
    this.pushCommon(text, line, block, index, record);
    this.quoted.push(fields);
  }

  setDefect(defect: RecordDefect): void {
    this.defects[this.count - 1] = defect;
  }

  value(row: number, column: number): unknown {
    const q = this.quoted[row];
    if (q) return q[column];
    if (column >= this.width) return undefined;
    const base = row * (this.width + 1);
    return (this.texts[row] as string).slice(
      this.bounds[base + column],
      (this.bounds[base + column + 1] as number) - 1,
    );
  }

  number(row: number, column: number): number | typeof MISSING {
    const q = this.quoted[row];
    if (q) return toNumber(q[column]);
    const base = row * (this.width + 1);
    return parseDecimal(
      this.texts[row] as string,
      this.bounds[base + column] as number,
      (this.bounds[base + column + 1] as number) - 1,
    );
  }

  /** Repeated values (company, vehicle, mode) are returned as the previous string without slicing. */
  text(row: number, column: number): string | null {
    const q = this.quoted[row];
    if (q) {
      const t = q[column]?.trim();
      return t ? t : null;
    }
    const base = row * (this.width + 1);
    const s = this.texts[row] as string;
    const start = this.bounds[base + column] as number;
    const end = (this.bounds[base + column + 1] as number) - 1;
    const last = this.lastText[column];
    if (last !== null && last !== undefined && end - start === last.length && s.startsWith(last, start)) return last;
    const t = s.slice(start, end).trim();
    if (!t) return null;
    this.lastText[column] = t;
    return t;
  }

  timestamp(row: number, column: number, parser: TimestampParser): number | typeof MISSING {
    const q = this.quoted[row];
    const s = q ? (q[column] ?? '') : (this.texts[row] as string);
    const base = row * (this.width + 1);
    const start = q ? 0 : (this.bounds[base + column] as number);
    const end = q ? s.length : (this.bounds[base + column + 1] as number) - 1;
    if (start >= end) return MISSING;
    const v = parser.parseSlice(s, start, end);
    return Number.isNaN(v) && s.slice(start, end).trim() === '' ? MISSING : v;
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
