import { encodeArrow } from './encode-arrow.js';
import { csvPieces } from './encode-csv.js';
import { jsonPieces } from './encode-json.js';
import { jsonLinesPieces } from './encode-jsonl.js';
import { SqlRejected } from './errors.js';
import type { SqlResult } from './result.js';

export type SqlFormat = 'json' | 'jsonl' | 'csv' | 'arrow';

export const SQL_CONTENT_TYPES: Record<SqlFormat, string> = {
  json: 'application/json; charset=utf-8',
  jsonl: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
  arrow: 'application/vnd.apache.arrow.stream',
};

const MEDIA: Record<SqlFormat, string> = {
  json: 'application/json',
  jsonl: 'application/x-ndjson',
  csv: 'text/csv',
  arrow: 'application/vnd.apache.arrow.stream',
};
const PREFERENCE: SqlFormat[] = ['json', 'arrow', 'csv', 'jsonl'];

export interface EncodedResult {
  status: number;
  contentType: string;
  body: Uint8Array;
  /** Also said in the body (JSON) or schema metadata (Arrow); repeated here for CSV and for clients that stream. */
  headers: Record<string, string>;
}

/**
 * The format an `Accept` header asks for: JSON, JSON lines (`application/x-ndjson`), CSV (`text/csv`) or Arrow IPC stream
 * (`application/vnd.apache.arrow.stream`); JSON when the header is absent or accepts anything; null when it
 * accepts none of them (answer 406). Quality values count; equal ones go to the range listed first.
 */
export function negotiateFormat(accept: string | undefined | null): SqlFormat | null {
  if (!accept || accept.trim() === '') return 'json';
  const ranges = accept.split(',').map((part, index) => {
    const [range = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const quality = q === undefined ? 1 : Number(q.slice(2));
    return { range: range.trim(), quality: Number.isFinite(quality) ? quality : 0, index };
  });
  let best: { format: SqlFormat; quality: number; index: number } | null = null;
  for (const format of PREFERENCE) {
    const [type, subtype] = MEDIA[format].split('/');
    let match: { quality: number; index: number; specificity: number } | null = null;
    for (const r of ranges) {
      const [rt, rs] = r.range.split('/');
      const specificity =
        rt === type && rs === subtype ? 2 : rt === type && rs === '*' ? 1 : rt === '*' && rs === '*' ? 0 : -1;
      if (specificity < 0) continue;
      if (!match || specificity > match.specificity) match = { quality: r.quality, index: r.index, specificity };
    }
    if (!match || match.quality <= 0) continue;
    if (!best || match.quality > best.quality || (match.quality === best.quality && match.index < best.index)) {
      best = { format, quality: match.quality, index: match.index };
    }
  }
  return best?.format ?? null;
}

/** The result in the format a format name or an `Accept` header asks for (throws `not_acceptable` when none fits). */
export function encode(result: SqlResult, accept: string | undefined | null): EncodedResult {
  const format = negotiateFormat(accept);
  if (!format) {
    throw new SqlRejected(
      'not_acceptable',
      `results come as ${Object.values(MEDIA).join(', ')} (Accept: ${accept ?? ''})`,
    );
  }
  return encodeAs(result, format);
}

export function encodeAs(result: SqlResult, format: SqlFormat): EncodedResult {
  return { ...resultHead(result, format), body: Buffer.concat([...encodePieces(result, format)]) };
}

/** Status, content type and headers of a result, known before its first byte is sent. */
export function resultHead(result: SqlResult, format: SqlFormat): Omit<EncodedResult, 'body'> {
  return {
    status: 200,
    contentType: SQL_CONTENT_TYPES[format],
    headers: {
      'x-avlog-row-count': String(result.rowCount),
      'x-avlog-truncated': String(result.truncated),
      'x-avlog-elapsed-ms': String(result.elapsedMs),
    },
  };
}

/** The result's bytes in the format, piece by piece (a few thousand rows each; Arrow as one piece). */
export function* encodePieces(result: SqlResult, format: SqlFormat): Generator<Uint8Array> {
  if (format === 'json') yield* jsonPieces(result);
  else if (format === 'jsonl') yield* jsonLinesPieces(result);
  else if (format === 'csv') yield* csvPieces(result);
  else yield encodeArrow(result);
}

/** The JSON error answer for a rejected query: its 4xx status and `{ error: { code, message } }`. */
export function encodeRejection(rejection: SqlRejected): EncodedResult {
  return {
    status: rejection.status,
    contentType: SQL_CONTENT_TYPES.json,
    body: Buffer.from(JSON.stringify(rejection.toJSON())),
    headers: rejection.retryAfterS === undefined ? {} : { 'retry-after': String(rejection.retryAfterS) },
  };
}
