import type { DuckDBDataChunk, DuckDBValue } from '@duckdb/node-api';
import { fixedValues, type FixedArrayType } from '../../lake/chunk-columns.js';
import type { LakeRepository } from '../../lake/repository.js';
import type { Scope } from '../../lake/scope.js';

/** Result column kinds and the DuckDB type the SQL must give each. */
const KINDS = {
  f32: { duckdb: 'FLOAT', array: Float32Array },
  f64: { duckdb: 'DOUBLE', array: Float64Array },
  u8: { duckdb: 'UTINYINT', array: Uint8Array },
  u16: { duckdb: 'USMALLINT', array: Uint16Array },
  u32: { duckdb: 'UINTEGER', array: Uint32Array },
  str: { duckdb: 'VARCHAR', array: null },
} as const;
export type ColumnKind = keyof typeof KINDS;

type ArrayOf<K extends ColumnKind> = K extends 'str'
  ? (string | null)[]
  : InstanceType<NonNullable<(typeof KINDS)[K]['array']>>;
export type ColumnSpec = Record<string, ColumnKind>;
export interface Columns<S extends ColumnSpec> {
  length: number;
  columns: { [K in keyof S]: ArrayOf<S[K]> };
}

type NumericArray = Float32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array;
type NumericCtor = FixedArrayType<NumericArray>;

/**
 * Runs a scoped SELECT and copies each result chunk's vector memory into one typed array per column (strings
 * are read value by value: keep them to small results). The SELECT list must match `spec` in order and type;
 * numeric columns must not be NULL (coalesce in SQL: NaN for floats).
 */
export async function queryColumns<S extends ColumnSpec>(
  repo: LakeRepository,
  scope: Scope,
  sql: string,
  params: Record<string, DuckDBValue>,
  spec: S,
): Promise<Columns<S>> {
  const names = Object.keys(spec);
  const builders = names.map((name) => new ColumnAccumulator(spec[name] as ColumnKind));
  const length = await repo.streamChunks(scope, sql, params, {
    start(types) {
      names.forEach((name, i) => {
        const want = KINDS[spec[name] as ColumnKind].duckdb;
        if (types[i] !== want)
          throw new Error(`column ${i} (${name}) of the map query is ${types[i] ?? 'missing'}, expected ${want}`);
      });
    },
    chunk(chunk) {
      builders.forEach((b, i) => b.append(chunk, i));
    },
  });
  const columns = Object.fromEntries(names.map((name, i) => [name, (builders[i] as ColumnAccumulator).finish(length)]));
  return { length, columns: columns as Columns<S>['columns'] };
}

/** One column growing chunk by chunk. */
class ColumnAccumulator {
  private readonly ctor: NumericCtor | null;
  private numeric: NumericArray | null = null;
  private readonly strings: (string | null)[] = [];
  private length = 0;

  constructor(kind: ColumnKind) {
    this.ctor = KINDS[kind].array;
  }

  append(chunk: DuckDBDataChunk, column: number): void {
    const count = chunk.rowCount;
    if (!this.ctor) {
      const vector = chunk.getColumnVector(column);
      for (let i = 0; i < count; i++) this.strings.push(vector.getItem(i) as string | null);
      return;
    }
    this.reserve(this.ctor, count).set(fixedValues(chunk, column, this.ctor, count), this.length);
    this.length += count;
  }

  finish(length: number): NumericArray | (string | null)[] {
    if (!this.ctor) return this.strings;
    return (this.numeric ?? new this.ctor(0)).subarray(0, length);
  }

  private reserve(ctor: NumericCtor, count: number): NumericArray {
    const need = this.length + count;
    if (!this.numeric || this.numeric.length < need) {
      const next = new ctor(Math.max(need, (this.numeric?.length ?? 0) * 2, 4096));
      if (this.numeric) next.set(this.numeric.subarray(0, this.length));
      this.numeric = next;
    }
    return this.numeric;
  }
}
