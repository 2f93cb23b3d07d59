import fs from 'node:fs';
import iconv from 'iconv-lite';
import { CsvSource } from '../readers/csv-source.js';
import type { RecordDefect } from '../readers/raw-source.js';
import type { Encoding } from '../schema/vocab.js';

/**
 * The encoding of a regulator file, judged on the whole file rather than its first 64 KiB: the DMV's big
 * disengagement files are cp1252 but pure ASCII for their first 170 KB, so a prefix test would call them UTF-8
 * and garble every `’` after that. A UTF-8 BOM, or valid UTF-8 throughout, is UTF-8; anything else is cp1252
 * (US regulators export from Windows spreadsheets).
 */
export function regulatorEncoding(file: string, declared: Encoding | null): Encoding {
  if (declared) return declared;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let position = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, buf.length, position);
      if (n === 0) break;
      position += n;
      try {
        decoder.decode(buf.subarray(0, n), { stream: true });
      } catch {
        return 'windows-1252';
      }
    }
    try {
      decoder.decode();
    } catch {
      return 'windows-1252';
    }
    return 'utf-8';
  } finally {
    fs.closeSync(fd);
  }
}

/** cp1252's characters at bytes 0x80–0x9F (`’`, `“`, `”`, `–`, `€`, …), by the C1 control a Latin-1 decoder gives them. */
const CP1252_C1 = new Map<string, string>(
  Array.from(
    { length: 32 },
    (_, i) => [String.fromCharCode(0x80 + i), iconv.decode(Buffer.from([0x80 + i]), 'win1252')] as [string, string],
  ).filter(([a, b]) => a !== b && b !== '\ufffd'),
);

/**
 * Node's TextDecoder decodes `windows-1252` as Latin-1, which turns the DMV's `’` (0x92) into the control
 * character U+0092. Text read as cp1252 is mended here: C1 controls never occur in real cp1252 text.
 */
export function mendCp1252(s: string): string {
  return /[\u0080-\u009f]/u.test(s) ? s.replace(/[\u0080-\u009f]/gu, (c) => CP1252_C1.get(c) ?? c) : s;
}

/** One CSV record of a regulator file, fields in header order. */
export interface RegulatorRecord {
  readonly fields: readonly string[];
  readonly line: number;
  readonly byteOffset: number | null;
  readonly raw: string;
  /** Set when the record could not be split into the header's fields. */
  readonly defect: RecordDefect | null;
}

/** A regulator CSV opened for reading: its header and its non-blank records. */
export class RegulatorCsv {
  readonly columns: readonly string[];
  readonly encoding: Encoding;
  private readonly source: CsvSource;
  private readonly mend: (s: string) => string;
  /** Rows with nothing but delimiters and blanks: spreadsheet padding, skipped (not records). */
  blankRows = 0;

  constructor(file: string, name: string, encoding: Encoding) {
    this.source = new CsvSource(file, name, encoding);
    this.mend = encoding === 'windows-1252' ? mendCp1252 : (s: string) => s;
    this.columns = this.source.columns.map(this.mend);
    this.encoding = encoding;
  }

  *records(onBatch?: (bytesRead: number) => void): Generator<RegulatorRecord> {
    const width = this.columns.length;
    const blank = new RegExp(`^[\\s"${this.source.delimiter === '\t' ? '' : escape(this.source.delimiter)}]*$`, 'u');
    for (let batch = this.source.next(); batch; batch = this.source.next()) {
      for (let row = 0; row < batch.count; row++) {
        const raw = this.mend(batch.raw(row));
        if (blank.test(raw)) {
          this.blankRows++;
          continue;
        }
        const fields: string[] = [];
        for (let c = 0; c < width; c++) {
          const v = batch.value(row, c);
          fields.push(typeof v === 'string' ? this.mend(v) : v === undefined || v === null ? '' : String(v));
        }
        yield { fields, line: batch.line(row) ?? 0, byteOffset: batch.byteOffset(row), raw, defect: batch.defect(row) };
      }
      onBatch?.(this.source.bytesRead());
    }
  }

  get bytesTotal(): number {
    return this.source.bytesTotal;
  }

  close(): void {
    this.source.close();
  }
}

function escape(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/gu, '\\$&');
}
