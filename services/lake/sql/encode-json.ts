import { cellJson } from './cell-values.js';
import type { SqlResult } from './result.js';

/** Rows per piece of output text: bounds the size of each string built (a result can exceed V8's string limit). */
const ROWS_PER_PIECE = 4096;

/**
 * `{ "columns": [{name, type}], "rows": [[…], …], "row_count", "truncated", "elapsed_ms" }` as UTF-8 bytes. Rows
 * are arrays in column order (column names may repeat); values as described in `cell-values.ts`.
 */
export function encodeJson(result: SqlResult): Buffer {
  return Buffer.concat([...jsonPieces(result)]);
}

/** `encodeJson`'s bytes in pieces of at most ROWS_PER_PIECE rows, for streaming. */
export function* jsonPieces(result: SqlResult): Generator<Buffer> {
  const { columns, rowCount } = result;
  yield Buffer.from(`{"columns":${JSON.stringify(columns.map((c) => ({ name: c.name, type: c.type })))},"rows":[`);
  for (let start = 0; start < rowCount; start += ROWS_PER_PIECE) {
    const end = Math.min(rowCount, start + ROWS_PER_PIECE);
    const rows: string[] = [];
    for (let r = start; r < end; r++) rows.push(JSON.stringify(columns.map((c) => cellJson(c, r))));
    yield Buffer.from(`${start === 0 ? '' : ','}${rows.join(',')}`);
  }
  yield Buffer.from(`],"row_count":${rowCount},"truncated":${result.truncated},"elapsed_ms":${result.elapsedMs}}`);
}
