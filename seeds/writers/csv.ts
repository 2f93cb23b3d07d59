import gcoordModule from 'gcoord';
import { MODE_NAMES, type DriveTrace } from '../trace.js';
import { ascii, ByteSink } from './bytes.js';
import { DECIMALS, sampleMs, TELEMETRY_HEADER, type DriveMeta } from './meta.js';

type Gcoord = typeof gcoordModule.default;
/** gcoord is CommonJS: Node hands its exports over as the default import, TypeScript expects them under `.default`. */
const gcoord: Gcoord = (gcoordModule as unknown as { default?: Gcoord }).default ?? (gcoordModule as unknown as Gcoord);

/** Canonical telemetry CSV, UTF-8, `\n` line ends, WGS-84 positions. */
export function writeCsv(file: string, trace: DriveTrace, meta: DriveMeta): void {
  writeCanonical(file, trace, meta, 'wgs84');
}

/** The same CSV with positions as a Chinese map app logs them: GCJ-02 in `lat_gcj02,lon_gcj02`. */
export function writeGcj02Csv(file: string, trace: DriveTrace, meta: DriveMeta): void {
  writeCanonical(file, trace, meta, 'gcj02');
}

function writeCanonical(file: string, trace: DriveTrace, meta: DriveMeta, crs: 'wgs84' | 'gcj02'): void {
  const header = TELEMETRY_HEADER.map((h) => (crs === 'gcj02' && (h === 'lat' || h === 'lon') ? `${h}_gcj02` : h)).join(
    ',',
  );
  const sink = new ByteSink(file);
  sink.bytes(ascii(`${header}\n`));
  const ids = ascii(`,${meta.companyId},${meta.vehicleId},`);
  const modes = MODE_NAMES.map((m) => ascii(`,${m},${meta.adsVersion}\n`));
  const { gpsLat, gpsLon, v, heading, aLog, aLatLog, mode, keep } = trace;
  for (let k = 0; k < trace.n; k++) {
    if (keep[k] === 0) continue;
    sink.reserve(256);
    sink.isoUtc(sampleMs(meta, k));
    sink.bytes(ids);
    let lat = gpsLat[k] ?? 0;
    let lon = gpsLon[k] ?? 0;
    if (crs === 'gcj02') {
      const [gx, gy] = gcoord.transform([lon, lat], gcoord.WGS84, gcoord.GCJ02);
      lat = gy;
      lon = gx;
    }
    sink.fixed(lat, DECIMALS.latlon);
    sink.byte(44);
    sink.fixed(lon, DECIMALS.latlon);
    sink.byte(44);
    sink.fixed(v[k] ?? 0, DECIMALS.speed);
    sink.byte(44);
    sink.fixed(heading[k] ?? 0, DECIMALS.heading);
    sink.byte(44);
    sink.fixed(aLog[k] ?? 0, DECIMALS.accel);
    sink.byte(44);
    sink.fixed(aLatLog[k] ?? 0, DECIMALS.accel);
    sink.bytes(modes[mode[k] ?? 0] ?? ascii('\n'));
  }
  sink.close();
}
