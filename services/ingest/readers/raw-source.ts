import type { MISSING } from '../normalize/numbers.js';
import type { TimestampParser } from '../normalize/timestamp.js';
import type { QuarantineReason, SourceFormat } from '../schema/vocab.js';

/** A record the reader itself could not turn into fields. */
export interface RecordDefect {
  readonly reason: QuarantineReason;
  readonly detail: string;
}

/**
 * A batch of records as the source wrote them, before any interpretation. Fields are addressed by the column
 * index the reader reported in `columns`; values are strings (text formats) or numbers/bigints (typed formats).
 */
export interface RawBatch {
  readonly count: number;
  value(row: number, column: number): unknown;
  /** The field as a number: MISSING when blank, NaN when not a number. */
  number(row: number, column: number): number | typeof MISSING;
  /** The field as trimmed text, null when blank. */
  text(row: number, column: number): string | null;
  /** The field as epoch µs (NaN when unreadable, MISSING when blank). */
  timestamp(row: number, column: number, parser: TimestampParser): number | typeof MISSING;
  /** 1-based line for text formats, null for binary ones. */
  line(row: number): number | null;
  byteOffset(row: number): number | null;
  /** 0-based record index in the source (used as `source_row` for binary formats). */
  recordIndex(row: number): number;
  /** The record as text, for quarantine. */
  raw(row: number): string;
  /** Set when the reader could not split the record into fields. */
  defect(row: number): RecordDefect | null;
}

/**
 * One streaming, synchronous reader per format. Synchronous on purpose: DuckDB pulls rows through a table
 * function whose callback must fill a chunk before returning, so the whole read → normalise path runs inside it.
 */
export interface RawSource {
  readonly format: SourceFormat;
  /** Column names as the source declares them (CSV header, JSON keys seen first, Arrow schema). */
  readonly columns: readonly string[];
  readonly encoding: string | null;
  /** Unit of a typed timestamp column, when the format carries one (Arrow): name → µs per unit. */
  readonly timestampScale: ReadonlyMap<number, number>;
  /** Next batch, or null at the end. Throws SourceError when the file is not readable as this format. */
  next(): RawBatch | null;
  bytesRead(): number;
  readonly bytesTotal: number;
  close(): void;
  /**
   * Formats that record events beside telemetry (MCAP and ROS bag event channels) return them as a second,
   * independent source with EVENT_FIELDS column names (a fresh pass over the file, so it may be opened after
   * close()); null when there are none. The ingest reads it after the telemetry (see pipeline/recording-events.ts).
   */
  events?(): RawSource | null;
  /** What the source held, for a message when it yields nothing (a recording: its topics and types, and which are read). */
  describe?(): string;
}
