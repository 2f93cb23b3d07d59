import fs from 'node:fs';
import { md5, parse } from '@foxglove/rosmsg';
import { MessageWriter } from '@foxglove/rosmsg-serialization';
import * as lz4 from 'lz4js';
import { MODE_NAMES, type DriveTrace } from '../trace.js';
import type { DriveMode } from '../vocab.js';
import { bzip2Compress } from './codecs/bzip2.js';
import type { EventLine } from './events.js';
import { sampleMs, type DriveMeta } from './meta.js';

/* ------------------------------------------------------------------------------------------------------------
 * ROS message definitions (ROS 1 `.msg` text with dependencies, and the ROS 2 equivalents) of the messages
 * the avlog profile uses. Written into bags and MCAP schemas; readers take definitions from the file.
 * ---------------------------------------------------------------------------------------------------------- */

const SEP = '\n================================================================================\nMSG: ';

const HEADER1 = 'std_msgs/Header\nuint32 seq\ntime stamp\nstring frame_id';
const HEADER2 = 'std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id';
const TIME2 = 'builtin_interfaces/Time\nint32 sec\nuint32 nanosec';
const NAVSAT_STATUS =
  'sensor_msgs/NavSatStatus\nint8 STATUS_NO_FIX=-1\nint8 STATUS_FIX=0\nint8 STATUS_SBAS_FIX=1\nint8 STATUS_GBAS_FIX=2\nint8 status\nuint16 SERVICE_GPS=1\nuint16 SERVICE_GLONASS=2\nuint16 SERVICE_COMPASS=4\nuint16 SERVICE_GALILEO=8\nuint16 service';
const NAVSAT_FIX_BODY = (header: string) =>
  `${header} header\nNavSatStatus status\nfloat64 latitude\nfloat64 longitude\nfloat64 altitude\nfloat64[9] position_covariance\nuint8 COVARIANCE_TYPE_UNKNOWN=0\nuint8 COVARIANCE_TYPE_APPROXIMATED=1\nuint8 COVARIANCE_TYPE_DIAGONAL_KNOWN=2\nuint8 COVARIANCE_TYPE_KNOWN=3\nuint8 position_covariance_type`;
const POINT = 'geometry_msgs/Point\nfloat64 x\nfloat64 y\nfloat64 z';
const QUATERNION = 'geometry_msgs/Quaternion\nfloat64 x\nfloat64 y\nfloat64 z\nfloat64 w';
const VECTOR3 = 'geometry_msgs/Vector3\nfloat64 x\nfloat64 y\nfloat64 z';
const POSE = 'geometry_msgs/Pose\nPoint position\nQuaternion orientation';
const TWIST = 'geometry_msgs/Twist\nVector3 linear\nVector3 angular';
const POSE_COV = 'geometry_msgs/PoseWithCovariance\nPose pose\nfloat64[36] covariance';
const TWIST_COV = 'geometry_msgs/TwistWithCovariance\nTwist twist\nfloat64[36] covariance';
const ODOMETRY_BODY = (header: string) =>
  `${header} header\nstring child_frame_id\ngeometry_msgs/PoseWithCovariance pose\ngeometry_msgs/TwistWithCovariance twist`;
const IMU_BODY = (header: string) =>
  `${header} header\ngeometry_msgs/Quaternion orientation\nfloat64[9] orientation_covariance\ngeometry_msgs/Vector3 angular_velocity\nfloat64[9] angular_velocity_covariance\ngeometry_msgs/Vector3 linear_acceleration\nfloat64[9] linear_acceleration_covariance`;
const CONTROL_MODE_BODY = (time: string) =>
  `${time} stamp\nuint8 NO_COMMAND=0\nuint8 AUTONOMOUS=1\nuint8 AUTONOMOUS_STEER_ONLY=2\nuint8 AUTONOMOUS_VELOCITY_ONLY=3\nuint8 MANUAL=4\nuint8 DISENGAGED=5\nuint8 NOT_READY=6\nuint8 mode`;
const OPERATION_MODE_BODY = (time: string) =>
  `${time} stamp\nuint8 UNKNOWN=0\nuint8 STOP=1\nuint8 AUTONOMOUS=2\nuint8 LOCAL=3\nuint8 REMOTE=4\nuint8 mode\nbool is_autoware_control_enabled\nbool is_in_transition\nbool is_stop_mode_available\nbool is_autonomous_mode_available\nbool is_local_mode_available\nbool is_remote_mode_available`;

/** ROS message types the writers produce. */
export type RosType =
  | 'sensor_msgs/NavSatFix'
  | 'nav_msgs/Odometry'
  | 'sensor_msgs/Imu'
  | 'autoware_auto_vehicle_msgs/ControlModeReport'
  | 'autoware_adapi_v1_msgs/OperationModeState'
  | 'std_msgs/String';

const join = (...parts: string[]) => parts.join(SEP);

/** ROS 1 definitions (bags, MCAP `ros1msg`). */
export const ROS1_DEFINITIONS: Readonly<Record<RosType, string>> = {
  'sensor_msgs/NavSatFix': join(NAVSAT_FIX_BODY('Header'), HEADER1, NAVSAT_STATUS),
  'nav_msgs/Odometry': join(
    ODOMETRY_BODY('Header'),
    HEADER1,
    POSE_COV,
    POSE,
    POINT,
    QUATERNION,
    TWIST_COV,
    TWIST,
    VECTOR3,
  ),
  'sensor_msgs/Imu': join(IMU_BODY('Header'), HEADER1, QUATERNION, VECTOR3),
  'autoware_auto_vehicle_msgs/ControlModeReport': CONTROL_MODE_BODY('time'),
  'autoware_adapi_v1_msgs/OperationModeState': OPERATION_MODE_BODY('time'),
  'std_msgs/String': 'string data',
};

/** ROS 2 definitions (MCAP `ros2msg`, CDR messages). */
export const ROS2_DEFINITIONS: Readonly<Record<RosType, string>> = {
  'sensor_msgs/NavSatFix': join(NAVSAT_FIX_BODY('std_msgs/Header'), HEADER2, TIME2, NAVSAT_STATUS),
  'nav_msgs/Odometry': join(
    ODOMETRY_BODY('std_msgs/Header'),
    HEADER2,
    TIME2,
    POSE_COV,
    POSE,
    POINT,
    QUATERNION,
    TWIST_COV,
    TWIST,
    VECTOR3,
  ),
  'sensor_msgs/Imu': join(IMU_BODY('std_msgs/Header'), HEADER2, TIME2, QUATERNION, VECTOR3),
  'autoware_auto_vehicle_msgs/ControlModeReport': join(CONTROL_MODE_BODY('builtin_interfaces/Time'), TIME2),
  'autoware_adapi_v1_msgs/OperationModeState': join(OPERATION_MODE_BODY('builtin_interfaces/Time'), TIME2),
  'std_msgs/String': 'string data',
};

/** ROS 2 type names as `ros2 bag` writes them into MCAP (`pkg/msg/Type`). */
export function ros2Name(type: RosType): string {
  const [pkg, name] = type.split('/') as [string, string];
  return `${pkg}/msg/${name}`;
}

/* ------------------------------------------------------------------------------------------------------------
 * A drive as the messages a vehicle's recorder would log (shared by the bag and MCAP writers).
 * ---------------------------------------------------------------------------------------------------------- */

/** The driving-mode message a recording uses. */
export type ModeMessage = 'autoware-operation' | 'autoware-control' | 'apollo';

export interface RecordingOptions {
  /** Driving-mode message: Autoware AD API OperationModeState (default; has remote), Autoware ControlModeReport, Apollo Chassis. */
  readonly modeMessage?: ModeMessage;
  /** JSON vehicle state (identity, ADS version, mode) once a second. Default true. */
  readonly vehicleState?: boolean;
  /** Events to record on the JSON events channel. */
  readonly events?: readonly EventLine[];
}

/** One logged message of a simulated drive, before encoding. Times are epoch ns. */
export type DriveMessage =
  | { kind: 'fix'; logNs: number; stampNs: number; lat: number; lon: number }
  | { kind: 'odometry'; logNs: number; stampNs: number; speed: number; headingDeg: number }
  | { kind: 'imu'; logNs: number; stampNs: number; accelLon: number; accelLat: number; headingDeg: number }
  | { kind: 'mode'; logNs: number; stampNs: number; mode: DriveMode; speed: number }
  | { kind: 'state'; logNs: number; json: Record<string, unknown> }
  | { kind: 'event'; logNs: number; json: Record<string, unknown> };

/**
 * The messages of a drive in log-time order: per sample, odometry (speed), IMU (acceleration, vehicle axes,
 * gravity on z), driving mode and, when the receiver logged one, the GNSS fix; vehicle state JSON each second;
 * events at their time. State messages precede their sample's fix by 1–3 ms so the fix carries them.
 */
export function* driveMessages(
  trace: DriveTrace,
  meta: DriveMeta,
  options: RecordingOptions = {},
): Generator<DriveMessage> {
  const events = [...(options.events ?? [])].sort((a, b) => a.ms - b.ms);
  let e = 0;
  let lastState = -Infinity;
  let lastMode = -1;
  for (let k = 0; k < trace.n; k++) {
    const t = sampleMs(meta, k) * 1e6;
    while (e < events.length && (events[e] as EventLine).ms * 1e6 < t - 4e6)
      yield eventMessage(events[e++] as EventLine);
    const heading = trace.heading[k] ?? 0;
    const mode = MODE_NAMES[trace.mode[k] ?? 0] ?? 'autonomous';
    const speed = trace.v[k] ?? 0;
    if (options.vehicleState !== false && (t - lastState >= 1e9 || trace.mode[k] !== lastMode)) {
      lastState = t;
      yield {
        kind: 'state',
        logNs: t - 4e6,
        json: {
          vehicle_id: meta.vehicleId,
          company_id: meta.companyId,
          ads_version: meta.adsVersion,
          mode,
          drive_id: meta.driveId,
        },
      };
    }
    lastMode = trace.mode[k] ?? 0;
    yield { kind: 'odometry', logNs: t - 3e6, stampNs: t - 3e6, speed, headingDeg: heading };
    yield {
      kind: 'imu',
      logNs: t - 2e6,
      stampNs: t - 2e6,
      accelLon: trace.aLog[k] ?? 0,
      accelLat: trace.aLatLog[k] ?? 0,
      headingDeg: heading,
    };
    yield { kind: 'mode', logNs: t - 1e6, stampNs: t - 1e6, mode, speed };
    if (trace.keep[k] !== 0)
      yield { kind: 'fix', logNs: t, stampNs: t, lat: trace.gpsLat[k] ?? 0, lon: trace.gpsLon[k] ?? 0 };
  }
  while (e < events.length) yield eventMessage(events[e++] as EventLine);
}

function eventMessage(ev: EventLine): DriveMessage {
  const json: Record<string, unknown> = {
    ts_ms: ev.ms,
    kind: ev.kind,
    vehicle_id: ev.vehicleId,
    company_id: ev.companyId,
    lat: ev.lat,
    lon: ev.lon,
    speed_mps: ev.speedMps,
  };
  if (ev.msEnd !== null) json.ts_end = new Date(ev.msEnd).toISOString();
  if (ev.initiator !== null) json.initiator = ev.initiator;
  if (ev.severity !== null) json.severity = ev.severity;
  if (ev.cause !== null) json.cause = ev.cause;
  return { kind: 'event', logNs: ev.ms * 1e6, json };
}

const RAD = Math.PI / 180;

/** ENU orientation of a vehicle with a compass heading (degrees clockwise from north). */
export function headingQuaternion(headingDeg: number): { x: number; y: number; z: number; w: number } {
  const yaw = (90 - headingDeg) * RAD;
  return { x: 0, y: 0, z: Math.sin(yaw / 2), w: Math.cos(yaw / 2) };
}

/** ROS time (ROS 1 `nsec`, ROS 2 `nanosec`) of epoch ns. */
function rosTime(ns: number, ros: 1 | 2): { sec: number; nsec: number } | { sec: number; nanosec: number } {
  const sec = Math.floor(ns / 1e9);
  const rest = Math.round(ns - sec * 1e9);
  return ros === 1 ? { sec, nsec: rest } : { sec, nanosec: rest };
}

function rosHeader(ns: number, frame: string, ros: 1 | 2): Record<string, unknown> {
  return ros === 1
    ? { seq: 0, stamp: rosTime(ns, ros), frame_id: frame }
    : { stamp: rosTime(ns, ros), frame_id: frame };
}

/** Covariances the writers leave unknown (only read by the serializers, so shared). */
const ZEROS_9 = new Float64Array(9);
const ZEROS_36 = new Float64Array(36);
const FIX_COVARIANCE = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 4]);

/** A ROS message object for a drive message (ROS 1 or ROS 2 time fields), with its type. */
export function rosMessage(
  m: DriveMessage,
  ros: 1 | 2,
  modeMessage: Exclude<ModeMessage, 'apollo'> = 'autoware-operation',
): { type: RosType; topic: string; message: Record<string, unknown> } {
  switch (m.kind) {
    case 'fix':
      return {
        type: 'sensor_msgs/NavSatFix',
        topic: '/avlog/fix',
        message: {
          header: rosHeader(m.stampNs, 'gnss', ros),
          status: { status: 0, service: 1 },
          latitude: m.lat,
          longitude: m.lon,
          altitude: 0,
          position_covariance: FIX_COVARIANCE,
          position_covariance_type: 2,
        },
      };
    case 'odometry':
      return {
        type: 'nav_msgs/Odometry',
        topic: '/avlog/odom',
        message: {
          header: rosHeader(m.stampNs, 'enu', ros),
          child_frame_id: 'base_link',
          pose: {
            pose: { position: { x: 0, y: 0, z: 0 }, orientation: headingQuaternion(m.headingDeg) },
            covariance: ZEROS_36,
          },
          twist: { twist: { linear: { x: m.speed, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0 } }, covariance: ZEROS_36 },
        },
      };
    case 'imu':
      return {
        type: 'sensor_msgs/Imu',
        topic: '/avlog/imu',
        message: {
          header: rosHeader(m.stampNs, 'base_link', ros),
          orientation: headingQuaternion(m.headingDeg),
          orientation_covariance: ZEROS_9,
          angular_velocity: { x: 0, y: 0, z: 0 },
          angular_velocity_covariance: ZEROS_9,
          // Vehicle axes: x forward, y left (avlog's lateral is positive to the right), gravity on z.
          linear_acceleration: { x: m.accelLon, y: -m.accelLat, z: 9.80665 },
          linear_acceleration_covariance: ZEROS_9,
        },
      };
    case 'mode':
      if (modeMessage === 'autoware-control') {
        return {
          type: 'autoware_auto_vehicle_msgs/ControlModeReport',
          topic: '/avlog/control_mode',
          message: { stamp: rosTime(m.stampNs, ros), mode: m.mode === 'autonomous' ? 1 : 4 },
        };
      }
      return {
        type: 'autoware_adapi_v1_msgs/OperationModeState',
        topic: '/avlog/control_mode',
        message: {
          stamp: rosTime(m.stampNs, ros),
          mode: m.mode === 'autonomous' ? 2 : m.mode === 'remote' ? 4 : 3,
          is_autoware_control_enabled: m.mode !== 'manual',
          is_in_transition: false,
          is_stop_mode_available: true,
          is_autonomous_mode_available: true,
          is_local_mode_available: true,
          is_remote_mode_available: true,
        },
      };
    case 'state':
      return { type: 'std_msgs/String', topic: '/avlog/vehicle_state', message: { data: JSON.stringify(m.json) } };
    case 'event':
      return { type: 'std_msgs/String', topic: '/avlog/events', message: { data: JSON.stringify(m.json) } };
  }
}

/* ------------------------------------------------------------------------------------------------------------
 * ROS1 bag v2.0 writer.
 * ---------------------------------------------------------------------------------------------------------- */

export type BagCompression = 'none' | 'bz2' | 'lz4';

export interface BagWriterOptions {
  readonly compression?: BagCompression;
  /** Uncompressed bytes per chunk (rosbag's default is 768 KiB). */
  readonly chunkSize?: number;
}

interface Connection {
  id: number;
  topic: string;
  type: string;
  md5sum: string;
  definition: string;
  /** Chunks this connection has messages in (index data per chunk). */
  index: [sec: number, nsec: number, offset: number][];
}

function field(name: string, value: Uint8Array | string): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value);
  const len = Buffer.alloc(4);
  len.writeUInt32LE(name.length + 1 + v.length);
  return Buffer.concat([len, Buffer.from(`${name}=`, 'latin1'), v]);
}

function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

function u64(v: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(v));
  return b;
}

function time(ns: number): Buffer {
  const sec = Math.floor(ns / 1e9);
  const b = Buffer.alloc(8);
  b.writeUInt32LE(sec, 0);
  b.writeUInt32LE(Math.round(ns - sec * 1e9), 4);
  return b;
}

function record(header: Buffer[], data: Uint8Array): Buffer {
  const h = Buffer.concat(header);
  return Buffer.concat([u32(h.length), h, u32(data.length), Buffer.from(data.buffer, data.byteOffset, data.length)]);
}

const BAG_HEADER_LENGTH = 4096;
/** A message record's header: `op=\x02`, `conn=<u32>`, `time=<u32 sec><u32 nsec>`, each field length-prefixed. */
const MESSAGE_HEADER_LENGTH = 4 + 4 + 4 + 5 + 4 + 4 + 5 + 8;

/** One message record (as `record([op, conn, time], data)` would write it, in a single allocation: one per message). */
function messageRecord(conn: number, sec: number, nsec: number, data: Uint8Array): Buffer {
  const b = Buffer.allocUnsafe(4 + MESSAGE_HEADER_LENGTH + 4 + data.length);
  let p = b.writeUInt32LE(MESSAGE_HEADER_LENGTH, 0);
  p = b.writeUInt32LE(4, p);
  p += b.write('op=', p, 'latin1');
  p = b.writeUInt8(0x02, p);
  p = b.writeUInt32LE(9, p);
  p += b.write('conn=', p, 'latin1');
  p = b.writeUInt32LE(conn >>> 0, p);
  p = b.writeUInt32LE(13, p);
  p += b.write('time=', p, 'latin1');
  p = b.writeUInt32LE(sec, p);
  p = b.writeUInt32LE(nsec, p);
  p = b.writeUInt32LE(data.length, p);
  b.set(data, p);
  return b;
}

/** The connection md5sum ROS computes from a definition; `*` (any) when the definition does not parse. */
function md5sumOf(definition: string): string {
  try {
    return md5(parse(definition));
  } catch {
    return '*';
  }
}

/**
 * Writes ROS1 bag v2.0 files as `rosbag record` does: bag header (padded to 4 KiB, rewritten at close), chunks
 * of message and connection records (compressed none/bz2/lz4), index data after each chunk, then connection
 * and chunk info records in the index section. Synchronous.
 */
export class BagWriter {
  private readonly fd: number;
  private readonly compression: BagCompression;
  private readonly chunkSize: number;
  private readonly connections: Connection[] = [];
  private readonly byTopic = new Map<string, Connection>();
  private position = 0;
  private chunk: Buffer[] = [];
  private chunkBytes = 0;
  private chunkStart = Infinity;
  private chunkEnd = -Infinity;
  private chunkConnections = new Set<number>();
  private readonly chunkInfos: Buffer[] = [];
  private chunkCounts = new Map<number, number>();

  constructor(file: string, options: BagWriterOptions = {}) {
    this.fd = fs.openSync(file, 'w');
    this.compression = options.compression ?? 'none';
    this.chunkSize = options.chunkSize ?? 768 * 1024;
    this.write(Buffer.from('#ROSBAG V2.0\n', 'latin1'));
    this.write(this.bagHeader(0, 0, 0));
  }

  private write(b: Uint8Array): void {
    fs.writeSync(this.fd, b, 0, b.length, this.position);
    this.position += b.length;
  }

  private bagHeader(indexPos: number, conns: number, chunks: number): Buffer {
    const header = Buffer.concat([
      field('op', Uint8Array.of(0x03)),
      field('index_pos', u64(indexPos)),
      field('conn_count', u32(conns)),
      field('chunk_count', u32(chunks)),
    ]);
    const pad = BAG_HEADER_LENGTH - 4 - header.length - 4;
    return Buffer.concat([u32(header.length), header, u32(pad), Buffer.alloc(pad, 0x20)]);
  }

  /** Registers a topic (once) and returns its connection id. */
  connection(topic: string, type: string, definition: string): number {
    const known = this.byTopic.get(topic);
    if (known) return known.id;
    const c: Connection = {
      id: this.connections.length,
      topic,
      type,
      md5sum: md5sumOf(definition),
      definition,
      index: [],
    };
    this.connections.push(c);
    this.byTopic.set(topic, c);
    return c.id;
  }

  private connectionRecord(c: Connection): Buffer {
    const data = Buffer.concat([
      field('topic', c.topic),
      field('type', c.type),
      field('md5sum', c.md5sum),
      field('message_definition', c.definition),
    ]);
    return record([field('op', Uint8Array.of(0x07)), field('conn', u32(c.id)), field('topic', c.topic)], data);
  }

  /** Appends a serialized message (record time `ns`). */
  message(conn: number, ns: number, data: Uint8Array): void {
    const c = this.connections[conn];
    if (!c) throw new Error(`no connection ${conn}`);
    if (!this.chunkConnections.has(conn)) {
      this.chunkConnections.add(conn);
      this.push(this.connectionRecord(c));
    }
    const sec = Math.floor(ns / 1e9);
    const nsec = Math.round(ns - sec * 1e9);
    c.index.push([sec, nsec, this.chunkBytes]);
    this.push(messageRecord(conn, sec, nsec, data));
    this.chunkCounts.set(conn, (this.chunkCounts.get(conn) ?? 0) + 1);
    this.chunkStart = Math.min(this.chunkStart, ns);
    this.chunkEnd = Math.max(this.chunkEnd, ns);
    if (this.chunkBytes >= this.chunkSize) this.flushChunk();
  }

  private push(b: Buffer): void {
    this.chunk.push(b);
    this.chunkBytes += b.length;
  }

  private flushChunk(): void {
    if (this.chunk.length === 0) return;
    const raw = Buffer.concat(this.chunk);
    const data = this.compression === 'bz2' ? bzip2Compress(raw) : this.compression === 'lz4' ? lz4.compress(raw) : raw;
    const chunkPos = this.position;
    this.write(
      record(
        [field('op', Uint8Array.of(0x05)), field('compression', this.compression), field('size', u32(raw.length))],
        data,
      ),
    );
    const counts: Buffer[] = [];
    for (const [conn, count] of this.chunkCounts) {
      const c = this.connections[conn] as Connection;
      const entries = Buffer.alloc(12 * c.index.length);
      c.index.forEach(([sec, nsec, offset], i) => {
        entries.writeUInt32LE(sec, i * 12);
        entries.writeUInt32LE(nsec, i * 12 + 4);
        entries.writeUInt32LE(offset, i * 12 + 8);
      });
      this.write(
        record(
          [
            field('op', Uint8Array.of(0x04)),
            field('ver', u32(1)),
            field('conn', u32(conn)),
            field('count', u32(count)),
          ],
          entries,
        ),
      );
      c.index = [];
      counts.push(u32(conn), u32(count));
    }
    this.chunkInfos.push(
      record(
        [
          field('op', Uint8Array.of(0x06)),
          field('ver', u32(1)),
          field('chunk_pos', u64(chunkPos)),
          field('start_time', time(this.chunkStart)),
          field('end_time', time(this.chunkEnd)),
          field('count', u32(this.chunkCounts.size)),
        ],
        Buffer.concat(counts),
      ),
    );
    this.chunk = [];
    this.chunkBytes = 0;
    this.chunkStart = Infinity;
    this.chunkEnd = -Infinity;
    this.chunkConnections = new Set();
    this.chunkCounts = new Map();
  }

  /**
   * Finishes the bag: last chunk, index section, bag header. `index: false` leaves the bag as a recording cut
   * off before `rosbag record` closed it (no index section, index_pos 0).
   */
  close(options: { index?: boolean } = {}): void {
    this.flushChunk();
    if (options.index !== false) {
      const indexPos = this.position;
      for (const c of this.connections) this.write(this.connectionRecord(c));
      for (const info of this.chunkInfos) this.write(info);
      fs.writeSync(
        this.fd,
        this.bagHeader(indexPos, this.connections.length, this.chunkInfos.length),
        0,
        BAG_HEADER_LENGTH,
        13,
      );
    }
    fs.closeSync(this.fd);
  }
}

/** Serializes ROS 1 messages of the profile's types (one MessageWriter per type). */
export class Ros1Encoder {
  private readonly writers = new Map<RosType, MessageWriter>();
  encode(type: RosType, message: unknown): Uint8Array {
    let w = this.writers.get(type);
    if (!w) {
      w = new MessageWriter(parse(ROS1_DEFINITIONS[type]));
      this.writers.set(type, w);
    }
    return w.writeMessage(message);
  }
}

export interface RosbagWriteOptions extends RecordingOptions, BagWriterOptions {
  /** Leave the bag unindexed, as a recording that was cut off. */
  readonly unindexed?: boolean;
}

/**
 * A drive as a ROS1 bag (the avlog profile's topics, ROS 1 types; vehicle state and events as std_msgs/String
 * JSON). Compatible with TelemetryWriter. bz2 chunks (as `rosbag record --bz2`) compress in pure JavaScript:
 * use lz4 for big fleets.
 */
export function writeRosbag(file: string, trace: DriveTrace, meta: DriveMeta, options: RosbagWriteOptions = {}): void {
  const bag = new BagWriter(file, options);
  const enc = new Ros1Encoder();
  const modeMessage = options.modeMessage === 'autoware-control' ? 'autoware-control' : 'autoware-operation';
  for (const m of driveMessages(trace, meta, options)) {
    const r = rosMessage(m, 1, modeMessage);
    const conn = bag.connection(r.topic, r.type, ROS1_DEFINITIONS[r.type]);
    bag.message(conn, m.logNs, enc.encode(r.type, r.message));
  }
  bag.close({ index: options.unindexed !== true });
}
