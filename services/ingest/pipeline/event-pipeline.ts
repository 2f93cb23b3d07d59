import crypto from 'node:crypto';
import fs from 'node:fs';
import { SourceError } from '../errors.js';
import { toWgs84 } from '../geo/crs.js';
import { EVENT_FIELDS, mapHeader, type EventField } from '../normalize/aliases.js';
import { parseEventKind, parseInitiator, parseSeverity } from '../normalize/event-vocab.js';
import { isCompanyId, isVehicleId } from '../normalize/identifiers.js';
import { MISSING, toNumber, toText } from '../normalize/numbers.js';
import { TimestampParser, type EpochUnit } from '../normalize/timestamp.js';
import type { IngestOptions } from '../options.js';
import type { RawBatch, RawSource } from '../readers/raw-source.js';
import type { Crs, EventOrigin, QuarantineReason } from '../schema/vocab.js';
import type { QuarantineSink } from './quarantine-sink.js';

const TS_FIELDS: readonly [EventField, EpochUnit][] = [
  ['ts_ns', 'ns'],
  ['ts_us', 'us'],
  ['ts_ms', 'ms'],
  ['ts_s', 's'],
  ['ts', 'auto'],
];

/** Deterministic id: the same event from the same vehicle at the same instant is one event however often ingested. */
export function eventId(company: string, vehicle: string, kind: string, tsUs: number, origin: EventOrigin): string {
  return crypto
    .createHash('sha1')
    .update(`${company}\u0000${vehicle}\u0000${kind}\u0000${tsUs}\u0000${origin}`)
    .digest('hex')
    .slice(0, 24);
}

export interface EventStats {
  rowsIn: number;
  rowsStored: number;
  tsMinUs: number;
  tsMaxUs: number;
}

/**
 * Event logs (mode changes, takeovers, collisions … as the vehicle recorded them) → event rows, written as JSON
 * lines to a staging file that the commit step turns into Parquet. Event logs are small next to telemetry.
 */
export class EventPipeline {
  readonly stats: EventStats = { rowsIn: 0, rowsStored: 0, tsMinUs: Infinity, tsMaxUs: -Infinity };
  private readonly source: RawSource;
  private readonly options: IngestOptions;
  private readonly quarantine: QuarantineSink;
  private readonly cols: Partial<Record<EventField, number>>;
  private readonly ts: TimestampParser;
  private readonly tsColumn: number;
  private readonly crs: Crs;
  private readonly latCol: number | undefined;
  private readonly lonCol: number | undefined;
  private readonly sourceId: string;

  constructor(source: RawSource, file: string, sourceId: string, options: IngestOptions, quarantine: QuarantineSink) {
    this.source = source;
    this.options = options;
    this.quarantine = quarantine;
    this.sourceId = sourceId;
    const cols = mapHeader(source.columns, EVENT_FIELDS);
    this.cols = cols;
    const ts = TS_FIELDS.find(([f]) => cols[f] !== undefined);
    if (!ts) throw new SourceError(file, { line: 1 }, 'event log has no timestamp column');
    if (cols.kind === undefined)
      throw new SourceError(file, { line: 1 }, 'event log has no kind/event/event_type column');
    if (cols.company_id === undefined && options.company === null)
      throw new SourceError(file, { line: 1 }, 'no company column and no --company given');
    if (cols.vehicle_id === undefined && options.vehicle === null)
      throw new SourceError(file, { line: 1 }, 'no vehicle column and no --vehicle given');
    this.tsColumn = cols[ts[0]] as number;
    this.ts = new TimestampParser(source.timestampScale.has(this.tsColumn) ? 'us' : ts[1], options.localOffsetMin);
    if (cols.lat_gcj02 !== undefined) [this.latCol, this.lonCol, this.crs] = [cols.lat_gcj02, cols.lon_gcj02, 'gcj02'];
    else if (cols.lat_bd09 !== undefined) [this.latCol, this.lonCol, this.crs] = [cols.lat_bd09, cols.lon_bd09, 'bd09'];
    else [this.latCol, this.lonCol, this.crs] = [cols.lat, cols.lon, options.crs];
  }

  get sourceCrs(): Crs {
    return this.crs;
  }

  /** Reads the whole source, writing accepted events as JSON lines to `outPath`. */
  run(outPath: string, onBatch: () => void): void {
    const fd = fs.openSync(outPath, 'w');
    try {
      for (let raw = this.source.next(); raw !== null; raw = this.source.next()) {
        const lines: string[] = [];
        for (let r = 0; r < raw.count; r++) {
          const row = this.normalise(raw, r);
          if (row) lines.push(JSON.stringify(row));
        }
        if (lines.length) fs.writeSync(fd, `${lines.join('\n')}\n`);
        onBatch();
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  private normalise(raw: RawBatch, r: number): Record<string, unknown> | null {
    this.stats.rowsIn++;
    const c = this.cols;
    const reject = (reason: QuarantineReason, detail: string): null => {
      this.quarantine.reject({ line: raw.line(r), byteOffset: raw.byteOffset(r), raw: raw.raw(r) }, reason, detail);
      return null;
    };
    const defect = raw.defect(r);
    if (defect) return reject(defect.reason, defect.detail);
    const text = (col: number | undefined) => (col === undefined ? null : toText(raw.value(r, col)));
    const tsText = raw.value(r, this.tsColumn);
    if (tsText === undefined || tsText === null || tsText === '') return reject('missing_field', 'timestamp is empty');
    const tsUs = this.ts.parse(tsText);
    if (!Number.isFinite(tsUs)) return reject('bad_timestamp', `timestamp ${JSON.stringify(tsText)} is not readable`);
    const endText = text(c.ts_end);
    const tsEndUs = endText === null ? null : this.ts.parse(endText);
    if (tsEndUs !== null && !Number.isFinite(tsEndUs))
      return reject('bad_timestamp', `end time ${JSON.stringify(endText)} is not readable`);
    const company = text(c.company_id) ?? this.options.company;
    const vehicle = text(c.vehicle_id) ?? this.options.vehicle;
    if (company === null || vehicle === null)
      return reject('missing_field', `${company === null ? 'company' : 'vehicle'} is empty`);
    if (!isCompanyId(company) || !isVehicleId(vehicle))
      return reject('bad_identifier', `company ${JSON.stringify(company)} / vehicle ${JSON.stringify(vehicle)}`);
    const kindText = text(c.kind);
    if (kindText === null) return reject('missing_field', 'event kind is empty');
    const kind = parseEventKind(kindText);
    if (kind === null)
      return reject('unknown_event_kind', `event kind ${JSON.stringify(kindText)} is not one avlog knows`);
    const initiatorText = text(c.initiator);
    const initiator = initiatorText === null ? null : parseInitiator(initiatorText);
    if (initiatorText !== null && initiator === null)
      return reject(
        'bad_enum',
        `initiator ${JSON.stringify(initiatorText)} is not system, driver, remote or passenger`,
      );
    const severityText = text(c.severity);
    const severity = severityText === null ? null : parseSeverity(severityText);
    if (severityText !== null && severity === null)
      return reject('bad_enum', `severity ${JSON.stringify(severityText)} is not known`);
    let lat: number | null = null;
    let lon: number | null = null;
    if (this.latCol !== undefined && this.lonCol !== undefined) {
      const la = toNumber(raw.value(r, this.latCol));
      const lo = toNumber(raw.value(r, this.lonCol));
      if (la !== MISSING && lo !== MISSING) {
        if (Number.isNaN(la) || Number.isNaN(lo)) return reject('bad_number', 'position is not numeric');
        if (la < -90 || la > 90) return reject('lat_out_of_range', `lat ${la}`);
        if (lo < -180 || lo > 180) return reject('lon_out_of_range', `lon ${lo}`);
        if (la === 0 && lo === 0) return reject('null_island', 'position is (0, 0)');
        [lat, lon] = toWgs84(this.crs, la, lo);
      }
    }
    let speed: number | null = null;
    const speedCol = c.speed_mps ?? c.speed_kmh ?? c.speed;
    if (speedCol !== undefined) {
      const v = toNumber(raw.value(r, speedCol));
      if (v !== MISSING) {
        if (Number.isNaN(v)) return reject('bad_number', 'speed is not numeric');
        speed = speedCol === c.speed_kmh || (speedCol === c.speed && this.options.speedUnit === 'kmh') ? v / 3.6 : v;
      }
    }
    let peak: number | null = null;
    if (c.peak !== undefined) {
      const p = toNumber(raw.value(r, c.peak));
      if (p !== MISSING) {
        if (Number.isNaN(p)) return reject('bad_number', 'peak is not numeric');
        peak = p;
      }
    }
    this.stats.rowsStored++;
    if (tsUs < this.stats.tsMinUs) this.stats.tsMinUs = tsUs;
    if (tsUs > this.stats.tsMaxUs) this.stats.tsMaxUs = tsUs;
    const district =
      lat !== null && lon !== null && this.options.districts
        ? (this.options.districts.names[this.options.districts.lookup(lat, lon)] ?? null)
        : null;
    return {
      event_id: eventId(company, vehicle, kind, tsUs, 'logged'),
      company_id: company,
      vehicle_id: vehicle,
      drive_id: text(c.drive_id),
      ts_us: tsUs,
      ts_end_us: tsEndUs,
      lat,
      lon,
      kind,
      severity,
      initiator,
      cause: text(c.cause),
      origin: 'logged',
      speed_mps: speed,
      peak,
      district,
      detail: text(c.detail),
      source_id: this.sourceId,
      source_row: raw.line(r) ?? raw.recordIndex(r),
    };
  }
}
