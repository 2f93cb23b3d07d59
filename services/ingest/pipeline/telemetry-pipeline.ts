import { SourceError } from '../errors.js';
import { inChina, toWgs84 } from '../geo/crs.js';
import { mapHeader, TELEMETRY_FIELDS, type TelemetryField } from '../normalize/aliases.js';
import { isCompanyId, isVehicleId } from '../normalize/identifiers.js';
import { parseMode } from '../normalize/mode.js';
import { MISSING } from '../normalize/numbers.js';
import { TimestampParser, type EpochUnit } from '../normalize/timestamp.js';
import { LIMITS, type IngestOptions } from '../options.js';
import type { RawBatch, RawSource } from '../readers/raw-source.js';
import { MODES, type Crs, type QuarantineReason } from '../schema/vocab.js';
import { Dictionary } from './dictionary.js';
import type { QuarantineSink } from './quarantine-sink.js';
import { allocateScanBlock, type ScanBlock } from './scan-columns.js';
import type { DictionaryLimits, ScanRun, ScanSource } from './scan-source.js';
import { TrackRegistry } from './track-registry.js';
import { writeSamples, type Coverage, type Holder, type SampleIndex } from '../lake/sample-index.js';
import { VehicleTrack, type Derived, type Sample, type TrackState } from './vehicle-track.js';

const TS_FIELDS: readonly [TelemetryField, EpochUnit][] = [
  ['ts_ns', 'ns'],
  ['ts_us', 'us'],
  ['ts_ms', 'ms'],
  ['ts_s', 's'],
  ['ts', 'auto'],
];

export interface TelemetryStats {
  rowsIn: number;
  rowsStored: number;
  tsMinUs: number;
  tsMaxUs: number;
}

/**
 * Turns a raw telemetry source into normalised, validated, derived rows in scan-column blocks. Pull-based:
 * `fill` is called from DuckDB's table-function callback and reads the source only as far as it needs to.
 */
export class TelemetryPipeline implements ScanSource {
  readonly companies = new Dictionary();
  readonly vehicles = new Dictionary();
  readonly ads = new Dictionary();
  readonly stats: TelemetryStats = { rowsIn: 0, rowsStored: 0, tsMinUs: Infinity, tsMaxUs: -Infinity };
  private readonly source: RawSource;
  private readonly file: string;
  private readonly options: IngestOptions;
  private readonly quarantine: QuarantineSink;
  private readonly tracks = new Map<number, VehicleTrack>();
  private readonly tsParser: TimestampParser;
  private readonly tsColumn: number;
  private readonly latColumn: number;
  private readonly lonColumn: number;
  private readonly crs: Crs;
  private readonly columns: Partial<Record<TelemetryField, number>>;
  private readonly speedScale: number;
  private readonly speedColumn: number | undefined;
  private readonly modeCodes = new Map<string, number>();
  private block: ScanBlock = allocateScanBlock(0);
  private blockRows = 0;
  private blockCursor = 0;
  private exhausted = false;
  private badColumn: number | undefined = undefined;
  /** Called after each source batch, for progress reporting. */
  onBatch: (() => void) | null = null;

  private readonly registry: TrackRegistry | null;
  private readonly trackKeys = new Map<number, string>();
  private readonly index: SampleIndex | null;
  /** Per vehicle code: its key, the stored sources that cover it, and the timestamps this source stores. */
  private readonly identities = new Map<number, { key: string; holders: Holder[] | null; stored: number[] }>();
  private readonly earliestUs: number;
  private readonly latestUs: number;

  constructor(
    source: RawSource,
    file: string,
    options: IngestOptions,
    quarantine: QuarantineSink,
    registry: TrackRegistry | null = null,
    index: SampleIndex | null = null,
  ) {
    this.source = source;
    this.registry = registry;
    this.index = index;
    this.earliestUs = Date.parse(options.earliest) * 1000;
    this.latestUs = (options.now ?? Date.now()) * 1000 + LATEST_AHEAD_US;
    this.file = file;
    this.options = options;
    this.quarantine = quarantine;
    const cols = mapHeader(source.columns, TELEMETRY_FIELDS);
    this.columns = cols;
    const ts = TS_FIELDS.find(([f]) => cols[f] !== undefined);
    if (!ts)
      throw new SourceError(
        file,
        { line: 1 },
        `no timestamp column (looked for ${TELEMETRY_FIELDS.ts.slice(0, 6).join(', ')}, ts_ms, …; columns are: ${source.columns.slice(0, 12).join(', ')})`,
      );
    this.tsColumn = cols[ts[0]] as number;
    this.tsParser = new TimestampParser(
      source.timestampScale.has(this.tsColumn) ? 'us' : ts[1],
      options.localOffsetMin,
    );
    const pair = (
      [
        ['lat', 'lon', options.crs],
        ['lat_gcj02', 'lon_gcj02', 'gcj02'],
        ['lat_bd09', 'lon_bd09', 'bd09'],
      ] as const
    ).find(([a, b]) => cols[a] !== undefined && cols[b] !== undefined);
    if (!pair)
      throw new SourceError(
        file,
        { line: 1 },
        `no latitude/longitude columns (looked for lat/latitude/纬度 and lon/lng/longitude/经度; columns are: ${source.columns.slice(0, 12).join(', ')})`,
      );
    this.latColumn = cols[pair[0]] as number;
    this.lonColumn = cols[pair[1]] as number;
    this.crs = pair[2];
    if (cols.company_id === undefined && options.company === null)
      throw new SourceError(file, { line: 1 }, 'no company column and no --company given');
    if (cols.vehicle_id === undefined && options.vehicle === null)
      throw new SourceError(file, { line: 1 }, 'no vehicle column and no --vehicle given');
    if (cols.speed_mps !== undefined) [this.speedColumn, this.speedScale] = [cols.speed_mps, 1];
    else if (cols.speed_kmh !== undefined) [this.speedColumn, this.speedScale] = [cols.speed_kmh, 1 / 3.6];
    else [this.speedColumn, this.speedScale] = [cols.speed, options.speedUnit === 'kmh' ? 1 / 3.6 : 1];
  }

  get sourceCrs(): Crs {
    return this.crs;
  }

  nextRun(max: number, limits: DictionaryLimits): ScanRun | null {
    while (this.blockCursor >= this.blockRows) {
      if (this.exhausted || !this.refill()) return null;
    }
    const b = this.block;
    const start = this.blockCursor;
    const stop = Math.min(this.blockRows, start + max);
    let i = start;
    while (
      i < stop &&
      (b.company[i] as number) <= limits.companies &&
      (b.vehicle[i] as number) <= limits.vehicles &&
      (b.ads[i] as number) <= limits.ads
    )
      i++;
    if (i === start) return null;
    this.blockCursor = i;
    return { block: b, start, count: i - start };
  }

  /**
   * Hands over the next normalised block (ownership passes to the caller: a worker transfers its buffers), or
   * null at the end of the source. Not to be mixed with nextRun.
   */
  takeBlock(): { block: ScanBlock; rows: number } | null {
    if (!this.refill()) return null;
    const taken = { block: this.block, rows: this.blockRows };
    this.block = allocateScanBlock(0);
    this.blockRows = 0;
    this.blockCursor = 0;
    return taken;
  }

  prime(): void {
    if (this.blockCursor >= this.blockRows && !this.exhausted) this.refill();
  }

  get done(): boolean {
    return this.exhausted && this.blockCursor >= this.blockRows;
  }

  /** Where each vehicle's track ended in this source (for the next file of the same drive). */
  trackStates(): Record<string, TrackState> {
    const out: Record<string, TrackState> = {};
    for (const [code, track] of this.tracks) {
      const key = this.trackKeys.get(code);
      const state = track.snapshot();
      if (key !== undefined && Number.isFinite(state.lastTs)) out[key] = state;
    }
    return out;
  }

  /** Writes the timestamps this source stored (the sample index's file) and returns its coverage intervals. */
  writeSamples(file: string): Coverage {
    return writeSamples(file, new Map([...this.identities.values()].map((i) => [i.key, i.stored])));
  }

  private refill(): boolean {
    for (;;) {
      const raw = this.source.next();
      if (raw === null) {
        this.exhausted = true;
        return false;
      }
      if (this.block.ts_us.length < raw.count) this.block = allocateScanBlock(Math.max(raw.count, 8192));
      this.blockRows = 0;
      this.blockCursor = 0;
      this.normalise(raw);
      this.onBatch?.();
      if (this.blockRows > 0) return true;
    }
  }

  private normalise(raw: RawBatch): void {
    const c = this.columns;
    const out = this.block;
    const s: Sample = { tsUs: 0, lat: 0, lon: 0, speed: 0, heading: 0, accelLon: 0, accelLat: 0 };
    const d: Derived = { driveStartUs: 0, segM: 0, dtS: 0, jerk: 0 };
    const districts = this.options.districts;
    const roads = this.options.roads;
    for (let r = 0; r < raw.count; r++) {
      this.stats.rowsIn++;
      const defect = raw.defect(r);
      if (defect) {
        this.reject(raw, r, defect.reason, defect.detail);
        continue;
      }
      const tsUs = raw.timestamp(r, this.tsColumn, this.tsParser);
      if (tsUs === MISSING) {
        this.reject(raw, r, 'missing_field', 'timestamp is empty');
        continue;
      }
      if (!Number.isFinite(tsUs)) {
        this.reject(
          raw,
          r,
          'bad_timestamp',
          `timestamp ${JSON.stringify(raw.value(r, this.tsColumn))} is not ISO-8601, epoch s/ms/µs/ns or a local time`,
        );
        continue;
      }
      if (tsUs < this.earliestUs || tsUs > this.latestUs) {
        this.reject(raw, r, 'timestamp_out_of_range', outOfRange(tsUs, this.earliestUs, this.latestUs));
        continue;
      }
      const company =
        c.company_id === undefined ? this.options.company : (raw.text(r, c.company_id) ?? this.options.company);
      if (company === null) {
        this.reject(raw, r, 'missing_field', 'company is empty');
        continue;
      }
      const vehicle =
        c.vehicle_id === undefined ? this.options.vehicle : (raw.text(r, c.vehicle_id) ?? this.options.vehicle);
      if (vehicle === null) {
        this.reject(raw, r, 'missing_field', 'vehicle is empty');
        continue;
      }
      const latN = raw.number(r, this.latColumn);
      const lonN = raw.number(r, this.lonColumn);
      if (latN === MISSING || lonN === MISSING) {
        this.reject(raw, r, 'missing_field', `${latN === MISSING ? 'latitude' : 'longitude'} is empty`);
        continue;
      }
      if (Number.isNaN(latN) || Number.isNaN(lonN)) {
        this.reject(
          raw,
          r,
          'bad_number',
          `position (${String(raw.value(r, this.latColumn))}, ${String(raw.value(r, this.lonColumn))}) is not numeric`,
        );
        continue;
      }
      const positionProblem = checkPosition(latN, lonN);
      if (positionProblem) {
        this.reject(raw, r, positionProblem, `lat ${latN}, lon ${lonN}`);
        continue;
      }
      const optional = this.optionalNumbers(raw, r, s);
      if (optional) {
        this.reject(raw, r, optional[0], optional[1]);
        continue;
      }
      const modeCode = c.mode === undefined ? 4 : this.modeCode(raw.text(r, c.mode));
      if (modeCode === 0) {
        this.reject(
          raw,
          r,
          'unknown_mode',
          `driving mode ${JSON.stringify(raw.value(r, c.mode ?? 0))} is not autonomous, manual or remote in any known spelling`,
        );
        continue;
      }
      if (!isCompanyId(company)) {
        this.reject(
          raw,
          r,
          'bad_identifier',
          `company id ${JSON.stringify(company)} may hold only letters, digits, _ - .`,
        );
        continue;
      }
      if (!isVehicleId(vehicle)) {
        this.reject(
          raw,
          r,
          'bad_identifier',
          `vehicle id ${JSON.stringify(vehicle)} is empty, too long or has control characters`,
        );
        continue;
      }
      const vehicleCode = this.vehicles.code(vehicle);
      let identity = this.identities.get(vehicleCode);
      if (!identity) {
        const key = TrackRegistry.key(company, vehicle);
        identity = { key, holders: this.index?.holders(key) ?? null, stored: [] };
        this.identities.set(vehicleCode, identity);
      }
      if (identity.holders && this.index) {
        const held = this.index.holder(identity.holders, identity.key, tsUs);
        if (held) {
          this.reject(
            raw,
            r,
            'duplicate_sample',
            `${vehicle} at ${new Date(tsUs / 1000).toISOString()} is already stored from ${held.file} (source ${held.source_id})`,
          );
          continue;
        }
      }
      let track = this.tracks.get(vehicleCode);
      if (!track) {
        const key = identity.key;
        track = new VehicleTrack(
          this.options.driveGapS,
          this.registry?.resume(key, tsUs, this.options.driveGapS) ?? null,
        );
        this.tracks.set(vehicleCode, track);
        this.trackKeys.set(vehicleCode, key);
      }
      const [lat, lon] = toWgs84(this.crs, latN, lonN);
      s.tsUs = tsUs;
      s.lat = lat;
      s.lon = lon;
      const motion = track.accept(s, d);
      if (motion) {
        this.reject(raw, r, motion, motionDetail(motion, tsUs));
        continue;
      }
      const k = this.blockRows++;
      out.ts_us[k] = tsUs;
      out.lat[k] = lat;
      out.lon[k] = lon;
      out.speed_mps[k] = s.speed;
      out.heading_deg[k] = s.heading;
      out.accel_lon_mps2[k] = s.accelLon;
      out.accel_lat_mps2[k] = s.accelLat;
      out.seg_m[k] = d.segM;
      out.dt_s[k] = d.dtS;
      out.jerk_mps3[k] = d.jerk;
      out.speed_limit_mps[k] = roads ? roads.limitAt(lat, lon) : NaN;
      out.drive_start_us[k] = d.driveStartUs;
      out.source_row[k] = raw.line(r) ?? raw.recordIndex(r);
      out.company[k] = this.companies.code(company);
      out.vehicle[k] = vehicleCode;
      out.mode[k] = modeCode;
      const ads = c.ads_version === undefined ? null : raw.text(r, c.ads_version);
      out.ads[k] = ads === null ? 0 : this.ads.code(ads);
      out.district[k] = districts ? districts.lookup(lat, lon) + 1 : 0;
      this.stats.rowsStored++;
      identity.stored.push(tsUs);
      if (tsUs < this.stats.tsMinUs) this.stats.tsMinUs = tsUs;
      if (tsUs > this.stats.tsMaxUs) this.stats.tsMaxUs = tsUs;
    }
  }

  /** Reads speed, heading and accelerations into `s` (NaN when absent); returns a rejection when one is bad. */
  private optionalNumbers(raw: RawBatch, r: number, s: Sample): [QuarantineReason, string] | null {
    const c = this.columns;
    s.speed = this.optional(raw, r, this.speedColumn) * this.speedScale;
    s.heading = this.optional(raw, r, c.heading_deg);
    s.accelLon = this.optional(raw, r, c.accel_lon_mps2);
    s.accelLat = this.optional(raw, r, c.accel_lat_mps2);
    if (this.badColumn !== undefined) {
      const col = this.badColumn;
      this.badColumn = undefined;
      return [
        'bad_number',
        `${this.source.columns[col] ?? 'field'} ${JSON.stringify(raw.value(r, col))} is not a number`,
      ];
    }
    if (s.speed < 0 || s.speed > LIMITS.maxSpeedMps) return ['speed_out_of_range', `speed ${s.speed.toFixed(2)} m/s`];
    if (!Number.isNaN(s.heading)) s.heading = ((s.heading % 360) + 360) % 360;
    return null;
  }

  /** An optional numeric field: NaN when absent or blank; records the column when present but not a number. */
  private optional(raw: RawBatch, r: number, col: number | undefined): number {
    if (col === undefined) return NaN;
    const v = raw.number(r, col);
    if (v === MISSING) return NaN;
    if (Number.isNaN(v) && this.badColumn === undefined) this.badColumn = col;
    return v;
  }

  /** Mode code (1-based index into MODES) or 0 when the value is not understood. */
  private modeCode(value: string | null): number {
    const key = value ?? '';
    let code = this.modeCodes.get(key);
    if (code === undefined) {
      const mode = parseMode(value);
      code = mode === null ? 0 : MODES.indexOf(mode) + 1;
      this.modeCodes.set(key, code);
    }
    return code;
  }

  private reject(raw: RawBatch, r: number, reason: QuarantineReason, detail: string): void {
    this.quarantine.reject({ line: raw.line(r), byteOffset: raw.byteOffset(r), raw: raw.raw(r) }, reason, detail);
  }
}

/** Samples may be dated at most this far ahead of the clock (time zones, skewed clocks), µs: one day. */
const LATEST_AHEAD_US = 86_400e6;

function outOfRange(tsUs: number, earliestUs: number, latestUs: number): string {
  const iso = (us: number) => {
    const d = new Date(us / 1000);
    return Number.isNaN(d.getTime()) ? `${us} µs` : d.toISOString();
  };
  return `${iso(tsUs)} is outside the plausible window ${iso(earliestUs)} … ${iso(latestUs)} (--earliest, now + 1 day)`;
}

function checkPosition(lat: number, lon: number): QuarantineReason | null {
  if (lat === 0 && lon === 0) return 'null_island';
  const latOk = lat >= -90 && lat <= 90;
  const lonOk = lon >= -180 && lon <= 180;
  const swappedPlausible = inChina(lon, lat) && !inChina(lat, lon);
  if (swappedPlausible) return 'lat_lon_swapped';
  if (!latOk) return 'lat_out_of_range';
  if (!lonOk) return 'lon_out_of_range';
  return null;
}

function motionDetail(reason: QuarantineReason, tsUs: number): string {
  const at = new Date(tsUs / 1000).toISOString();
  if (reason === 'duplicate_timestamp') return `a sample at ${at} was already stored for this vehicle`;
  if (reason === 'timestamp_backwards') return `${at} is earlier than the vehicle's previous sample`;
  return `jump at ${at} faster than ${LIMITS.jumpSpeedMps} m/s over more than ${LIMITS.jumpMinM} m`;
}
