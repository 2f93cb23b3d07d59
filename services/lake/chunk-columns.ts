import type { DuckDBDataChunk } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

/** The typed arrays DuckDB's fixed-width vectors are laid out as. */
export type FixedArray =
  | Int8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** A typed array constructor over existing memory. */
export interface FixedArrayType<A extends FixedArray = FixedArray> {
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): A;
  new (length: number): A;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * The first `count` values of a fixed-width column of a result chunk, as a typed array over the chunk's own memory
 * (valid while the chunk is), through the public C API of node-bindings (`duckdb_vector_get_data`) rather than
 * node-api's private vector fields. A NULL's slot holds no meaningful value: read `validityBits` too.
 */
export function fixedValues<A extends FixedArray>(
  chunk: DuckDBDataChunk,
  column: number,
  type: FixedArrayType<A>,
  count: number,
): A {
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
  const bytes = duckdb.vector_get_data(vector, count * type.BYTES_PER_ELEMENT);
  return new type(bytes.buffer, bytes.byteOffset, count);
}

/**
 * The validity bitmap of a chunk's column (row i is not NULL when bit `i & 7` of byte `i >> 3` is set), or null when
 * DuckDB keeps none because no row is NULL.
 */
export function validityBits(chunk: DuckDBDataChunk, column: number, count: number): Uint8Array | null {
  const vector = duckdb.data_chunk_get_vector(chunk.chunk, column);
  const bytes = duckdb.vector_get_validity(vector, Math.ceil(count / 64) * 8) as Uint8Array | null | undefined;
  return bytes ? bytes : null;
}
