import * as arrow from 'apache-arrow';

/** The value kinds a canonical column can hold; each maps to one DuckDB, Arrow and TypeScript type. */
export const COLUMN_KINDS = {
  f64: { duckdb: 'DOUBLE', arrow: () => new arrow.Float64() },
  i64: { duckdb: 'BIGINT', arrow: () => new arrow.Int64() },
  i32: { duckdb: 'INTEGER', arrow: () => new arrow.Int32() },
  /** UTC instant, microsecond precision. */
  ts: { duckdb: 'TIMESTAMPTZ', arrow: () => new arrow.TimestampMicrosecond('UTC') },
  str: { duckdb: 'VARCHAR', arrow: () => new arrow.Utf8() },
  /** Calendar date. */
  date: { duckdb: 'DATE', arrow: () => new arrow.DateDay() },
  bool: { duckdb: 'BOOLEAN', arrow: () => new arrow.Bool() },
} as const;

export type ColumnKind = keyof typeof COLUMN_KINDS;

export interface ColumnDecl {
  readonly kind: ColumnKind;
  readonly nullable: boolean;
  readonly doc: string;
}

interface JsTypeOf {
  f64: number;
  i64: bigint;
  i32: number;
  ts: Date;
  str: string;
  date: string;
  bool: boolean;
}

/** The TypeScript row type of a table declaration: nullable columns admit `null`. */
export type RowOf<T extends Record<string, ColumnDecl>> = {
  [K in keyof T]: T[K]['nullable'] extends true ? JsTypeOf[T[K]['kind']] | null : JsTypeOf[T[K]['kind']];
};

export function col<K extends ColumnKind, N extends boolean>(kind: K, nullable: N, doc: string) {
  return { kind, nullable, doc } as const;
}

export function arrowSchemaOf(columns: Record<string, ColumnDecl>): arrow.Schema {
  return new arrow.Schema(
    Object.entries(columns).map(([name, c]) => new arrow.Field(name, COLUMN_KINDS[c.kind].arrow(), c.nullable)),
  );
}

/** `name TYPE, …` for CREATE TABLE / read_json(columns=…). */
export function duckdbColumnsOf(columns: Record<string, ColumnDecl>): Record<string, string> {
  return Object.fromEntries(Object.entries(columns).map(([name, c]) => [name, COLUMN_KINDS[c.kind].duckdb]));
}
