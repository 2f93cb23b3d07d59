import type { SimulatedDrive } from './drive.js';
import { ExposureLedger } from './exposure.js';
import type { Fleet } from './fleet.js';
import type { LogFormat, SeedOptions } from './options.js';
import { MODE_NAMES } from './trace.js';
import { isoUtc, localDate } from './writers/bytes.js';
import type { EventLine } from './writers/events.js';
import { sampleMs, type DriveMeta } from './writers/meta.js';
import { INJECTED_MOTION_KINDS, LOGGED_KINDS, THRESHOLDS, type DriveMode, type SimEvent } from './vocab.js';

export interface ManifestEvent {
  id: string;
  kind: string;
  severity?: string;
  company_id: string;
  vehicle_id: string;
  drive_id: string;
  drive_file: string;
  events_file?: string;
  ts: string;
  ts_end: string | null;
  lat: number;
  lon: number;
  initiator?: string;
  cause?: string;
  /** Written to the event log by the vehicle; false: present only in telemetry, to be detected. */
  logged: boolean;
  mode: DriveMode;
  speed_mps: number;
  peak?: number;
  speed_limit_mps?: number;
  sustained_s?: number;
  related?: string;
}

export interface ManifestFile {
  drive_id: string;
  company_id: string;
  vehicle_id: string;
  path: string;
  format: LogFormat;
  encoding: 'utf-8' | 'gbk' | 'binary';
  crs: 'wgs84' | 'gcj02';
  /** The vehicle's event log: `<drive>.events.csv`, or the recording itself (MCAP, bag); null when nothing was logged. */
  events_path: string | null;
  rows: number;
  event_lines: number;
  samples: number;
  dropped_samples: number;
  start: string;
  end: string;
  ads_version: string;
  driverless: boolean;
}

type Counts = Record<string, number>;

export interface DriveRecord {
  readonly meta: DriveMeta;
  readonly format: LogFormat;
  readonly file: string;
  readonly eventsFile: string | null;
  readonly driverless: boolean;
  readonly sim: SimulatedDrive;
}

const KIND_ORDER: readonly string[] = [...LOGGED_KINDS, ...INJECTED_MOTION_KINDS];

function bump(counts: Counts, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

function round(x: number, d: number): number {
  const s = 10 ** d;
  return Math.round(x * s) / s;
}

/** Collects the ground truth of a seeded fleet as drives are generated, and writes it as `manifest.json`. */
export class ManifestBuilder {
  private readonly options: SeedOptions;
  private readonly roads: string;
  private readonly files: ManifestFile[] = [];
  private readonly events: ManifestEvent[] = [];
  private readonly exposure: ExposureLedger;
  private rows = 0;
  private dropped = 0;

  constructor(options: SeedOptions, fleet: Fleet, roads: string) {
    this.options = options;
    this.roads = roads;
    this.exposure = new ExposureLedger(fleet);
  }

  /** Records one drive; returns the lines its event log must hold, in order. */
  addDrive(rec: DriveRecord): EventLine[] {
    const { meta, sim } = rec;
    const { trace } = sim;
    const rows = trace.rowsKept();
    this.rows += rows;
    this.dropped += sim.dropped;
    const ids = new Map<SimEvent, string>();
    sim.events.forEach((e, i) => ids.set(e, `${meta.driveId}#${String(i + 1).padStart(3, '0')}`));
    const lines: EventLine[] = [];
    for (const e of sim.events) {
      const k = e.k;
      const entry: ManifestEvent = {
        id: ids.get(e) ?? '',
        kind: e.kind,
        company_id: meta.companyId,
        vehicle_id: meta.vehicleId,
        drive_id: meta.driveId,
        drive_file: rec.file,
        ts: isoUtc(sampleMs(meta, k)),
        ts_end: e.kEnd === null ? null : isoUtc(sampleMs(meta, e.kEnd)),
        lat: round(trace.lat[k] ?? 0, 7),
        lon: round(trace.lon[k] ?? 0, 7),
        logged: e.logged,
        mode: MODE_NAMES[trace.mode[k] ?? 0] ?? 'autonomous',
        speed_mps: round(trace.v[k] ?? 0, 3),
      };
      if (e.severity !== null) entry.severity = e.severity;
      if (e.initiator !== null) entry.initiator = e.initiator;
      if (e.cause !== null) entry.cause = e.cause;
      if (e.peak !== null) entry.peak = round(e.peak, 3);
      if (e.speedLimit !== null) entry.speed_limit_mps = round(e.speedLimit, 3);
      if (e.sustainedS !== null) entry.sustained_s = round(e.sustainedS, 3);
      if (e.related !== null) entry.related = ids.get(e.related) ?? '';
      if (e.logged && rec.eventsFile !== null) entry.events_file = rec.eventsFile;
      this.events.push(entry);
      if (!e.logged) continue;
      lines.push({
        ms: sampleMs(meta, k),
        msEnd: e.kEnd === null ? null : sampleMs(meta, e.kEnd),
        companyId: meta.companyId,
        vehicleId: meta.vehicleId,
        kind: e.kind,
        severity: e.severity,
        initiator: e.initiator,
        cause: e.cause,
        lat: trace.gpsLat[k] ?? 0,
        lon: trace.gpsLon[k] ?? 0,
        speedMps: trace.v[k] ?? 0,
      });
    }
    this.exposure.add(meta, trace);
    this.files.push({
      drive_id: meta.driveId,
      company_id: meta.companyId,
      vehicle_id: meta.vehicleId,
      path: rec.file,
      format: rec.format,
      encoding:
        rec.format === 'gbk'
          ? 'gbk'
          : rec.format === 'arrow' || rec.format === 'mcap' || rec.format === 'bag'
            ? 'binary'
            : 'utf-8',
      crs: rec.format === 'gcj02' ? 'gcj02' : 'wgs84',
      events_path: rec.eventsFile,
      rows,
      event_lines: lines.length,
      samples: trace.n,
      dropped_samples: sim.dropped,
      start: isoUtc(meta.startMs),
      end: isoUtc(sampleMs(meta, trace.n - 1)),
      ads_version: meta.adsVersion,
      driverless: rec.driverless,
    });
    return lines;
  }

  get rowCount(): number {
    return this.rows;
  }

  get eventCount(): number {
    return this.events.length;
  }

  toJSON(): unknown {
    const byKind: Record<string, { total: number; logged: number; by_severity: Counts }> = {};
    for (const kind of KIND_ORDER) byKind[kind] = { total: 0, logged: 0, by_severity: {} };
    const byCompany: Record<string, Counts> = {};
    const byMonth: Record<string, Counts> = {};
    const dis = {
      total: 0,
      logged: 0,
      by_initiator: {} as Counts,
      by_cause: {} as Counts,
      by_company: {} as Counts,
      by_month: {} as Counts,
    };
    for (const e of this.events) {
      const k = byKind[e.kind] ?? { total: 0, logged: 0, by_severity: {} };
      byKind[e.kind] = k;
      k.total++;
      if (e.logged) k.logged++;
      if (e.severity !== undefined) bump(k.by_severity, e.severity);
      const month = localDate(Date.parse(e.ts)).slice(0, 7);
      bump((byCompany[e.company_id] ??= {}), e.kind);
      bump((byMonth[month] ??= {}), e.kind);
      if (e.kind === 'disengagement') {
        dis.total++;
        if (e.logged) dis.logged++;
        bump(dis.by_initiator, e.initiator ?? 'unknown');
        bump(dis.by_cause, e.cause ?? 'unknown');
        bump(dis.by_company, e.company_id);
        bump(dis.by_month, month);
      }
    }
    const o = this.options;
    return {
      generator: 'avlog seeds',
      format_version: 1,
      options: {
        seed: o.seed,
        companies: o.companies,
        vehicles: o.vehicles,
        days: o.days,
        hz: o.hz,
        start: o.start,
        formats: o.formats,
        roads: this.roads,
        trips: o.trips === null ? null : (o.trips.split(/[\\/]/).pop() ?? null),
        gps_noise_m: o.gpsNoise,
        drives_per_day: o.drivesPerDay,
        event_scale: o.eventScale,
        max_rows: o.maxRows,
      },
      conventions: {
        time: 'ts and ts_end are UTC; days and months are Beijing local (UTC+8); ts_end null for instantaneous events',
        positions: 'manifest lat/lon: noise-free WGS-84 at the event; event-log lat/lon: the vehicle GNSS (noisy)',
        episodes:
          'harsh_brake/harsh_accel/harsh_lateral/speeding: ts..ts_end is the first..last sample beyond the lowest threshold; severity the highest tier sustained',
        exposure:
          'interval between consecutive samples counted in the later sample’s mode and local day; km haversine along the noise-free track, km_logged along the positions as written; km_speed the trapezoid of logged speed between the samples as written (what seg_m sums)',
        events_path:
          'where the vehicle logged its events: <drive>.events.csv beside a telemetry log, or the MCAP/bag recording itself (/avlog/events channel)',
        disengagement:
          'every planned exit from autonomous mode is logged (ads_deactivated / odd_exit); an autonomous→manual/remote change without such an event is a disengagement even when not logged',
      },
      thresholds: THRESHOLDS,
      totals: {
        rows: this.rows,
        drives: this.files.length,
        samples_dropped: this.dropped,
        events: this.events.length,
        logged_events: this.events.filter((e) => e.logged).length,
        by_kind: byKind,
        by_company: byCompany,
        by_month: byMonth,
        disengagements: dis,
      },
      exposure: this.exposure.toJSON(),
      files: this.files,
      events: this.events,
    };
  }
}
