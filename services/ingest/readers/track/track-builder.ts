import { foldName, TELEMETRY_FIELDS, type TelemetryField } from '../../normalize/aliases.js';
import { epochToMicros, TimestampParser } from '../../normalize/timestamp.js';
import { modeOf, PROFILE_TOPICS, type Role } from './message-roles.js';
import type { RowOrigin } from './sample-batch.js';
import { TrackMerger } from './track-merger.js';

/** A channel (MCAP channel, bag connection) with the role avlog gives it. */
export interface TrackChannel {
  readonly id: number;
  readonly topic: string;
  readonly schemaName: string;
  readonly role: Role;
}

/** A message stamp this far from the recorder's clock is not trusted, µs (leap seconds are 18 s). */
export const MAX_STAMP_SKEW_US = 300e6;
const G = 9.80665;
/** Frames whose axes are east-north-up on the Earth (REP-105 `earth`, UTM, ENU maps): yaw there is a course. */
const GEO_FRAMES = new Set(['enu', 'earth', 'utm', 'map_enu', 'world_enu']);
/** IMU frames that are the vehicle's own axes (x forward, y left, z up). */
const VEHICLE_FRAMES = new Set(['base_link', 'base_footprint', 'vehicle', 'body']);
/** IMU samples looked at before deciding whether the IMU's axes are the vehicle's. */
const IMU_PROBE_SAMPLES = 50;

interface ChannelState {
  /** `stamp`: the message's header stamp is the sample time; `log`: the recorder's time is. */
  clock: 'stamp' | 'log' | null;
  imuN: number;
  imuX: number;
  imuY: number;
  imuZ: number;
  /** null while probing; false when the IMU frame is not the vehicle's (its accelerations are not used). */
  imuAligned: boolean | null;
}

type Obj = Record<string, unknown>;

const ALIAS = new Map<string, TelemetryField>();
for (const [field, names] of Object.entries(TELEMETRY_FIELDS) as [TelemetryField, readonly string[]][]) {
  for (const n of names) if (!ALIAS.has(n)) ALIAS.set(n, field);
}

const folded = new Map<string, TelemetryField | null>();
/** The telemetry field a JSON key names (any alias spelling), cached per key. */
function aliasOf(key: string): TelemetryField | null {
  let field = folded.get(key);
  if (field === undefined) {
    field = ALIAS.get(foldName(key)) ?? null;
    if (folded.size < 10_000) folded.set(key, field);
  }
  return field;
}

function obj(v: unknown): Obj | null {
  return v !== null && typeof v === 'object' ? (v as Obj) : null;
}

function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && v.trim() !== '') return Number(v);
  return NaN;
}

/** A ROS/foxglove/protobuf time object ({sec, nsec} | {sec, nanosec} | {seconds, nanos}) → ns, or NaN. */
export function timeNs(t: unknown): number {
  const o = obj(t);
  if (!o) return NaN;
  const sec = num(o.sec ?? o.seconds ?? o.secs);
  const ns = num(o.nsec ?? o.nanosec ?? o.nanos ?? o.nsecs ?? 0);
  return Number.isFinite(sec) && Number.isFinite(ns) ? sec * 1e9 + ns : NaN;
}

/** The message's own stamp, ns (header.stamp, stamp, timestamp, Apollo header.timestamp_sec), or NaN. */
export function stampNs(msg: Obj): number {
  const header = obj(msg.header);
  if (header) {
    const s = timeNs(header.stamp);
    if (!Number.isNaN(s)) return s;
    const apollo = num(header.timestamp_sec ?? header.timestampSec);
    if (Number.isFinite(apollo)) return apollo * 1e9;
  }
  const s = timeNs(msg.stamp ?? msg.timestamp);
  return s;
}

/**
 * Interprets decoded messages by channel role and feeds a TrackMerger: fixes become samples, everything else
 * updates the state they carry. Shared by the MCAP and ROS bag readers.
 */
export class TrackBuilder {
  readonly merger = new TrackMerger();
  private fixChannel: number | null = null;
  private readonly states = new Map<number, ChannelState>();
  private readonly jsonParser = new TimestampParser('auto');

  /** When all channels are known up front, the fix channel on the profile topic (or the first) is chosen. */
  chooseFixChannel(channels: readonly TrackChannel[]): void {
    const fixes = channels.filter((c) => c.role === 'fix');
    const chosen = fixes.find((c) => c.topic === PROFILE_TOPICS.fix) ?? fixes[0];
    if (chosen) this.fixChannel = chosen.id;
  }

  /** The channel whose fixes become samples (the first to deliver one, unless chosen up front). */
  get fixChannelId(): number | null {
    return this.fixChannel;
  }

  /** True when messages of this channel matter to the telemetry (so decoding them is worth it). */
  uses(ch: TrackChannel): boolean {
    if (ch.role === 'event') return false;
    if (ch.role === 'fix') return this.fixChannel === null || this.fixChannel === ch.id;
    if (ch.role === 'imu') return this.state(ch).imuAligned !== false;
    return true;
  }

  private state(ch: TrackChannel): ChannelState {
    let s = this.states.get(ch.id);
    if (!s) {
      s = { clock: null, imuN: 0, imuX: 0, imuY: 0, imuZ: 0, imuAligned: null };
      this.states.set(ch.id, s);
    }
    return s;
  }

  /** Sample time of a message, µs, or a reason it has none: per channel, header stamps when they agree with the recorder. */
  private sampleTime(ch: TrackChannel, msg: Obj, logUs: number): number | string {
    const st = this.state(ch);
    const stamp = stampNs(msg) / 1000;
    const usable = Number.isFinite(stamp) && stamp > 0;
    if (st.clock === null) st.clock = usable && Math.abs(stamp - logUs) <= MAX_STAMP_SKEW_US ? 'stamp' : 'log';
    if (st.clock === 'log' || !usable) return logUs;
    if (Math.abs(stamp - logUs) > MAX_STAMP_SKEW_US) {
      return `header stamp ${new Date(stamp / 1000).toISOString()} is ${((stamp - logUs) / 1e6).toFixed(1)} s from the recorder's clock (${new Date(logUs / 1000).toISOString()})`;
    }
    return stamp;
  }

  /** Applies one decoded message. `logNs`: the recorder's time (MCAP log_time, bag record time). */
  message(ch: TrackChannel, msg: Obj, logNs: number, origin: RowOrigin): void {
    const logUs = logNs / 1000;
    const m = this.merger;
    switch (ch.role) {
      case 'fix': {
        if (this.fixChannel === null) this.fixChannel = ch.id;
        if (this.fixChannel !== ch.id) return;
        this.fix(ch, msg, logUs, origin);
        return;
      }
      case 'odometry': {
        const twist = obj(obj(msg.twist)?.twist);
        const lin = obj(twist?.linear);
        if (lin) m.setSpeed(logUs, Math.hypot(num(lin.x), num(lin.y)));
        // A pose in a geo-referenced ENU frame gives the course; an `odom` frame's yaw is arbitrary.
        const frame = String(obj(msg.header)?.frame_id ?? '')
          .replace(/^\//u, '')
          .toLowerCase();
        const q = obj(obj(obj(msg.pose)?.pose)?.orientation);
        if (q && GEO_FRAMES.has(frame)) {
          const [x, y, z, w] = [num(q.x), num(q.y), num(q.z), num(q.w)];
          const yaw = Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
          m.setCourse(logUs, 90 - (yaw * 180) / Math.PI);
        }
        return;
      }
      case 'imu': {
        const a = obj(msg.linear_acceleration);
        if (!a) return;
        const st = this.state(ch);
        if (
          st.imuAligned === null &&
          VEHICLE_FRAMES.has(
            String(obj(msg.header)?.frame_id ?? '')
              .replace(/^\//u, '')
              .toLowerCase(),
          )
        )
          st.imuAligned = true;
        this.imu(ch, logUs, num(a.x), num(a.y), num(a.z));
        return;
      }
      case 'gnss_velocity': {
        const t = obj(msg.twist);
        const lin = obj(obj(t?.twist)?.linear ?? t?.linear);
        if (!lin) return;
        const east = num(lin.x);
        const north = num(lin.y);
        const v = Math.hypot(east, north);
        m.setSpeed(logUs, v);
        if (v >= 0.5) m.setCourse(logUs, (Math.atan2(east, north) * 180) / Math.PI);
        return;
      }
      case 'mode': {
        m.setMode(modeOf(ch.schemaName, msg));
        const speed = num(msg.speed_mps ?? msg.speedMps);
        if (Number.isFinite(speed)) m.setSpeed(logUs, speed);
        return;
      }
      case 'vehicle_state':
        this.vehicleState(ch, msg, logUs, origin);
        return;
      case 'event':
        return;
    }
  }

  private fix(ch: TrackChannel, msg: Obj, logUs: number, origin: RowOrigin): void {
    const status = obj(msg.status);
    const fixStatus = status ? num(status.status) : NaN;
    const lat = num(msg.latitude);
    const lon = num(msg.longitude);
    if (Number.isNaN(lat) && Number.isNaN(lon) && msg.latitude === undefined) {
      this.merger.addDefect(
        'undecodable_message',
        `${ch.schemaName} message on ${ch.topic} has no latitude/longitude fields`,
        origin,
      );
      return;
    }
    if (fixStatus < 0) {
      this.merger.addDefect('missing_field', `receiver reports no fix (status ${fixStatus}) on ${ch.topic}`, origin);
      return;
    }
    const ts = this.sampleTime(ch, msg, logUs);
    if (typeof ts === 'string') {
      this.merger.addDefect('bad_timestamp', ts, origin);
      return;
    }
    // gps_common/GPSFix carries its own course (track, degrees from north) and speed.
    const speed = msg.track !== undefined ? num(msg.speed) : NaN;
    const heading = msg.track !== undefined ? num(msg.track) : NaN;
    this.merger.addFix({ tsUs: Math.round(ts), logUs, lat, lon, speed, heading }, origin);
  }

  private imu(ch: TrackChannel, logUs: number, x: number, y: number, z: number): void {
    const st = this.state(ch);
    if (st.imuAligned === null) {
      if (![x, y, z].every(Number.isFinite)) return;
      st.imuN++;
      st.imuX += x;
      st.imuY += y;
      st.imuZ += z;
      if (st.imuN < IMU_PROBE_SAMPLES) return;
      const mz = Math.abs(st.imuZ / st.imuN);
      const horizontal = Math.hypot(st.imuX / st.imuN, st.imuY / st.imuN);
      // Vehicle axes (x forward, y left, z up) put gravity on z (or nowhere, when the driver removes it).
      st.imuAligned = horizontal < 2.5 && (Math.abs(mz - G) < 1.8 || mz < 1.5);
      return;
    }
    if (st.imuAligned) this.merger.addAccel(logUs, x, -y);
  }

  private vehicleState(ch: TrackChannel, msg: Obj, logUs: number, origin: RowOrigin): void {
    const m = this.merger;
    const f: Partial<Record<TelemetryField, unknown>> = {};
    for (const [k, v] of Object.entries(msg)) {
      const field = aliasOf(k);
      if (field !== null && f[field] === undefined) f[field] = v;
    }
    const speed =
      f.speed_mps !== undefined ? num(f.speed_mps) : f.speed_kmh !== undefined ? num(f.speed_kmh) / 3.6 : num(f.speed);
    if (Number.isFinite(speed)) m.setSpeed(logUs, speed);
    if (f.heading_deg !== undefined) m.setCourse(logUs, num(f.heading_deg));
    if (f.accel_lon_mps2 !== undefined)
      m.addAccel(logUs, num(f.accel_lon_mps2), f.accel_lat_mps2 === undefined ? 0 : num(f.accel_lat_mps2));
    if (f.mode !== undefined) m.setMode(f.mode === null ? null : String(f.mode));
    const text = (v: unknown) => (v === undefined || v === null ? null : String(v));
    m.setIdentity({ ads: text(f.ads_version), vehicle: text(f.vehicle_id), company: text(f.company_id) });
    // A state message with a position stands in for a fix channel when the recording has none.
    if (f.lat !== undefined && f.lon !== undefined && (this.fixChannel === null || this.fixChannel === ch.id)) {
      this.fixChannel = ch.id;
      const own = this.jsonTime(f);
      const ts = Number.isFinite(own) ? own : logUs;
      this.merger.addFix(
        { tsUs: Math.round(ts), logUs, lat: num(f.lat), lon: num(f.lon), speed: NaN, heading: NaN },
        origin,
      );
    }
  }

  /** A JSON object's own timestamp (ts_ns, ts_us, ts_ms, ts_s, ts), µs, or NaN. */
  jsonTime(f: Partial<Record<TelemetryField, unknown>>): number {
    if (f.ts_ns !== undefined) return epochToMicros(num(f.ts_ns), 'ns');
    if (f.ts_us !== undefined) return epochToMicros(num(f.ts_us), 'us');
    if (f.ts_ms !== undefined) return epochToMicros(num(f.ts_ms), 'ms');
    if (f.ts_s !== undefined) return epochToMicros(num(f.ts_s), 's');
    if (f.ts !== undefined && f.ts !== null) return this.jsonParser.parse(f.ts);
    return NaN;
  }

  /** A message of a used channel that did not decode. */
  undecodable(ch: TrackChannel, detail: string, origin: RowOrigin): void {
    if (ch.role === 'fix' && this.fixChannel !== null && this.fixChannel !== ch.id) return;
    this.merger.addDefect('undecodable_message', `${ch.topic} (${ch.schemaName}): ${detail}`, origin);
  }
}
