import { DuckDBTypeId, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import type { FixedArray, FixedArrayType } from '../chunk-columns.js';

/**
 * One result column's values, copied out of DuckDB's chunks so the result outlives the query's connection.
 * Fixed-width types keep DuckDB's own memory layout (what Arrow wants): a typed array and a validity bitmap
 * (bit i of byte i>>3, least significant first; null when every value is valid). Everything else holds
 * node-api values, null for SQL NULL.
 */
export type ColumnValues =
  | { kind: 'fixed'; values: FixedArray; validity: Uint8Array | null }
  | { kind: 'boxed'; values: (DuckDBValue | null)[] };

export interface SqlColumn {
  name: string;
  /** DuckDB's name of the type, e.g. `BIGINT`, `TIMESTAMP WITH TIME ZONE`, `DECIMAL(18,3)`, `VARCHAR[]`. */
  type: string;
  duckdbType: DuckDBType;
  data: ColumnValues;
}

/** What a query returned: at most the row limit's rows; `truncated` when there were more. */
export interface SqlResult {
  columns: SqlColumn[];
  rowCount: number;
  truncated: boolean;
  /** Milliseconds from receiving the query to its last row fetched. */
  elapsedMs: number;
}

export function isValid(data: ColumnValues, row: number): boolean {
  if (data.kind === 'boxed') return data.values[row] !== null && data.values[row] !== undefined;
  if (data.validity === null) return true;
  return (((data.validity[row >> 3] ?? 0) >> (row & 7)) & 1) === 1;
}

/** The raw value of a fixed-width cell (number or bigint in DuckDB's representation), or null. */
export function fixedCell(data: Extract<ColumnValues, { kind: 'fixed' }>, row: number): number | bigint | null {
  if (!isValid(data, row)) return null;
  return data.values[row] ?? null;
}

/** Type ids stored as typed arrays, with the array type DuckDB uses for them. */
export const FIXED_ARRAYS: Partial<Record<DuckDBTypeId, FixedArrayType>> = {
  [DuckDBTypeId.TINYINT]: Int8Array,
  [DuckDBTypeId.SMALLINT]: Int16Array,
  [DuckDBTypeId.INTEGER]: Int32Array,
  [DuckDBTypeId.BIGINT]: BigInt64Array,
  [DuckDBTypeId.UTINYINT]: Uint8Array,
  [DuckDBTypeId.USMALLINT]: Uint16Array,
  [DuckDBTypeId.UINTEGER]: Uint32Array,
  [DuckDBTypeId.UBIGINT]: BigUint64Array,
  [DuckDBTypeId.FLOAT]: Float32Array,
  [DuckDBTypeId.DOUBLE]: Float64Array,
  [DuckDBTypeId.DATE]: Int32Array,
  [DuckDBTypeId.TIME]: BigInt64Array,
  [DuckDBTypeId.TIMESTAMP]: BigInt64Array,
  [DuckDBTypeId.TIMESTAMP_S]: BigInt64Array,
  [DuckDBTypeId.TIMESTAMP_MS]: BigInt64Array,
  [DuckDBTypeId.TIMESTAMP_NS]: BigInt64Array,
  [DuckDBTypeId.TIMESTAMP_TZ]: BigInt64Array,
};
