import type { DuckDBDataChunk, DuckDBType, DuckDBValue } from '@duckdb/node-api';
import { fixedValues, validityBits, type FixedArray, type FixedArrayType } from '../chunk-columns.js';
import { FIXED_ARRAYS, type ColumnValues } from './result.js';

/**
 * Accumulates one result column from DuckDB chunks, one after the other. Fixed-width columns are copied as memory
 * with their validity bits (`chunk-columns.ts`, read the same way the lake writer writes them); other types are
 * read as node-api values.
 */
export class ColumnBuilder {
  readonly type: DuckDBType;
  private readonly ctor: FixedArrayType | undefined;
  private fixed: FixedArray | null = null;
  private validity: Uint8Array | null = null;
  private readonly boxed: (DuckDBValue | null)[] = [];
  private length = 0;
  /** Estimated bytes held (fixed width, or string lengths). */
  bytes = 0;

  constructor(type: DuckDBType) {
    this.type = type;
    this.ctor = FIXED_ARRAYS[type.typeId];
  }

  /** Appends the first `count` rows of the chunk's column `column`. */
  append(chunk: DuckDBDataChunk, column: number, count: number): void {
    if (this.ctor) this.appendFixed(chunk, column, count, this.ctor);
    else this.appendBoxed(chunk, column, count);
    this.length += count;
  }

  finish(): ColumnValues {
    if (!this.ctor) return { kind: 'boxed', values: this.boxed };
    const values = (this.fixed ?? new this.ctor(0)).subarray(0, this.length) as FixedArray;
    return {
      kind: 'fixed',
      values,
      validity: this.validity ? this.validity.subarray(0, Math.ceil(this.length / 8)) : null,
    };
  }

  private appendFixed(chunk: DuckDBDataChunk, column: number, count: number, ctor: FixedArrayType): void {
    const target = this.reserve(count, ctor);
    (target as { set(a: ArrayLike<number | bigint>, offset: number): void }).set(
      fixedValues(chunk, column, ctor, count) as ArrayLike<number | bigint>,
      this.length,
    );
    this.copyValidity(validityBits(chunk, column, count), count);
    this.bytes += count * target.BYTES_PER_ELEMENT;
  }

  private appendBoxed(chunk: DuckDBDataChunk, column: number, count: number): void {
    const vector = chunk.getColumnVector(column);
    for (let i = 0; i < count; i++) {
      const v = vector.getItem(i) as DuckDBValue | null;
      this.boxed.push(v);
      this.bytes += typeof v === 'string' ? v.length + 16 : 16;
    }
  }

  /** Copies a chunk's validity bits (null: every row valid) to rows [length, length+count) of the column's bitmap. */
  private copyValidity(bits: Uint8Array | null, count: number): void {
    if (bits === null) {
      if (this.validity) for (let i = 0; i < count; i++) this.setValid(this.length + i, true);
      return;
    }
    for (let i = 0; i < count; i++) {
      const valid = (((bits[i >> 3] ?? 0) >> (i & 7)) & 1) === 1;
      if (!valid || this.validity) this.setValid(this.length + i, valid);
    }
  }

  private setValid(row: number, valid: boolean): void {
    if (!this.validity) {
      if (valid) return;
      const capacity = this.fixed?.length ?? row + 1;
      this.validity = new Uint8Array(Math.ceil(capacity / 8)).fill(0xff);
    }
    if (row >> 3 >= this.validity.length)
      this.validity = grow(this.validity, Math.ceil((this.fixed?.length ?? row + 1) / 8), 0xff);
    const byte = row >> 3;
    const mask = 1 << (row & 7);
    const old = this.validity[byte] ?? 0;
    this.validity[byte] = valid ? old | mask : old & ~mask;
  }

  private reserve(count: number, ctor: FixedArrayType): FixedArray {
    const need = this.length + count;
    if (!this.fixed || this.fixed.length < need) {
      const next = new ctor(Math.max(need, (this.fixed?.length ?? 0) * 2, 2048));
      if (this.fixed)
        (next as { set(a: ArrayLike<number | bigint>): void }).set(this.fixed as ArrayLike<number | bigint>);
      this.fixed = next;
      if (this.validity) this.validity = grow(this.validity, Math.ceil(next.length / 8), 0xff);
    }
    return this.fixed;
  }
}

function grow(bits: Uint8Array, bytes: number, fill: number): Uint8Array {
  if (bits.length >= bytes) return bits;
  const next = new Uint8Array(bytes).fill(fill);
  next.set(bits);
  return next;
}
