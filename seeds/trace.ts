import type { DriveMode } from './vocab.js';

/** Per-sample arrays of one simulated drive, grown as the drive goes on. */
export class DriveTrace {
  n = 0;
  s: Float64Array;
  v: Float64Array;
  a: Float64Array;
  /** Lateral acceleration, m/s², positive to the right (the schema's `accel_lat_mps2`); `aLatLog` as logged. */
  aLat: Float64Array;
  /** Noise-free WGS-84 position. */
  lat: Float64Array;
  lon: Float64Array;
  /** Position as the receiver logged it. */
  gpsLat: Float64Array;
  gpsLon: Float64Array;
  heading: Float64Array;
  aLog: Float64Array;
  aLatLog: Float64Array;
  limit: Float32Array;
  mode: Uint8Array;
  /** 1 if the sample is written (0: GPS dropout or recorder fault). */
  keep: Uint8Array;

  constructor(capacity: number) {
    const c = Math.max(16, capacity);
    this.s = new Float64Array(c);
    this.v = new Float64Array(c);
    this.a = new Float64Array(c);
    this.aLat = new Float64Array(c);
    this.lat = new Float64Array(c);
    this.lon = new Float64Array(c);
    this.gpsLat = new Float64Array(c);
    this.gpsLon = new Float64Array(c);
    this.heading = new Float64Array(c);
    this.aLog = new Float64Array(c);
    this.aLatLog = new Float64Array(c);
    this.limit = new Float32Array(c);
    this.mode = new Uint8Array(c);
    this.keep = new Uint8Array(c);
  }

  /** Makes room for sample index `k`. */
  ensure(k: number): void {
    if (k < this.s.length) return;
    const c = this.s.length * 2;
    const grow64 = (a: Float64Array): Float64Array => {
      const b = new Float64Array(c);
      b.set(a);
      return b;
    };
    this.s = grow64(this.s);
    this.v = grow64(this.v);
    this.a = grow64(this.a);
    this.aLat = grow64(this.aLat);
    this.lat = grow64(this.lat);
    this.lon = grow64(this.lon);
    this.gpsLat = grow64(this.gpsLat);
    this.gpsLon = grow64(this.gpsLon);
    this.heading = grow64(this.heading);
    this.aLog = grow64(this.aLog);
    this.aLatLog = grow64(this.aLatLog);
    const limit = new Float32Array(c);
    limit.set(this.limit);
    this.limit = limit;
    const mode = new Uint8Array(c);
    mode.set(this.mode);
    this.mode = mode;
    const keep = new Uint8Array(c);
    keep.set(this.keep);
    this.keep = keep;
  }

  rowsKept(): number {
    let rows = 0;
    for (let k = 0; k < this.n; k++) rows += this.keep[k] ?? 0;
    return rows;
  }
}

export const MODE_NAMES: readonly DriveMode[] = ['autonomous', 'manual', 'remote'];
