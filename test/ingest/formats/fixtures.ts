import fs from 'node:fs';
import path from 'node:path';
import { DriveTrace } from '../../../seeds/trace.js';
import type { DriveMeta } from '../../../seeds/writers/meta.js';
import { DEFAULT_INGEST_OPTIONS } from '../../../services/ingest/options.js';
import { ingestPaths, type FileSummary } from '../../../services/ingest/ingest.js';
import { EventPipeline } from '../../../services/ingest/pipeline/event-pipeline.js';
import { QuarantineSink } from '../../../services/ingest/pipeline/quarantine-sink.js';
import type { RawSource } from '../../../services/ingest/readers/raw-source.js';
import { lakeTable, query } from '../../helpers/lake.js';
export interface SyntheticDrive {
  trace: DriveTrace;
  meta: DriveMeta;
}

const M_PER_DEG_LAT = 111_320;

/**
 * A small drive near Futian for format fixtures: 10 Hz, speed ramping 5 → 15 m/s on a gentle left curve,
 * autonomous for the first 40 %, then manual, then remote for the last 20 %.
 */
export function syntheticDrive(
  n = 200,
  options: { vehicleId?: string; startMs?: number; dropEvery?: number } = {},
): SyntheticDrive {
  const trace = new DriveTrace(n);
  const meta: DriveMeta = {
    companyId: 'acme',
    vehicleId: options.vehicleId ?? 'V-ROS-1',
    driveId: `${options.vehicleId ?? 'V-ROS-1'}-20260901T020000Z`,
    adsVersion: 'ads-2.1.0',
    startMs: options.startMs ?? Date.UTC(2026, 8, 1, 2, 0, 0),
    hz: 10,
  };
  let lat = 22.54;
  let lon = 114.05;
  let heading = 45;
  const dt = 0.1;
  for (let k = 0; k < n; k++) {
    trace.ensure(k);
    const v = 5 + (10 * k) / n;
    const a = 10 / n / dt;
    const yawRate = -2; // degrees per second (turning left)
    trace.v[k] = v;
    trace.a[k] = a;
    trace.aLog[k] = a;
    trace.aLatLog[k] = v * yawRate * (Math.PI / 180);
    trace.heading[k] = ((heading % 360) + 360) % 360;
    trace.lat[k] = lat;
    trace.lon[k] = lon;
    trace.gpsLat[k] = lat;
    trace.gpsLon[k] = lon;
    trace.mode[k] = k < 0.4 * n ? 0 : k < 0.8 * n ? 1 : 2;
    trace.keep[k] = options.dropEvery && k % options.dropEvery === options.dropEvery - 1 ? 0 : 1;
    const rad = (heading * Math.PI) / 180;
    lat += (v * dt * Math.cos(rad)) / M_PER_DEG_LAT;
    lon += (v * dt * Math.sin(rad)) / (M_PER_DEG_LAT * Math.cos((lat * Math.PI) / 180));
    heading += yawRate * dt;
    trace.n = k + 1;
  }
  return { trace, meta };
}

/* ---------------------------------------------------------------- NMEA 0183 ---------------------------------------------------------------- */

function nmeaSentence(body: string): string {
  let x = 0;
  for (let i = 0; i < body.length; i++) x ^= body.charCodeAt(i);
  return `$${body}*${x.toString(16).toUpperCase().padStart(2, '0')}`;
}

function ddmm(deg: number, degDigits: number): string {
  const a = Math.abs(deg);
  const d = Math.floor(a);
  const m = (a - d) * 60;
  return `${String(d).padStart(degDigits, '0')}${m.toFixed(5).padStart(8, '0')}`;
}

function hhmmss(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${String(d.getUTCMilliseconds() / 10).padStart(2, '0')}`;
}

function ddmmyy(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}${p(d.getUTCMonth() + 1)}${p(d.getUTCFullYear() % 100)}`;
}

/** One epoch of a receiver's output: RMC, GGA and VTG sentences (talker GN) with checksums. */
export function nmeaEpoch(
  ms: number,
  lat: number,
  lon: number,
  speedMps: number,
  course: number,
  talker = 'GN',
): string[] {
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lon >= 0 ? 'E' : 'W';
  const knots = (speedMps * 3600) / 1852;
  return [
    nmeaSentence(
      `${talker}RMC,${hhmmss(ms)},A,${ddmm(lat, 2)},${ns},${ddmm(lon, 3)},${ew},${knots.toFixed(3)},${course.toFixed(2)},${ddmmyy(ms)},,,A`,
    ),
    nmeaSentence(`${talker}GGA,${hhmmss(ms)},${ddmm(lat, 2)},${ns},${ddmm(lon, 3)},${ew},1,12,0.8,12.3,M,-2.1,M,,`),
    nmeaSentence(`${talker}VTG,${course.toFixed(2)},T,,M,${knots.toFixed(3)},N,${(speedMps * 3.6).toFixed(3)},K,A`),
  ];
}

export { nmeaSentence };

/* ---------------------------------------------------------------- GB/T 32960 ---------------------------------------------------------------- */

export interface GbtSample {
  /** Epoch ms (UTC); frames carry Beijing time. */
  ms: number;
  vin: string;
  lat: number;
  lon: number;
  speedKmh: number;
  odometerKm: number;
  /** false: the location block says the position is invalid. */
  valid?: boolean;
}

function u16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

function u32(v: number): number[] {
  return [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
}

/** A GB/T 32960 frame around a data unit: `##`, command, 0xFE, VIN, encryption, length, data, BCC. */
export function gbtFrame(cmd: number, vin: string, data: number[], encryption = 0x01): Buffer {
  const body = [
    cmd,
    0xfe,
    ...Buffer.from(vin.padEnd(17, '0').slice(0, 17), 'latin1'),
    encryption,
    ...u16(data.length),
    ...data,
  ];
  let bcc = 0;
  for (const b of body) bcc ^= b;
  return Buffer.from([0x23, 0x23, ...body, bcc]);
}

/** Collection time, Beijing time (GMT+8). */
function gbtTime(ms: number): number[] {
  const d = new Date(ms + 8 * 3600_000);
  return [
    d.getUTCFullYear() - 2000,
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  ];
}

/**
 * A real-time (0x02) or re-sent (0x03) frame with every standard info block (vehicle, motor, extremes, alarm,
 * RESS voltage and temperature, a custom block) around the location block, so parsing must walk them all.
 */
export function gbtRealtime(s: GbtSample, cmd = 0x02): Buffer {
  const vehicle = [
    0x01,
    0x01,
    0x03,
    0x01,
    ...u16(Math.round(s.speedKmh * 10)),
    ...u32(Math.round(s.odometerKm * 10)),
    ...u16(3500),
    ...u16(10200),
    80,
    0x01,
    0x0e,
    ...u16(5000),
    20,
    0,
  ];
  const motor = [0x02, 1, 1, 0x01, 90, ...u16(23000), ...u16(20500), 85, ...u16(3500), ...u16(10200)];
  const extremes = [0x06, 1, 3, ...u16(3300), 1, 7, ...u16(3200), 1, 2, 60, 1, 5, 40];
  const alarm = [0x07, 0, ...u32(0), 0, 0, 0, 1, ...u32(0x12345678)];
  const status = (s.valid === false ? 1 : 0) | (s.lat < 0 ? 2 : 0) | (s.lon < 0 ? 4 : 0);
  const location = [0x05, status, ...u32(Math.round(Math.abs(s.lon) * 1e6)), ...u32(Math.round(Math.abs(s.lat) * 1e6))];
  const voltage = [
    0x08,
    1,
    1,
    ...u16(3500),
    ...u16(10200),
    ...u16(96),
    ...u16(1),
    4,
    ...u16(3300),
    ...u16(3310),
    ...u16(3320),
    ...u16(3330),
  ];
  const temps = [0x09, 1, 1, ...u16(2), 60, 61];
  const custom = [0x80, ...u16(3), 1, 2, 3];
  return gbtFrame(cmd, s.vin, [
    ...gbtTime(s.ms),
    ...vehicle,
    ...motor,
    ...extremes,
    ...alarm,
    ...location,
    ...voltage,
    ...temps,
    ...custom,
  ]);
}

/** Vehicle login (0x01) and heartbeat (0x07) frames: no samples. */
export function gbtLogin(vin: string, ms: number): Buffer {
  return gbtFrame(0x01, vin, [...gbtTime(ms), ...u16(1), ...Buffer.from('89860000000000000000', 'latin1'), 1, 0]);
}

export function gbtHeartbeat(vin: string): Buffer {
  return gbtFrame(0x07, vin, []);
}

/* ---------------------------------------------------------------- ingest helpers ---------------------------------------------------------------- */

export interface Ingested {
  summary: FileSummary;
  rows: Record<string, unknown>[];
  quarantine: Record<string, unknown>[];
}

/** Ingests one file into its own lake and returns the file summary, the telemetry rows (by ts) and the quarantine. */
export async function ingestOne(
  file: string,
  dataDir: string,
  options: { company?: string; vehicle?: string } = {},
): Promise<Ingested> {
  const s = await ingestPaths([file], { dataDir, ...options });
  const summary = s.files[0] as FileSummary;
  const rows =
    summary.rows_stored > 0
      ? await query(
          `SELECT company_id, vehicle_id, epoch_us(ts) AS ts_us, lat, lon, speed_mps, heading_deg, accel_lon_mps2, accel_lat_mps2, mode, ads_version, source_row FROM ${lakeTable(dataDir, 'telemetry')} ORDER BY ts`,
        )
      : [];
  const quarantine =
    summary.rows_quarantined > 0 && summary.status === 'ingested'
      ? await query(
          `SELECT line, byte_offset, reason, detail, raw FROM ${lakeTable(dataDir, 'quarantine')} ORDER BY byte_offset, line`,
        )
      : [];
  return { summary, rows, quarantine };
}

/** Runs a reader's event source through the event pipeline, as the ingest will: accepted rows and rejections. */
export function readEvents(
  source: RawSource,
  dir: string,
): { events: Record<string, unknown>[]; rejected: number; reasons: Record<string, number> } {
  const events = source.events?.();
  if (!events) return { events: [], rejected: 0, reasons: {} };
  const qPath = path.join(dir, `events-q-${process.hrtime.bigint()}.jsonl`);
  const out = path.join(dir, `events-${process.hrtime.bigint()}.jsonl`);
  const sink = new QuarantineSink(qPath, 'test', 'events', new Date());
  try {
    const pipeline = new EventPipeline(events, 'events', 'test', { ...DEFAULT_INGEST_OPTIONS, dataDir: dir }, sink);
    pipeline.run(out, () => undefined);
  } finally {
    sink.close();
    events.close();
  }
  const lines = fs.readFileSync(out, 'utf8').split('\n').filter(Boolean);
  return {
    events: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    rejected: sink.count,
    reasons: Object.fromEntries(sink.byReason),
  };
}
