import type { DuckDBType, DuckDBValue, DuckDBVector } from '@duckdb/node-api';
import { FIXED_ARRAYS, type ColumnValues, type FixedArray } from './result.js';

/** What node-api keeps inside a fixed-width vector: its items over the chunk's memory, and its validity words. */
interface VectorInternals {
  items?: unknown;
  validity?: { data?: unknown; offset?: unknown };
}

/**
 * Accumulates one result column from DuckDB vectors, chunk after chunk. Fixed-width vectors are copied as memory
 * (node-api exposes each as a typed array over the chunk; it is read the same way the lake writer writes them);
 * if that internal shape ever changes, values are read one by one instead, still correctly. Other types are read
 * as node-api values.
 */
export class ColumnBuilder {
  readonly type: DuckDBType;
  private readonly ctor: (new (length: number) => FixedArray) | undefined;
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

  /** Appends the first `count` rows of the vector. */
  append(vector: DuckDBVector, count: number): void {
    if (this.ctor) this.appendFixed(vector, count, this.ctor);
    else this.appendBoxed(vector, count);
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

  private appendFixed(vector: DuckDBVector, count: number, ctor: new (length: number) => FixedArray): void {
    const target = this.reserve(count, ctor);
    const internals = vector as unknown as VectorInternals;
    const items = internals.items;
    if (items instanceof ctor && items.length >= count) {
      (target as { set(a: ArrayLike<number | bigint>, offset: number): void }).set(
        items.subarray(0, count) as ArrayLike<number | bigint>,
        this.length,
      );
      this.copyValidity(internals, vector, count);
    } else {
      for (let i = 0; i < count; i++) {
        const v = vector.getItem(i);
        if (v === null) this.setValid(this.length + i, false);
        else {
          (target as unknown as (number | bigint)[])[this.length + i] = rawOf(v);
          if (this.validity) this.setValid(this.length + i, true);
        }
      }
    }
    this.bytes += count * target.BYTES_PER_ELEMENT;
  }

  private appendBoxed(vector: DuckDBVector, count: number): void {
    for (let i = 0; i < count; i++) {
      const v = vector.getItem(i) as DuckDBValue | null;
      this.boxed.push(v);
      this.bytes += typeof v === 'string' ? v.length + 16 : 16;
    }
  }

  /** Copies the chunk's validity bits to rows [length, length+count) of the column's bitmap. */
  private copyValidity(internals: VectorInternals, vector: DuckDBVector, count: number): void {
    const words = internals.validity?.data;
    const offset = internals.validity?.offset;
    let bits: Uint8Array | null;
    if (words === null && offset === 0) bits = null;
    else if (words instanceof BigUint64Array && offset === 0)
      bits = new Uint8Array(words.buffer, words.byteOffset, words.byteLength);
    else {
      // Unknown internals: ask each value.
      for (let i = 0; i < count; i++) {
        const valid = vector.getItem(i) !== null;
        if (!valid || this.validity) this.setValid(this.length + i, valid);
      }
      return;
    }
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

  private reserve(count: number, ctor: new (length: number) => FixedArray): FixedArray {
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

/** The stored number of a fixed-width node-api value (dates in days, times and timestamps in their unit). */
function rawOf(v: DuckDBValue): number | bigint {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  const o = v as unknown as Record<string, unknown>;
  for (const key of ['days', 'micros', 'millis', 'nanos', 'seconds']) {
    const x = o[key];
    if (typeof x === 'number' || typeof x === 'bigint') return x;
  }
  throw new Error(`cannot read ${String(v)} as a fixed-width value`);
}
