import { MODE_NAMES, type DriveTrace } from '../trace.js';
import { ascii, ByteSink } from './bytes.js';
import { DECIMALS, sampleMs, type DriveMeta } from './meta.js';

/** One JSON object per line with the canonical keys; `ts` is epoch milliseconds. */
export function writeJsonl(file: string, trace: DriveTrace, meta: DriveMeta): void {
  const sink = new ByteSink(file);
  const open = ascii('{"ts":');
  const ids = ascii(
    `,"company_id":${JSON.stringify(meta.companyId)},"vehicle_id":${JSON.stringify(meta.vehicleId)},"lat":`,
  );
  const kLon = ascii(',"lon":');
  const kSpeed = ascii(',"speed_mps":');
  const kHeading = ascii(',"heading_deg":');
  const kAccel = ascii(',"accel_lon_mps2":');
  const kLat = ascii(',"accel_lat_mps2":');
  const tails = MODE_NAMES.map((m) =>
    ascii(`,"mode":${JSON.stringify(m)},"ads_version":${JSON.stringify(meta.adsVersion)}}\n`),
  );
  const { gpsLat, gpsLon, v, heading, aLog, aLatLog, mode, keep } = trace;
  for (let k = 0; k < trace.n; k++) {
    if (keep[k] === 0) continue;
    sink.reserve(512);
    sink.bytes(open);
    sink.uint(sampleMs(meta, k));
    sink.bytes(ids);
    sink.fixed(gpsLat[k] ?? 0, DECIMALS.latlon);
    sink.bytes(kLon);
    sink.fixed(gpsLon[k] ?? 0, DECIMALS.latlon);
    sink.bytes(kSpeed);
    sink.fixed(v[k] ?? 0, DECIMALS.speed);
    sink.bytes(kHeading);
    sink.fixed(heading[k] ?? 0, DECIMALS.heading);
    sink.bytes(kAccel);
    sink.fixed(aLog[k] ?? 0, DECIMALS.accel);
    sink.bytes(kLat);
    sink.fixed(aLatLog[k] ?? 0, DECIMALS.accel);
    sink.bytes(tails[mode[k] ?? 0] ?? ascii('}\n'));
  }
  sink.close();
}
