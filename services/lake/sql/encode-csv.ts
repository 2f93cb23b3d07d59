import { cellText } from './cell-values.js';
import type { SqlResult } from './result.js';

const ROWS_PER_PIECE = 4096;

/**
 * RFC 4180 CSV as UTF-8 bytes: a header of column names, CRLF line ends, fields quoted (quotes doubled) when they
 * hold a comma, a quote, CR or LF, or start or end with a space; NULL as an empty field, an empty string as `""`.
 * Values read as in `cell-values.ts` (timestamps ISO 8601, nested values as JSON text).
 */
export function encodeCsv(result: SqlResult): Buffer {
  const { columns, rowCount } = result;
  const pieces: Buffer[] = [Buffer.from(`${columns.map((c) => csvField(c.name)).join(',')}\r\n`)];
  for (let start = 0; start < rowCount; start += ROWS_PER_PIECE) {
    const end = Math.min(rowCount, start + ROWS_PER_PIECE);
    let text = '';
    for (let r = start; r < end; r++) text += `${columns.map((c) => csvField(cellText(c, r))).join(',')}\r\n`;
    pieces.push(Buffer.from(text));
  }
  return Buffer.concat(pieces);
}

export function csvField(value: string | null): string {
  if (value === null) return '';
  if (value === '') return '""';
  return /[",\r\n]|^ | $/u.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}
