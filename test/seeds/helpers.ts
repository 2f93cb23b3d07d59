import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromIPC } from 'apache-arrow';
import gcoordModule from 'gcoord';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { openSource } from '../../services/ingest/readers/open-source.js';
import type { RawSource } from '../../services/ingest/readers/raw-source.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** Third-party reference data beside the checkout (never copied into the repo). */
export const SHARED_DATA = path.resolve(REPO_ROOT, '../shared/data');

type Gcoord = typeof gcoordModule.default;
const gcoord: Gcoord = (gcoordModule as unknown as { default?: Gcoord }).default ?? (gcoordModule as unknown as Gcoord);

export function tempDir(label: string): string {
  return mkdtempSync(path.join(os.tmpdir(), `avlog-seeds-${label}-`));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** All files under `dir`, relative, `/`-separated, sorted. */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, base));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out.sort();
}

export interface ManifestEvent {
  id: string;
  kind: string;
  severity?: string;
  company_id: string;
  vehicle_id: string;
  drive_id: string;
  drive_file: string;
  ts: string;
  ts_end: string | null;
  lat: number;
  lon: number;
  initiator?: string;
  cause?: string;
  logged: boolean;
  mode: string;
  speed_mps: number;
  peak?: number;
  speed_limit_mps?: number;
  related?: string;
}

export interface ManifestFile {
  drive_id: string;
  vehicle_id: string;
  path: string;
  format: 'csv' | 'gbk' | 'jsonl' | 'arrow' | 'gcj02' | 'mcap' | 'bag';
  events_path: string | null;
  rows: number;
  event_lines: number;
}

export interface Manifest {
  options: { roads: string; trips: string | null; seed: number };
  totals: {
    rows: number;
    events: number;
    by_kind: Record<string, { total: number; logged: number; by_severity: Record<string, number> }>;
  };
  exposure: {
    by_vehicle: Record<string, Record<string, { km: number; hours: number; km_logged: number; km_speed: number }>>;
  };
  files: ManifestFile[];
  events: ManifestEvent[];
}

export function readManifest(out: string): Manifest {
  return JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;
}

/** One telemetry sample as read back from any of the formats; accelerations null where the format has none. */
export interface Row {
  ms: number;
  lat: number;
  lon: number;
  speed: number;
  heading: number;
  accel: number | null;
  accelLat: number | null;
  mode: string;
}

const GBK_MODES: Record<string, string> = { 自动驾驶: 'autonomous', 人工驾驶: 'manual', 远程驾驶: 'remote' };

function csvRows(text: string): { header: string[]; rows: string[][] } {
  const lines = text.split('\n').filter((l) => l !== '');
  return { header: (lines[0] ?? '').split(','), rows: lines.slice(1).map((l) => l.split(',')) };
}

/** Every record of a reader's source as an object keyed by its columns (the MCAP and bag readers' samples and events). */
function recordsOf(source: RawSource): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  try {
    for (let b = source.next(); b !== null; b = source.next()) {
      for (let r = 0; r < b.count; r++) {
        const defect = b.defect(r);
        if (defect !== null) throw new Error(`${defect.reason}: ${defect.detail}`);
        out.push(Object.fromEntries(source.columns.map((c, i) => [c, b.value(r, i)])));
      }
    }
  } finally {
    source.close();
  }
  return out;
}

const isRecording = (file: ManifestFile): boolean => file.format === 'mcap' || file.format === 'bag';

/** Reads a telemetry file back the way an ingest reader would, positions in WGS-84. */
export function readTelemetry(out: string, file: ManifestFile): Row[] {
  const full = path.join(out, file.path);
  if (isRecording(file)) {
    // avlog's own reader: one sample per fix (its conformance to MCAP and bag is tested in test/ingest/formats).
    return recordsOf(openSource(full, file.path, null)).map((o) => ({
      ms: Number(o.ts_us) / 1000,
      lat: Number(o.lat),
      lon: Number(o.lon),
      speed: Number(o.speed_mps),
      heading: Number(o.heading_deg),
      accel: Number(o.accel_lon_mps2),
      accelLat: Number(o.accel_lat_mps2),
      mode: String(o.mode),
    }));
  }
  if (file.format === 'arrow') {
    const t = tableFromIPC(readFileSync(full));
    const col = (name: string) => {
      const c = t.getChild(name);
      if (c === null) throw new Error(`${file.path}: no column ${name}`);
      return c;
    };
    const [ts, lat, lon, speed, heading, accel, accelLat, mode] = [
      'ts',
      'lat',
      'lon',
      'speed_mps',
      'heading_deg',
      'accel_lon_mps2',
      'accel_lat_mps2',
      'mode',
    ].map(col);
    const rows: Row[] = [];
    for (let i = 0; i < t.numRows; i++) {
      rows.push({
        ms: Number(ts?.get(i)),
        lat: Number(lat?.get(i)),
        lon: Number(lon?.get(i)),
        speed: Number(speed?.get(i)),
        heading: Number(heading?.get(i)),
        accel: Number(accel?.get(i)),
        accelLat: Number(accelLat?.get(i)),
        mode: String(mode?.get(i)),
      });
    }
    return rows;
  }
  if (file.format === 'jsonl') {
    return readFileSync(full, 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        const o = JSON.parse(l) as Record<string, number | string>;
        return {
          ms: Number(o.ts),
          lat: Number(o.lat),
          lon: Number(o.lon),
          speed: Number(o.speed_mps),
          heading: Number(o.heading_deg),
          accel: Number(o.accel_lon_mps2),
          accelLat: Number(o.accel_lat_mps2),
          mode: String(o.mode),
        };
      });
  }
  if (file.format === 'gbk') {
    const { header, rows } = csvRows(new TextDecoder('gbk').decode(readFileSync(full)));
    const at = (name: string): number => header.indexOf(name);
    const [t, la, lo, sp, hd, md] = ['时间', '纬度', '经度', '速度(km/h)', '航向', '驾驶模式'].map(at);
    return rows.map((r) => ({
      ms: Date.parse(`${(r[t ?? 0] ?? '').replace(' ', 'T')}+08:00`),
      lat: Number(r[la ?? 0]),
      lon: Number(r[lo ?? 0]),
      speed: Number(r[sp ?? 0]) / 3.6,
      heading: Number(r[hd ?? 0]),
      accel: null,
      accelLat: null,
      mode: GBK_MODES[r[md ?? 0] ?? ''] ?? 'unknown',
    }));
  }
  const { header, rows } = csvRows(readFileSync(full, 'utf8'));
  const gcj = file.format === 'gcj02';
  const at = (name: string): number => header.indexOf(name);
  const [t, la, lo, sp, hd, ac, al, md] = [
    'ts',
    gcj ? 'lat_gcj02' : 'lat',
    gcj ? 'lon_gcj02' : 'lon',
    'speed_mps',
    'heading_deg',
    'accel_lon_mps2',
    'accel_lat_mps2',
    'mode',
  ].map(at);
  return rows.map((r) => {
    let lat = Number(r[la ?? 0]);
    let lon = Number(r[lo ?? 0]);
    if (gcj) [lon, lat] = gcoord.transform([lon, lat], gcoord.GCJ02, gcoord.WGS84);
    return {
      ms: Date.parse(r[t ?? 0] ?? ''),
      lat,
      lon,
      speed: Number(r[sp ?? 0]),
      heading: Number(r[hd ?? 0]),
      accel: Number(r[ac ?? 0]),
      accelLat: Number(r[al ?? 0]),
      mode: r[md ?? 0] ?? 'unknown',
    };
  });
}

/**
 * Accelerations as a detector would see them: the logged ones, or for formats without them (GBK) dv/dt and
 * v·dψ/dt from consecutive samples.
 */
export function withAccel(rows: Row[]): { accel: number[]; accelLat: number[] } {
  const accel: number[] = [];
  const accelLat: number[] = [];
  rows.forEach((r, i) => {
    const p = rows[i - 1];
    const dt = p === undefined ? 0 : (r.ms - p.ms) / 1000;
    let dpsi = p === undefined ? 0 : r.heading - p.heading;
    if (dpsi > 180) dpsi -= 360;
    if (dpsi < -180) dpsi += 360;
    accel.push(r.accel ?? (p === undefined || dt <= 0 ? 0 : (r.speed - p.speed) / dt));
    // Heading is clockwise from north; lateral acceleration is + to the right (a right turn: heading grows).
    accelLat.push(r.accelLat ?? (p === undefined || dt <= 0 ? 0 : (r.speed * dpsi * Math.PI) / 180 / dt));
  });
  return { accel, accelLat };
}

/** Episodes of consecutive samples meeting `hit`, lasting ≥ `minS` from first to last sample. */
export function episodes(
  rows: Row[],
  values: number[],
  hit: (v: number) => boolean,
  minS: number,
): { i0: number; i1: number }[] {
  const out: { i0: number; i1: number }[] = [];
  let start = -1;
  const close = (end: number): void => {
    if (start >= 0 && ((rows[end]?.ms ?? 0) - (rows[start]?.ms ?? 0)) / 1000 >= minS - 1e-9)
      out.push({ i0: start, i1: end });
  };
  for (let i = 0; i < values.length; i++) {
    const h = hit(values[i] ?? 0);
    const contiguous = start < 0 || (rows[i]?.ms ?? 0) - (rows[i - 1]?.ms ?? 0) < 1000;
    if (h && contiguous) {
      if (start < 0) start = i;
      continue;
    }
    close(i - 1);
    start = h ? i : -1;
  }
  close(values.length - 1);
  return out;
}

export function haversineM(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const r = Math.PI / 180;
  const s =
    Math.sin(((lat2 - lat1) * r) / 2) ** 2 +
    Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(((lon2 - lon1) * r) / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(s));
}

type District = Feature<Polygon | MultiPolygon, { qh: string }>;

export function loadDistricts(): District[] {
  const gj = JSON.parse(readFileSync(path.join(SHARED_DATA, 'shenzhen/districts-wgs84.geojson'), 'utf8')) as {
    features: District[];
  };
  return gj.features;
}

/** Name of the Shenzhen district containing the point, or null outside the city. */
export function districtOf(districts: District[], lat: number, lon: number): string | null {
  for (const d of districts) if (booleanPointInPolygon([lon, lat], d)) return d.properties.qh;
  return null;
}

/** Event-log lines of every `.events.csv` under `out`, and the events on the event channel of every recording. */
export function readEventLogs(out: string, m: Manifest): Record<string, string>[] {
  const lines: Record<string, string>[] = [];
  for (const f of m.files) {
    if (f.events_path === null) continue;
    if (isRecording(f)) {
      const events = openSource(path.join(out, f.events_path), f.events_path, null).events?.() ?? null;
      if (events === null) throw new Error(`${f.events_path}: no event channel`);
      for (const e of recordsOf(events)) {
        const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
        lines.push({
          ts: new Date(Number(e.ts_us) / 1000).toISOString(),
          ts_end: e.ts_end === null ? '' : new Date(Number(e.ts_end) / 1000).toISOString(),
          company_id: text(e.company_id),
          vehicle_id: text(e.vehicle_id),
          kind: text(e.kind),
          severity: text(e.severity),
          initiator: text(e.initiator),
          cause: text(e.cause),
          lat: text(e.lat),
          lon: text(e.lon),
          speed_mps: text(e.speed_mps),
        });
      }
      continue;
    }
    const { header, rows } = csvRows(readFileSync(path.join(out, f.events_path), 'utf8'));
    for (const r of rows) lines.push(Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
  }
  return lines;
}
