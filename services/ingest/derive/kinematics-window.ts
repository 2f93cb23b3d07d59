import { headingDelta } from '../../reference/geo/haversine.js';
import { LIMITS } from '../options.js';
import { allocateScanBlock, SCAN_COLUMN_NAMES, type ScanBlock } from '../pipeline/scan-columns.js';
import { despiked } from './despike.js';
import { localMean, localSlope } from './local-slope.js';

const RAD = Math.PI / 180;
const HALF_US = (LIMITS.deriveWindowS / 2) * 1e6;

/** Counts of what the estimator did, for the ingest summary. */
export interface KinematicsStats {
  /** Speed samples treated as isolated glitches (stored as logged, not differentiated). */
  speed_spikes: number;
  /** Samples whose logged longitudinal acceleration contradicted speed: the speed estimate was stored instead. */
  accel_contradicted: number;
  /** The same for logged lateral acceleration against v·dψ/dt. */
  accel_lat_contradicted: number;
}

/**
 * The rows of one vehicle's current derivation segment (samples of one drive closer than LIMITS.maxDeriveGapS),
 * held until their centred window is complete: speed is despiked (isolated single-sample glitches), then
 * acceleration is the least-squares slope of speed over ±deriveWindowS/2 (at least one neighbour each side),
 * lateral acceleration v·dψ/dt with dψ/dt fitted the same way, and jerk the derivative of the stored acceleration
 * low-passed with τ = jerkFilterTauS. A logged acceleration is kept only where it agrees with the speed change over the window.
 * Rows come out in order once final (about one window late); `close` finishes the segment with one-sided windows.
 */
export class KinematicsWindow {
  readonly stats: KinematicsStats = { speed_spikes: 0, accel_contradicted: 0, accel_lat_contradicted: 0 };
  private buf: ScanBlock = allocateScanBlock(64);
  private vClean = new Float64Array(64);
  private aLogged = new Float64Array(64);
  private aLatLogged = new Float64Array(64);
  private scratch = new Float64Array(64);
  private tail = 0;
  /** Rows before these indices have their despiked speed / acceleration / jerk final; `head` is the next to emit. */
  private despikedTo = 0;
  private accelTo = 0;
  private jerkTo = 0;
  private head = 0;
  /** Acceleration low-passed for jerk (first-order, τ = jerkFilterTauS), at row jerkTo − 1. */
  private filtered = NaN;

  /** The row index to write the next sample's columns into (then call `commit`). */
  slot(): ScanBlock {
    if (this.tail === this.buf.ts_us.length) this.makeRoom();
    return this.buf;
  }

  get next(): number {
    return this.tail;
  }

  /** Takes the row written at `next`; `joins` false when it starts a new segment (the previous one is closed). */
  commit(joins: boolean, emit: (rows: ScanBlock, i: number) => void): void {
    const i = this.tail;
    if (!joins && i > 0) {
      this.close(emit);
      this.moveRow(i, 0);
    }
    const r = this.tail;
    this.aLogged[r] = this.buf.accel_lon_mps2[r] ?? NaN;
    this.aLatLogged[r] = this.buf.accel_lat_mps2[r] ?? NaN;
    this.tail++;
    this.advance(false);
    this.drain(emit);
  }

  /** Finishes the segment: every held row is derived with what there is and emitted. */
  close(emit: (rows: ScanBlock, i: number) => void): void {
    this.advance(true);
    this.drain(emit);
    this.tail = this.despikedTo = this.accelTo = this.jerkTo = this.head = 0;
    this.filtered = NaN;
  }

  private drain(emit: (rows: ScanBlock, i: number) => void): void {
    while (this.head < this.jerkTo) emit(this.buf, this.head++);
  }

  private advance(closed: boolean): void {
    const t = this.buf.ts_us;
    const v = this.buf.speed_mps;
    while (this.despikedTo < this.tail) {
      const i = this.despikedTo;
      if (i + 1 >= this.tail && !closed) break;
      const x = v[i] ?? NaN;
      let clean = x;
      if (i > 0 && i + 1 < this.tail) {
        const tp = t[i - 1] ?? 0;
        const tn = t[i + 1] ?? 0;
        const ti = t[i] ?? 0;
        const dtMin = Math.min(ti - tp, tn - ti) / 1e6;
        const threshold = Math.max(LIMITS.speedSpikeMinMps, LIMITS.speedSpikeAccelMps2 * dtMin);
        clean = despiked(tp, v[i - 1] ?? NaN, ti, x, tn, v[i + 1] ?? NaN, threshold);
        if (clean !== x) this.stats.speed_spikes++;
      }
      this.vClean[i] = clean;
      this.despikedTo++;
    }
    while (this.accelTo < this.tail) {
      const i = this.accelTo;
      const hi = this.windowEnd(i, this.despikedTo, closed);
      if (hi < 0) break;
      this.deriveAccel(i, this.windowStart(i), hi);
      this.accelTo++;
    }
    while (this.jerkTo < this.accelTo) {
      const i = this.jerkTo;
      const a = this.buf.accel_lon_mps2[i] ?? NaN;
      const dt = i > 0 ? ((t[i] ?? 0) - (t[i - 1] ?? 0)) / 1e6 : NaN;
      let jerk = NaN;
      if (Number.isNaN(a)) this.filtered = NaN;
      else if (i > 0 && !Number.isNaN(this.filtered)) {
        const next = this.filtered + (dt / (LIMITS.jerkFilterTauS + dt)) * (a - this.filtered);
        jerk = (next - this.filtered) / dt;
        this.filtered = next;
      } else this.filtered = a;
      this.buf.jerk_mps3[i] = jerk;
      this.jerkTo++;
    }
  }

  /** First row of row i's window: within half a window before it, and at least its predecessor. */
  private windowStart(i: number): number {
    const t = this.buf.ts_us;
    const from = (t[i] ?? 0) - HALF_US;
    let lo = i;
    while (lo > 0 && (t[lo - 1] ?? 0) >= from) lo--;
    return i > 0 ? Math.min(lo, i - 1) : 0;
  }

  /**
   * End (exclusive) of row i's window — within half a window after it, and at least its successor — when the rows
   * of that window are all below `ready`; -1 while it is still open.
   */
  private windowEnd(i: number, ready: number, closed: boolean): number {
    const t = this.buf.ts_us;
    const to = (t[i] ?? 0) + HALF_US;
    let j = i + 1;
    while (j < this.tail && (t[j] ?? 0) <= to) j++;
    const hi = Math.max(j, Math.min(i + 2, this.tail));
    if (closed) return hi;
    if (j === this.tail) return -1;
    return hi <= ready ? hi : -1;
  }

  private deriveAccel(i: number, lo: number, hi: number): void {
    const t = this.buf.ts_us;
    const est = localSlope(t, this.vClean, lo, hi, i);
    const logged = this.aLogged[i] ?? NaN;
    let a = Number.isNaN(logged) ? est : logged;
    if (!Number.isNaN(logged) && !Number.isNaN(est)) {
      const spanS = ((t[hi - 1] ?? 0) - (t[lo] ?? 0)) / 1e6;
      const dvSpeed = (this.vClean[hi - 1] ?? NaN) - (this.vClean[lo] ?? NaN);
      const dvLogged = this.integral(this.aLogged, lo, hi);
      if (Math.abs(dvSpeed - dvLogged) > LIMITS.accelCheckMps2 * Math.max(spanS, LIMITS.deriveWindowS / 2)) {
        a = est;
        this.stats.accel_contradicted++;
      }
    }
    this.buf.accel_lon_mps2[i] = a;

    const latLogged = this.aLatLogged[i] ?? NaN;
    const latEst = this.lateral(i, lo, hi);
    let lat = Number.isNaN(latLogged) ? latEst : latLogged;
    if (!Number.isNaN(latLogged) && !Number.isNaN(latEst)) {
      const mean = localMean(this.aLatLogged, lo, hi);
      if (Math.abs(mean - latEst) > LIMITS.accelLatCheckMps2) {
        lat = latEst;
        this.stats.accel_lat_contradicted++;
      }
    }
    this.buf.accel_lat_mps2[i] = lat;
  }

  /** v·dψ/dt at row i, positive to the right (heading clockwise); 0 below the speed a course means anything. */
  private lateral(i: number, lo: number, hi: number): number {
    const h = this.buf.heading_deg;
    const hi0 = h[i] ?? NaN;
    const v = this.vClean[i] ?? NaN;
    if (Number.isNaN(hi0) || Number.isNaN(v)) return NaN;
    if (v < LIMITS.minCourseSpeedMps) return 0;
    for (let j = lo; j < hi; j++) {
      const hj = h[j] ?? NaN;
      this.scratch[j] = Number.isNaN(hj) ? NaN : hi0 + headingDelta(hi0, hj);
    }
    return v * localSlope(this.buf.ts_us, this.scratch, lo, hi, i) * RAD;
  }

  /** ∫ a dt over rows [lo, hi) by trapezoids (intervals with a missing end skipped), m/s. */
  private integral(a: Float64Array, lo: number, hi: number): number {
    const t = this.buf.ts_us;
    let s = 0;
    for (let j = lo + 1; j < hi; j++) {
      const x = ((a[j - 1] ?? NaN) + (a[j] ?? NaN)) / 2;
      if (!Number.isNaN(x)) s += (x * ((t[j] ?? 0) - (t[j - 1] ?? 0))) / 1e6;
    }
    return s;
  }

  /** Drops rows no window needs any more, or doubles the buffers when all are still needed. */
  private makeRoom(): void {
    const keep = this.accelTo < this.tail ? this.windowStart(this.accelTo) : this.tail;
    const drop = Math.min(keep, this.head);
    if (drop > 0) {
      for (const c of SCAN_COLUMN_NAMES) this.buf[c].copyWithin(0, drop, this.tail);
      for (const a of [this.vClean, this.aLogged, this.aLatLogged]) a.copyWithin(0, drop, this.tail);
      this.tail -= drop;
      this.despikedTo -= drop;
      this.accelTo -= drop;
      this.jerkTo -= drop;
      this.head -= drop;
      return;
    }
    const cap = this.buf.ts_us.length * 2;
    const grown = allocateScanBlock(cap);
    for (const c of SCAN_COLUMN_NAMES) grown[c].set(this.buf[c]);
    this.buf = grown;
    this.vClean = grow(this.vClean, cap);
    this.aLogged = grow(this.aLogged, cap);
    this.aLatLogged = grow(this.aLatLogged, cap);
    this.scratch = new Float64Array(cap);
  }

  private moveRow(from: number, to: number): void {
    for (const c of SCAN_COLUMN_NAMES) this.buf[c][to] = this.buf[c][from] ?? 0;
  }
}

function grow(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const out = new Float64Array(cap);
  out.set(a);
  return out;
}
