import { writeFileSync } from 'node:fs';
import {
  Float64,
  makeData,
  makeVector,
  Table,
  tableToIPC,
  TimestampMicrosecond,
  Utf8,
  type Vector,
} from 'apache-arrow';
import { MODE_NAMES, type DriveTrace } from '../trace.js';
import { DECIMALS, sampleMs, type DriveMeta, type TELEMETRY_HEADER } from './meta.js';

type Column = (typeof TELEMETRY_HEADER)[number];

/** Arrow IPC stream: `ts` TimestampMicrosecond('UTC'), numbers Float64 (rounded as in the CSV), strings Utf8. */
export function writeArrow(file: string, trace: DriveTrace, meta: DriveMeta): void {
  const rows = trace.rowsKept();
  const ts = new BigInt64Array(rows);
  const floats = {
    lat: new Float64Array(rows),
    lon: new Float64Array(rows),
    speed_mps: new Float64Array(rows),
    heading_deg: new Float64Array(rows),
    accel_lon_mps2: new Float64Array(rows),
    accel_lat_mps2: new Float64Array(rows),
  };
  const modes: string[] = new Array<string>(rows);
  const round = (x: number, d: number): number => {
    const s = 10 ** d;
    const r = Math.round(Math.abs(x) * s) / s;
    return x < 0 && r !== 0 ? -r : r;
  };
  let i = 0;
  for (let k = 0; k < trace.n; k++) {
    if (trace.keep[k] === 0) continue;
    ts[i] = BigInt(sampleMs(meta, k)) * 1000n;
    floats.lat[i] = round(trace.gpsLat[k] ?? 0, DECIMALS.latlon);
    floats.lon[i] = round(trace.gpsLon[k] ?? 0, DECIMALS.latlon);
    floats.speed_mps[i] = round(trace.v[k] ?? 0, DECIMALS.speed);
    floats.heading_deg[i] = round(trace.heading[k] ?? 0, DECIMALS.heading);
    floats.accel_lon_mps2[i] = round(trace.aLog[k] ?? 0, DECIMALS.accel);
    floats.accel_lat_mps2[i] = round(trace.aLatLog[k] ?? 0, DECIMALS.accel);
    modes[i] = MODE_NAMES[trace.mode[k] ?? 0] ?? 'autonomous';
    i++;
  }
  const columns: Record<Column, Vector> = {
    ts: makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: rows, data: ts })),
    company_id: utf8(rows, () => meta.companyId),
    vehicle_id: utf8(rows, () => meta.vehicleId),
    lat: makeVector(makeData({ type: new Float64(), length: rows, data: floats.lat })),
    lon: makeVector(makeData({ type: new Float64(), length: rows, data: floats.lon })),
    speed_mps: makeVector(makeData({ type: new Float64(), length: rows, data: floats.speed_mps })),
    heading_deg: makeVector(makeData({ type: new Float64(), length: rows, data: floats.heading_deg })),
    accel_lon_mps2: makeVector(makeData({ type: new Float64(), length: rows, data: floats.accel_lon_mps2 })),
    accel_lat_mps2: makeVector(makeData({ type: new Float64(), length: rows, data: floats.accel_lat_mps2 })),
    mode: utf8(rows, (r) => modes[r] ?? ''),
    ads_version: utf8(rows, () => meta.adsVersion),
  };
  writeFileSync(file, tableToIPC(new Table(columns), 'stream'));
}

/** A Utf8 column built straight from offsets and bytes (vectorFromArray is slow for millions of strings). */
function utf8(rows: number, value: (row: number) => string): Vector<Utf8> {
  const encoder = new TextEncoder();
  const cache = new Map<string, Uint8Array>();
  const encoded: Uint8Array[] = new Array<Uint8Array>(rows);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const s = value(r);
    let b = cache.get(s);
    if (b === undefined) {
      b = encoder.encode(s);
      cache.set(s, b);
    }
    encoded[r] = b;
    total += b.length;
  }
  const offsets = new Int32Array(rows + 1);
  const data = new Uint8Array(total);
  let off = 0;
  for (let r = 0; r < rows; r++) {
    const b = encoded[r] ?? new Uint8Array(0);
    data.set(b, off);
    off += b.length;
    offsets[r + 1] = off;
  }
  return makeVector(makeData({ type: new Utf8(), length: rows, valueOffsets: offsets, data }));
}
