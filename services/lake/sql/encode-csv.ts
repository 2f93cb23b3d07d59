import { csvRecord } from '../../core/csv.js';
import { cellText } from './cell-values.js';
import type { SqlResult } from './result.js';

const ROWS_PER_PIECE = 4096;

/**
 * RFC 4180 CSV as UTF-8 bytes: a header of column names, CRLF line ends, fields escaped by `core/csv.ts` (NULL an
 * empty field, an empty string `""`, formula-like cells neutralised).
 * Values read as in `cell-values.ts` (timestamps ISO 8601, nested values as JSON text).
 */
export function encodeCsv(result: SqlResult): Buffer {
  return Buffer.concat([...csvPieces(result)]);
}

/** `encodeCsv`'s bytes in pieces of at most ROWS_PER_PIECE rows, for streaming. */
export function* csvPieces(result: SqlResult): Generator<Buffer> {
  const { columns, rowCount } = result;
  yield Buffer.from(`${csvRecord(columns.map((c) => c.name))}\r\n`);
  for (let start = 0; start < rowCount; start += ROWS_PER_PIECE) {
    const end = Math.min(rowCount, start + ROWS_PER_PIECE);
    let text = '';
    for (let r = start; r < end; r++) text += `${csvRecord(columns.map((c) => cellText(c, r)))}\r\n`;
    yield Buffer.from(text);
  }
}
