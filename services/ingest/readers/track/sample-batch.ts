import { MISSING } from '../../normalize/numbers.js';
import type { TimestampParser } from '../../normalize/timestamp.js';
import type { QuarantineReason } from '../../schema/vocab.js';
import type { RawBatch, RecordDefect } from '../raw-source.js';

/**
 * The columns every binary track reader (MCAP, ROS bag, NMEA, GB/T 32960) exposes: canonical names the
 * telemetry pipeline maps as they are. Timestamps are epoch µs; numbers are NaN when the log had no value.
 */
export const SAMPLE_COLUMNS = [
  'ts_us',
  'lat',
  'lon',
  'speed_mps',
  'heading_deg',
  'accel_lon_mps2',
  'accel_lat_mps2',
  'odometer_km',
  'mode',
  'ads_version',
  'vehicle_id',
  'company_id',
] as const;
export type SampleColumn = (typeof SAMPLE_COLUMNS)[number];

/** Index of each column in SAMPLE_COLUMNS. */
export const COL = Object.fromEntries(SAMPLE_COLUMNS.map((c, i) => [c, i])) as { readonly [K in SampleColumn]: number };

const NUMERIC_COLUMNS = 8;
const TEXT_COLUMNS = SAMPLE_COLUMNS.length - NUMERIC_COLUMNS;

/** One merged sample as a reader produces it. */
export interface Sample {
  tsUs: number;
  lat: number;
  lon: number;
  speed: number;
  heading: number;
  accelLon: number;
  accelLat: number;
  /** Vehicle odometer, km (GB/T 32960 accumulated mileage); NaN elsewhere. No lake column holds it yet. */
  odometerKm?: number;
  mode: string | null;
  ads: string | null;
  vehicle: string | null;
  company: string | null;
}

/** Where a row came from, for quarantine: a byte offset, a record index and what to show as the raw record. */
export interface RowOrigin {
  byteOffset: number | null;
  record: number;
  /** The record as text (NMEA line, hex of a frame, JSON); null renders the sample itself as JSON. */
  raw: string | null;
  /** Topic or sentence the sample was built from, shown in the rendered raw text. */
  from: string | null;
  /** 1-based line, for text formats (NMEA). */
  line?: number;
}

/**
 * A batch of samples and defect rows in typed columns. Values are addressed by column index into
 * SAMPLE_COLUMNS; `raw` renders a sample as JSON only when the pipeline quarantines it.
 */
export class SampleBatch implements RawBatch {
  count = 0;
  private readonly capacity: number;
  private readonly numbers: Float64Array[];
  private readonly texts: (string | null)[][];
  private readonly offsets: (number | null)[] = [];
  private readonly lines: (number | null)[] = [];
  private readonly records: number[] = [];
  private readonly raws: (string | null)[] = [];
  private readonly froms: (string | null)[] = [];
  private readonly defects: (RecordDefect | null)[] = [];

  constructor(capacity = 8192) {
    this.capacity = capacity;
    this.numbers = Array.from({ length: NUMERIC_COLUMNS }, () => new Float64Array(capacity));
    this.texts = Array.from({ length: TEXT_COLUMNS }, () => new Array<string | null>(capacity).fill(null));
  }

  get full(): boolean {
    return this.count >= this.capacity;
  }

  /** Appends a sample. */
  push(s: Sample, origin: RowOrigin): void {
    const r = this.count++;
    const n = this.numbers;
    (n[0] as Float64Array)[r] = s.tsUs;
    (n[1] as Float64Array)[r] = s.lat;
    (n[2] as Float64Array)[r] = s.lon;
    (n[3] as Float64Array)[r] = s.speed;
    (n[4] as Float64Array)[r] = s.heading;
    (n[5] as Float64Array)[r] = s.accelLon;
    (n[6] as Float64Array)[r] = s.accelLat;
    (n[7] as Float64Array)[r] = s.odometerKm ?? NaN;
    const t = this.texts;
    (t[0] as (string | null)[])[r] = s.mode;
    (t[1] as (string | null)[])[r] = s.ads;
    (t[2] as (string | null)[])[r] = s.vehicle;
    (t[3] as (string | null)[])[r] = s.company;
    this.origin(origin, null);
  }

  /**
   * Appends a record the reader could not use: the pipeline quarantines it with this reason. A sample given
   * (e.g. a fix whose clock went backwards) is kept for the rendered raw text.
   */
  pushDefect(reason: QuarantineReason, detail: string, origin: RowOrigin, sample: Sample | null = null): void {
    if (sample) {
      this.push(sample, origin);
      this.defects[this.count - 1] = { reason, detail };
      return;
    }
    const r = this.count++;
    for (const col of this.numbers) col[r] = NaN;
    for (const col of this.texts) col[r] = null;
    this.origin(origin, { reason, detail });
  }

  private origin(o: RowOrigin, defect: RecordDefect | null): void {
    this.offsets.push(o.byteOffset);
    this.lines.push(o.line ?? null);
    this.records.push(o.record);
    this.raws.push(o.raw);
    this.froms.push(o.from);
    this.defects.push(defect);
  }

  value(row: number, column: number): unknown {
    if (column < NUMERIC_COLUMNS) {
      const v = (this.numbers[column] as Float64Array)[row] as number;
      return Number.isNaN(v) ? null : v;
    }
    return this.texts[column - NUMERIC_COLUMNS]?.[row] ?? null;
  }

  number(row: number, column: number): number | typeof MISSING {
    if (column >= NUMERIC_COLUMNS) return MISSING;
    const v = (this.numbers[column] as Float64Array)[row] as number;
    return Number.isNaN(v) ? MISSING : v;
  }

  text(row: number, column: number): string | null {
    if (column < NUMERIC_COLUMNS) {
      const v = (this.numbers[column] as Float64Array)[row] as number;
      return Number.isNaN(v) ? null : String(v);
    }
    return this.texts[column - NUMERIC_COLUMNS]?.[row] ?? null;
  }

  timestamp(row: number, column: number, parser: TimestampParser): number | typeof MISSING {
    const v = this.value(row, column);
    return v === null ? MISSING : parser.parse(v);
  }

  line(row: number): number | null {
    return this.lines[row] ?? null;
  }

  byteOffset(row: number): number | null {
    return this.offsets[row] ?? null;
  }

  recordIndex(row: number): number {
    return this.records[row] ?? 0;
  }

  raw(row: number): string {
    const given = this.raws[row];
    if (given !== null && given !== undefined) return given;
    const obj: Record<string, unknown> = {};
    const from = this.froms[row];
    if (from) obj.from = from;
    SAMPLE_COLUMNS.forEach((c, i) => {
      const v = this.value(row, i);
      if (v !== null) obj[c] = v;
    });
    return JSON.stringify(obj);
  }

  defect(row: number): RecordDefect | null {
    return this.defects[row] ?? null;
  }
}

/** A short hex rendering of binary bytes for quarantine (`raw`), cut at `max` bytes. */
export function hexOf(bytes: Uint8Array, max = 256): string {
  const shown = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, max)).toString('hex');
  return bytes.length > max ? `${shown}… (${bytes.length} bytes)` : shown;
}
