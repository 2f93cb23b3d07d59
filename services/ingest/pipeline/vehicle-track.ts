import { bearingDeg, haversineM } from '../../reference/geo/haversine.js';
import { LIMITS } from '../options.js';
import type { QuarantineReason } from '../schema/vocab.js';

/** One sample as normalised from the source; NaN marks a value the log did not have. */
export interface Sample {
  tsUs: number;
  lat: number;
  lon: number;
  speed: number;
  heading: number;
  accelLon: number;
  accelLat: number;
}

/** What the track adds to an accepted sample. */
export interface Derived {
  driveStartUs: number;
  /** Distance from the previous sample: the speed integral when both have a logged speed, else `segPosM`. */
  segM: number;
  /** Haversine distance between the two positions. */
  segPosM: number;
  dtS: number;
  /** Whether the sample continues the previous one's derivation segment (same drive, gap ≤ maxDeriveGapS). */
  joins: boolean;
}

/** Where a vehicle's track ended: enough to continue its drive in the next file of the same recording. */
export interface TrackState {
  lastTs: number;
  lastLat: number;
  lastLon: number;
  /** The last logged speed (NaN when it was derived from positions). */
  lastSpeed: number;
  lastHeading: number;
  driveStart: number;
}

/**
 * The running state of one vehicle: orders its samples, splits drives at gaps, rejects impossible motion and
 * derives distance, time step and missing speed/heading (accelerations and jerk: derive/kinematics-window.ts).
 */
export class VehicleTrack {
  private lastTs = -Infinity;
  private lastLat = NaN;
  private lastLon = NaN;
  private lastSpeed = NaN;
  private lastHeading = NaN;
  private driveStart = NaN;
  private readonly driveGapUs: number;
  /** Samples up to this instant were stored from an earlier file of the same drive: repeats are overlap. */
  private overlapUntil = -Infinity;

  constructor(driveGapS: number, resume: TrackState | null = null) {
    this.driveGapUs = driveGapS * 1e6;
    if (resume) {
      ({
        lastTs: this.lastTs,
        lastLat: this.lastLat,
        lastLon: this.lastLon,
        lastSpeed: this.lastSpeed,
        lastHeading: this.lastHeading,
        driveStart: this.driveStart,
      } = resume);
      this.overlapUntil = resume.lastTs;
    }
  }

  snapshot(): TrackState {
    return {
      lastTs: this.lastTs,
      lastLat: this.lastLat,
      lastLon: this.lastLon,
      lastSpeed: this.lastSpeed,
      lastHeading: this.lastHeading,
      driveStart: this.driveStart,
    };
  }

  /** Checks order and motion; on success fills in `s` and `d` and returns null, else the reason to reject. */
  accept(s: Sample, d: Derived): QuarantineReason | null {
    const gapUs = s.tsUs - this.lastTs;
    if (gapUs <= 0 && s.tsUs <= this.overlapUntil) return 'overlap';
    if (gapUs === 0) return 'duplicate_timestamp';
    if (gapUs < 0) return 'timestamp_backwards';
    const newDrive = !(gapUs <= this.driveGapUs);
    const speedLogged = !Number.isNaN(s.speed);
    let seg = 0;
    let dt = NaN;
    if (!newDrive) {
      dt = gapUs / 1e6;
      seg = haversineM(this.lastLat, this.lastLon, s.lat, s.lon);
      if (seg > LIMITS.jumpMinM && seg / dt > LIMITS.jumpSpeedMps) return 'position_jump';
    }
    // Within a drive the distance is the trapezoid of logged speed: GNSS noise adds to a sum of chords, not to it.
    const bySpeed = !newDrive && speedLogged && !Number.isNaN(this.lastSpeed);
    d.segM = bySpeed ? ((this.lastSpeed + s.speed) / 2) * dt : seg;
    if (!speedLogged && !newDrive) s.speed = seg / dt;
    if (Number.isNaN(s.heading))
      s.heading = seg > 1 ? bearingDeg(this.lastLat, this.lastLon, s.lat, s.lon) : this.lastHeading;
    if (newDrive) this.driveStart = s.tsUs;
    this.lastTs = s.tsUs;
    this.lastLat = s.lat;
    this.lastLon = s.lon;
    this.lastSpeed = speedLogged ? s.speed : NaN;
    this.lastHeading = s.heading;
    d.driveStartUs = this.driveStart;
    d.segPosM = seg;
    d.dtS = dt;
    d.joins = !newDrive && dt <= LIMITS.maxDeriveGapS;
    return null;
  }
}
