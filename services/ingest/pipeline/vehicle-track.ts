import { bearingDeg, haversineM, headingDelta } from '../../reference/geo/haversine.js';
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
  segM: number;
  dtS: number;
  jerk: number;
}

const RAD = Math.PI / 180;

/** Where a vehicle's track ended: enough to continue its drive in the next file of the same recording. */
export interface TrackState {
  lastTs: number;
  lastLat: number;
  lastLon: number;
  lastSpeed: number;
  lastHeading: number;
  filtered: number;
  driveStart: number;
}

/**
 * The running state of one vehicle: orders its samples, splits drives at gaps, rejects impossible motion and
 * derives distance, time step, missing speed/heading/acceleration, and jerk from low-passed acceleration.
 */
export class VehicleTrack {
  private lastTs = -Infinity;
  private lastLat = NaN;
  private lastLon = NaN;
  private lastSpeed = NaN;
  private lastHeading = NaN;
  private filtered = NaN;
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
        filtered: this.filtered,
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
      filtered: this.filtered,
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
    let seg = 0;
    let dt = NaN;
    if (!newDrive) {
      dt = gapUs / 1e6;
      seg = haversineM(this.lastLat, this.lastLon, s.lat, s.lon);
      if (seg > LIMITS.jumpMinM && seg / dt > LIMITS.jumpSpeedMps) return 'position_jump';
    }
    const near = !newDrive && dt <= LIMITS.maxDeriveGapS;
    if (Number.isNaN(s.speed) && !newDrive) s.speed = seg / dt;
    if (Number.isNaN(s.heading))
      s.heading = seg > 1 ? bearingDeg(this.lastLat, this.lastLon, s.lat, s.lon) : this.lastHeading;
    if (Number.isNaN(s.accelLon) && near && !Number.isNaN(this.lastSpeed) && !Number.isNaN(s.speed)) {
      s.accelLon = (s.speed - this.lastSpeed) / dt;
    }
    if (
      Number.isNaN(s.accelLat) &&
      near &&
      !Number.isNaN(s.heading) &&
      !Number.isNaN(this.lastHeading) &&
      !Number.isNaN(s.speed)
    ) {
      s.accelLat =
        s.speed < LIMITS.minCourseSpeedMps ? 0 : (s.speed * headingDelta(this.lastHeading, s.heading) * RAD) / dt;
    }
    let jerk = NaN;
    if (Number.isNaN(s.accelLon)) {
      this.filtered = NaN;
    } else if (near && !Number.isNaN(this.filtered)) {
      const alpha = dt / (LIMITS.jerkFilterTauS + dt);
      const next = this.filtered + alpha * (s.accelLon - this.filtered);
      jerk = (next - this.filtered) / dt;
      this.filtered = next;
    } else {
      this.filtered = s.accelLon;
    }
    if (newDrive) this.driveStart = s.tsUs;
    this.lastTs = s.tsUs;
    this.lastLat = s.lat;
    this.lastLon = s.lon;
    this.lastSpeed = s.speed;
    this.lastHeading = s.heading;
    d.driveStartUs = this.driveStart;
    d.segM = seg;
    d.dtS = dt;
    d.jerk = jerk;
    return null;
  }
}
