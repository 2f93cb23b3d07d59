import * as arrow from 'apache-arrow';
import { DuckDBDecimalValue, DuckDBTypeId } from '@duckdb/node-api';
import { cellText } from './cell-values.js';
import type { FixedArray } from '../chunk-columns.js';
import { isValid, type ColumnValues, type SqlColumn, type SqlResult } from './result.js';

/** Strings repeat enough to send as dictionary codes when distinct values are at most this share of the rows. */
const DICTIONARY_SHARE = 0.25;
const DICTIONARY_MIN_ROWS = 64;

/**
 * An Arrow IPC stream of one record batch. Fixed-width columns go over as DuckDB laid them out (the result already
 * holds them as typed arrays and validity bitmaps, which is Arrow's layout): integers and floats as themselves,
 * DATE as Date32 (days), TIME as Time64[µs], TIMESTAMP WITH TIME ZONE as Timestamp[µs, UTC], TIMESTAMP as
 * Timestamp[unit] without zone. VARCHAR is Utf8, or Dictionary<Int32, Utf8> when values repeat; BOOLEAN is Bool;
 * DECIMAL and HUGEINT are Float64; anything else is Utf8 of its text. Schema metadata carries `avlog.row_count`,
 * `avlog.truncated` and `avlog.elapsed_ms`.
 */
export function encodeArrow(result: SqlResult): Uint8Array {
  const n = result.rowCount;
  const fields: arrow.Field[] = [];
  const children: arrow.Data[] = [];
  for (const column of result.columns) {
    const data = arrowData(column, n);
    fields.push(new arrow.Field(column.name, data.type, true, new Map([['duckdb.type', column.type]])));
    children.push(data);
  }
  const metadata = new Map([
    ['avlog.row_count', String(n)],
    ['avlog.truncated', String(result.truncated)],
    ['avlog.elapsed_ms', String(result.elapsedMs)],
  ]);
  const schema = new arrow.Schema(fields, metadata);
  const batch = new arrow.RecordBatch(
    schema,
    arrow.makeData({ type: new arrow.Struct(fields), length: n, nullCount: 0, children }),
  );
  return arrow.tableToIPC(new arrow.Table(schema, [batch]), 'stream');
}

/** `makeData` for a fixed-width type given the typed array DuckDB used for it, which is already its Arrow layout. */
const makeFixedData = arrow.makeData as unknown as (props: {
  type: arrow.DataType;
  length: number;
  nullCount: number;
  nullBitmap: Uint8Array | undefined;
  data: FixedArray;
}) => arrow.Data;

function arrowData(column: SqlColumn, n: number): arrow.Data {
  const data = column.data;
  const id = column.duckdbType.typeId;
  if (data.kind === 'fixed') {
    const type = fixedArrowType(id);
    const { nullBitmap, nullCount } = nullsOf(data, n);
    return makeFixedData({ type, length: n, nullCount, nullBitmap, data: data.values });
  }
  switch (id) {
    case DuckDBTypeId.VARCHAR:
      return stringData(
        data.values.map((v) => (typeof v === 'string' ? v : null)),
        n,
      );
    case DuckDBTypeId.BOOLEAN: {
      const bits = new Uint8Array(Math.ceil(n / 8));
      for (let i = 0; i < n; i++) if (data.values[i] === true) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
      const { nullBitmap, nullCount } = nullsOf(data, n);
      return arrow.makeData({ type: new arrow.Bool(), length: n, nullCount, nullBitmap, data: bits });
    }
    case DuckDBTypeId.DECIMAL:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UHUGEINT: {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = data.values[i];
        values[i] =
          v instanceof DuckDBDecimalValue
            ? v.toDouble()
            : typeof v === 'bigint' || typeof v === 'number'
              ? Number(v)
              : 0;
      }
      const { nullBitmap, nullCount } = nullsOf(data, n);
      return arrow.makeData({ type: new arrow.Float64(), length: n, nullCount, nullBitmap, data: values });
    }
    default: {
      const texts: (string | null)[] = new Array(n);
      for (let i = 0; i < n; i++) texts[i] = cellText(column, i);
      return stringData(texts, n);
    }
  }
}

function fixedArrowType(id: DuckDBTypeId): arrow.DataType {
  switch (id) {
    case DuckDBTypeId.TINYINT:
      return new arrow.Int8();
    case DuckDBTypeId.SMALLINT:
      return new arrow.Int16();
    case DuckDBTypeId.INTEGER:
      return new arrow.Int32();
    case DuckDBTypeId.BIGINT:
      return new arrow.Int64();
    case DuckDBTypeId.UTINYINT:
      return new arrow.Uint8();
    case DuckDBTypeId.USMALLINT:
      return new arrow.Uint16();
    case DuckDBTypeId.UINTEGER:
      return new arrow.Uint32();
    case DuckDBTypeId.UBIGINT:
      return new arrow.Uint64();
    case DuckDBTypeId.FLOAT:
      return new arrow.Float32();
    case DuckDBTypeId.DOUBLE:
      return new arrow.Float64();
    case DuckDBTypeId.DATE:
      return new arrow.DateDay();
    case DuckDBTypeId.TIME:
      return new arrow.TimeMicrosecond();
    case DuckDBTypeId.TIMESTAMP_TZ:
      return new arrow.TimestampMicrosecond('UTC');
    case DuckDBTypeId.TIMESTAMP:
      return new arrow.TimestampMicrosecond();
    case DuckDBTypeId.TIMESTAMP_S:
      return new arrow.TimestampSecond();
    case DuckDBTypeId.TIMESTAMP_MS:
      return new arrow.TimestampMillisecond();
    case DuckDBTypeId.TIMESTAMP_NS:
      return new arrow.TimestampNanosecond();
    default:
      throw new Error(`no Arrow type for fixed-width DuckDB type ${DuckDBTypeId[id]}`);
  }
}

function nullsOf(data: ColumnValues, n: number): { nullBitmap: Uint8Array | undefined; nullCount: number } {
  if (data.kind === 'fixed' && data.validity === null) return { nullBitmap: undefined, nullCount: 0 };
  const bits = new Uint8Array(Math.ceil(n / 8));
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    if (isValid(data, i)) bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
    else nullCount++;
  }
  return nullCount === 0 ? { nullBitmap: undefined, nullCount: 0 } : { nullBitmap: bits, nullCount };
}

/** Utf8, or a dictionary of Utf8 with Int32 codes when the values repeat. */
function stringData(values: (string | null)[], n: number): arrow.Data {
  const bits = new Uint8Array(Math.ceil(n / 8));
  let nullCount = 0;
  const codes = new Int32Array(n);
  const dictionary = new Map<string, number>();
  const limit = n >= DICTIONARY_MIN_ROWS ? Math.floor(n * DICTIONARY_SHARE) : -1;
  let useDictionary = limit > 0;
  for (let i = 0; i < n; i++) {
    const v = values[i] ?? null;
    if (v === null) {
      nullCount++;
      continue;
    }
    bits[i >> 3] = (bits[i >> 3] ?? 0) | (1 << (i & 7));
    if (!useDictionary) continue;
    let code = dictionary.get(v);
    if (code === undefined) {
      code = dictionary.size;
      dictionary.set(v, code);
      if (dictionary.size > limit) useDictionary = false;
    }
    codes[i] = code;
  }
  const nullBitmap = nullCount === 0 ? undefined : bits;
  if (!useDictionary) return utf8Data(values, n, nullBitmap, nullCount);
  const words = [...dictionary.keys()];
  const dictionaryVector = arrow.makeVector(utf8Data(words, words.length, undefined, 0));
  return arrow.makeData({
    type: new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32()),
    length: n,
    nullCount,
    nullBitmap,
    data: codes,
    dictionary: dictionaryVector,
  });
}

function utf8Data(
  values: (string | null)[],
  n: number,
  nullBitmap: Uint8Array | undefined,
  nullCount: number,
): arrow.Data<arrow.Utf8> {
  const offsets = new Int32Array(n + 1);
  const encoder = new TextEncoder();
  let bytes = new Uint8Array(Math.max(64, n * 8));
  let at = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v) {
      // At most 3 bytes per UTF-16 unit.
      if (at + v.length * 3 > bytes.length) {
        const next = new Uint8Array(Math.max(bytes.length * 2, at + v.length * 3));
        next.set(bytes.subarray(0, at));
        bytes = next;
      }
      at += encoder.encodeInto(v, bytes.subarray(at)).written;
    }
    offsets[i + 1] = at;
  }
  return arrow.makeData({
    type: new arrow.Utf8(),
    length: n,
    nullCount,
    nullBitmap,
    valueOffsets: offsets,
    data: bytes.subarray(0, at),
  });
}
