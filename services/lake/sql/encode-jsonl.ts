import { cellJson, type JsonValue } from './cell-values.js';
import type { SqlResult } from './result.js';

const ROWS_PER_PIECE = 4096;

/**
 * JSON lines (`application/x-ndjson`): one object per row keyed by the (deduplicated) column names, values as in
 * `cell-values.ts`, each line ending in LF. Row count and truncation travel in headers only.
 */
export function* jsonLinesPieces(result: SqlResult): Generator<Buffer> {
  const { columns, rowCount } = result;
  for (let start = 0; start < rowCount; start += ROWS_PER_PIECE) {
    const end = Math.min(rowCount, start + ROWS_PER_PIECE);
    let text = '';
    for (let r = start; r < end; r++) {
      const row: Record<string, JsonValue> = {};
      for (const c of columns) row[c.name] = cellJson(c, r);
      text += `${JSON.stringify(row)}\n`;
    }
    yield Buffer.from(text);
  }
}
