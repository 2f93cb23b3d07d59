import {
  DuckDBArrayValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBListValue,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampValue,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';
import { fixedCell, type SqlColumn } from './result.js';

/**
 * How result values read as JSON and as text, shared by the JSON and CSV encoders:
 *  - integers as numbers, BIGINT/HUGEINT as numbers while exactly representable, else as decimal strings;
 *  - DOUBLE/FLOAT as numbers, NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity";
 *  - DECIMAL as a number;
 *  - DATE as YYYY-MM-DD; TIMESTAMP WITH TIME ZONE as ISO 8601 UTC (…Z); TIMESTAMP as ISO 8601 without zone;
 *    milliseconds always, more digits only when the value has them;
 *  - LIST/ARRAY as arrays, STRUCT as objects, MAP as an object (string keys) or [{key, value}];
 *  - anything else (INTERVAL, UUID, BLOB, TIME, …) as DuckDB's own text.
 */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function cellJson(column: SqlColumn, row: number): JsonValue {
  const data = column.data;
  if (data.kind === 'boxed') return valueJson(data.values[row] ?? null);
  const raw = fixedCell(data, row);
  if (raw === null) return null;
  switch (column.duckdbType.typeId) {
    case DuckDBTypeId.DATE:
      return dateText(Number(raw));
    case DuckDBTypeId.TIME:
      return timeText(BigInt(raw));
    case DuckDBTypeId.TIMESTAMP:
      return isoText(BigInt(raw), 1_000_000n, false);
    case DuckDBTypeId.TIMESTAMP_TZ:
      return isoText(BigInt(raw), 1_000_000n, true);
    case DuckDBTypeId.TIMESTAMP_S:
      return isoText(BigInt(raw), 1n, false);
    case DuckDBTypeId.TIMESTAMP_MS:
      return isoText(BigInt(raw), 1000n, false);
    case DuckDBTypeId.TIMESTAMP_NS:
      return isoText(BigInt(raw), 1_000_000_000n, false);
    default:
      return numberJson(raw);
  }
}

/** A cell as CSV text: null for SQL NULL; nested values as JSON text. */
export function cellText(column: SqlColumn, row: number): string | null {
  const v = cellJson(column, row);
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export function valueJson(v: DuckDBValue): JsonValue {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return numberJson(v);
  if (v instanceof DuckDBDecimalValue) return numberJson(v.toDouble());
  if (v instanceof DuckDBListValue || v instanceof DuckDBArrayValue) return v.items.map(valueJson);
  if (v instanceof DuckDBStructValue)
    return Object.fromEntries(Object.entries(v.entries).map(([k, x]) => [k, valueJson(x)]));
  if (v instanceof DuckDBMapValue) {
    const keys = v.entries.map((e) => e.key);
    if (keys.every((k) => typeof k === 'string') && new Set(keys).size === keys.length) {
      return Object.fromEntries(v.entries.map((e) => [e.key as string, valueJson(e.value)]));
    }
    return v.entries.map((e) => ({ key: valueJson(e.key), value: valueJson(e.value) }));
  }
  if (v instanceof DuckDBTimestampTZValue) return isoText(v.micros, 1_000_000n, true);
  if (v instanceof DuckDBTimestampValue) return isoText(v.micros, 1_000_000n, false);
  if (v instanceof DuckDBTimestampSecondsValue) return isoText(v.seconds, 1n, false);
  if (v instanceof DuckDBTimestampMillisecondsValue) return isoText(v.millis, 1000n, false);
  if (v instanceof DuckDBTimestampNanosecondsValue) return isoText(v.nanos, 1_000_000_000n, false);
  if (v instanceof DuckDBDateValue) return dateText(v.days);
  return v.toString();
}

function numberJson(v: number | bigint): number | string {
  if (typeof v === 'bigint') {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : v.toString();
  }
  if (Number.isFinite(v)) return v;
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

const INFINITY_DAYS = 2147483647;
const INFINITY_TS = 9223372036854775807n;
const DAY_MS = 86_400_000;

export function dateText(days: number): string {
  if (days >= INFINITY_DAYS) return 'infinity';
  if (days <= -INFINITY_DAYS) return '-infinity';
  const iso = new Date(days * DAY_MS).toISOString();
  return iso.slice(0, iso.indexOf('T'));
}

/** ISO 8601 of a count of `perSecond` units since the epoch: milliseconds always, µs or ns digits when present. */
export function isoText(value: bigint, perSecond: bigint, zulu: boolean): string {
  if (value >= INFINITY_TS) return 'infinity';
  if (value <= -INFINITY_TS) return '-infinity';
  let seconds = value / perSecond;
  let fraction = value % perSecond;
  if (fraction < 0n) {
    seconds -= 1n;
    fraction += perSecond;
  }
  const date = new Date(Number(seconds) * 1000);
  if (Number.isNaN(date.getTime())) return `${value}`;
  const base = date.toISOString().replace(/\.\d{3}Z$/u, '');
  const digits = perSecond === 1n ? 0 : perSecond.toString().length - 1;
  let frac = fraction.toString().padStart(digits, '0');
  while (frac.length > 3 && frac.endsWith('000')) frac = frac.slice(0, -3);
  return `${base}.${frac.padEnd(3, '0')}${zulu ? 'Z' : ''}`;
}

function timeText(micros: bigint): string {
  const total = Number(micros);
  const s = Math.floor(total / 1e6);
  const us = total - s * 1e6;
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return us === 0 ? `${hh}:${mm}:${ss}` : `${hh}:${mm}:${ss}.${String(us).padStart(6, '0')}`;
}
