import { bearingDeg, haversineM } from '../../../reference/geo/haversine.js';
import type { QuarantineReason } from '../../schema/vocab.js';
import type { RowOrigin, Sample, SampleBatch } from './sample-batch.js';

/**
 * How a time-ordered stream of position fixes and vehicle-state messages becomes one sample per fix.
 * docs/mcap-profile.md states this policy for users; keep the two in step.
 */
export const MERGE_POLICY = {
  /** Speed, logged course and acceleration older than this (recorder clock) at a fix are not carried to it, µs. */
  maxStateAgeUs: 1_000_000,
  /** Course over ground is the bearing from the latest earlier fix at least this far away, m. */
  courseBaselineM: 2,
  /** Fixes kept to look back for that baseline. */
  courseHistory: 64,
  /** Below this logged speed the course holds (GNSS wander of a standing vehicle is not a course), m/s. */
  courseMinSpeedMps: 0.5,
  /** Samples held back to receive the first course over ground (backfill); beyond this they go without. */
  maxBackfillSamples: 4096,
  /** A fix earlier than the previous one by more than this is a backwards clock jump, µs (0: any step back). */
  backwardsToleranceUs: 0,
} as const;

/** A position fix as read from any source. `speed`/`heading` NaN when the fix message has none. */
export interface Fix {
  /** Sample instant, epoch µs (the message's own stamp, or the recorder's time). */
  tsUs: number;
  /** Recorder clock, epoch µs: orders messages and ages state. Same as tsUs when the format has one clock. */
  logUs: number;
  lat: number;
  lon: number;
  speed: number;
  heading: number;
  /** Odometer reading carried by the fix (GB/T 32960), km. */
  odometerKm?: number;
}

interface Timed {
  value: number;
  logUs: number;
}

interface Pending {
  sample: Sample;
  origin: RowOrigin;
  defect: { reason: QuarantineReason; detail: string } | null;
}

/**
 * Merges several topics (fix, odometry, IMU, driving mode, vehicle state) into one sample stream: a sample per
 * position fix, carrying the latest state known at that instant.
 *
 * - speed: the fix's own, else the latest logged speed (odometry, vehicle state, chassis) not older than
 *   `maxStateAgeUs`, else none (the pipeline derives it from positions);
 * - heading: the fix's own course, else the latest logged course within `maxStateAgeUs`, else the course over
 *   ground: the bearing from the latest earlier fix at least `courseBaselineM` away (of the last
 *   `courseHistory`), held while standing; samples before the first course get it (backfill, up to
 *   `maxBackfillSamples`);
 * - acceleration: the mean of the IMU samples since the previous fix (an anti-alias filter for a 100 Hz IMU
 *   at a 10 Hz fix rate), else the latest within `maxStateAgeUs`;
 * - mode, ADS version, vehicle, company: the latest value, however old (they hold until changed);
 * - a fix earlier than the previous fix is a backwards clock jump and becomes a `timestamp_backwards` defect.
 */
export class TrackMerger {
  private speed: Timed = { value: NaN, logUs: -Infinity };
  private course: Timed = { value: NaN, logUs: -Infinity };
  private accelLon: Timed = { value: NaN, logUs: -Infinity };
  private accelLat: Timed = { value: NaN, logUs: -Infinity };
  private sumLon = 0;
  private sumLat = 0;
  private accelCount = 0;
  private mode: string | null = null;
  private ads: string | null = null;
  private vehicle: string | null = null;
  private company: string | null = null;
  private lastFixTs = -Infinity;
  /** Recent fixes (lat, lon pairs) for the course over ground. */
  private readonly history: number[] = [];
  private cog = NaN;
  private readonly queue: Pending[] = [];
  /** Leading samples waiting for the first course over ground. */
  private backfilling = true;
  private readonly ready: Pending[] = [];
  private readyCursor = 0;

  setSpeed(logUs: number, mps: number): void {
    if (Number.isFinite(mps)) this.speed = { value: Math.abs(mps), logUs };
  }

  setCourse(logUs: number, deg: number): void {
    if (Number.isFinite(deg)) this.course = { value: ((deg % 360) + 360) % 360, logUs };
  }

  /** One IMU sample in the vehicle frame, lateral positive to the right. */
  addAccel(logUs: number, lon: number, lat: number): void {
    if (!Number.isFinite(lon) || !Number.isFinite(lat)) return;
    this.accelLon = { value: lon, logUs };
    this.accelLat = { value: lat, logUs };
    this.sumLon += lon;
    this.sumLat += lat;
    this.accelCount++;
  }

  setMode(mode: string | null): void {
    if (mode !== null) this.mode = mode;
  }

  setIdentity(id: { ads?: string | null; vehicle?: string | null; company?: string | null }): void {
    if (id.ads) this.ads = id.ads;
    if (id.vehicle) this.vehicle = id.vehicle;
    if (id.company) this.company = id.company;
  }

  get currentMode(): string | null {
    return this.mode;
  }

  /** Adds a sample for a position fix (or a defect when its clock went backwards). */
  addFix(f: Fix, origin: RowOrigin): void {
    const p = MERGE_POLICY;
    if (f.tsUs < this.lastFixTs - p.backwardsToleranceUs) {
      const back = (this.lastFixTs - f.tsUs) / 1e6;
      this.emit({
        sample: this.blank(f),
        origin,
        defect: {
          reason: 'timestamp_backwards',
          detail: `clock jumped back ${back.toFixed(3)} s: fix at ${new Date(f.tsUs / 1000).toISOString()} after one at ${new Date(this.lastFixTs / 1000).toISOString()}`,
        },
      });
      return;
    }
    this.lastFixTs = f.tsUs;
    const fresh = (t: Timed) => f.logUs - t.logUs <= p.maxStateAgeUs;
    const speed = Number.isFinite(f.speed) ? f.speed : fresh(this.speed) ? this.speed.value : NaN;
    let accelLon = NaN;
    let accelLat = NaN;
    if (this.accelCount > 0 && fresh(this.accelLon)) {
      accelLon = this.sumLon / this.accelCount;
      accelLat = this.sumLat / this.accelCount;
    } else if (fresh(this.accelLon)) {
      accelLon = this.accelLon.value;
      accelLat = this.accelLat.value;
    }
    this.sumLon = 0;
    this.sumLat = 0;
    this.accelCount = 0;
    this.updateCourse(f, speed);
    let heading = f.heading;
    if (!Number.isFinite(heading)) heading = fresh(this.course) ? this.course.value : this.cog;
    const sample: Sample = {
      tsUs: f.tsUs,
      lat: f.lat,
      lon: f.lon,
      speed,
      heading,
      accelLon,
      accelLat,
      odometerKm: f.odometerKm ?? NaN,
      mode: this.mode,
      ads: this.ads,
      vehicle: this.vehicle,
      company: this.company,
    };
    if (this.backfilling) {
      if (Number.isFinite(heading)) {
        for (const q of this.queue) if (q.defect === null && Number.isNaN(q.sample.heading)) q.sample.heading = heading;
        this.flushQueue();
        this.backfilling = false;
      } else {
        this.queue.push({ sample, origin, defect: null });
        if (this.queue.length >= p.maxBackfillSamples) {
          this.flushQueue();
          this.backfilling = false;
        }
        return;
      }
    }
    this.ready.push({ sample, origin, defect: null });
  }

  /** Course over ground: bearing from the latest earlier fix at least `courseBaselineM` away (a sliding baseline). */
  private updateCourse(f: Fix, speed: number): void {
    const h = this.history;
    if (!(Number.isFinite(speed) && speed < MERGE_POLICY.courseMinSpeedMps)) {
      for (let i = h.length - 2; i >= 0; i -= 2) {
        const lat = h[i] as number;
        const lon = h[i + 1] as number;
        if (haversineM(lat, lon, f.lat, f.lon) >= MERGE_POLICY.courseBaselineM) {
          this.cog = bearingDeg(lat, lon, f.lat, f.lon);
          h.splice(0, i);
          break;
        }
      }
    }
    h.push(f.lat, f.lon);
    if (h.length > 2 * MERGE_POLICY.courseHistory) h.splice(0, h.length - 2 * MERGE_POLICY.courseHistory);
  }

  /** A record that could not be used: quarantined by the pipeline with this reason. Keeps its place in order. */
  addDefect(reason: QuarantineReason, detail: string, origin: RowOrigin): void {
    this.emit({ sample: this.blank(null), origin, defect: { reason, detail } });
  }

  private emit(p: Pending): void {
    if (this.backfilling && this.queue.length > 0) this.queue.push(p);
    else this.ready.push(p);
  }

  private blank(f: Fix | null): Sample {
    return {
      tsUs: f ? f.tsUs : NaN,
      lat: f ? f.lat : NaN,
      lon: f ? f.lon : NaN,
      speed: NaN,
      heading: NaN,
      accelLon: NaN,
      accelLat: NaN,
      mode: null,
      ads: null,
      vehicle: null,
      company: null,
    };
  }

  private flushQueue(): void {
    for (const q of this.queue) this.ready.push(q);
    this.queue.length = 0;
  }

  /** Rows waiting to be handed out. */
  get readyCount(): number {
    return this.ready.length - this.readyCursor;
  }

  /** Moves ready rows into the batch until it is full; `end` also releases held-back rows. */
  drain(batch: SampleBatch, end: boolean): void {
    if (end) {
      this.flushQueue();
      this.backfilling = false;
    }
    while (this.readyCursor < this.ready.length && !batch.full) {
      const p = this.ready[this.readyCursor++] as Pending;
      if (p.defect)
        batch.pushDefect(p.defect.reason, p.defect.detail, p.origin, Number.isNaN(p.sample.tsUs) ? null : p.sample);
      else batch.push(p.sample, p.origin);
    }
    if (this.readyCursor >= this.ready.length) {
      this.ready.length = 0;
      this.readyCursor = 0;
    } else if (this.readyCursor > 4096) {
      this.ready.splice(0, this.readyCursor);
      this.readyCursor = 0;
    }
  }
}
