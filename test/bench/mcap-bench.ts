import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from '@foxglove/rosmsg';
import { MessageWriter } from '@foxglove/rosmsg2-serialization';
import { McapStreamReader } from '@mcap/core';
import { decompress as zstdDecompress } from 'fzstd';
import * as lz4 from 'lz4js';
import { McapStream } from '../../services/ingest/readers/mcap/mcap-stream.js';
import { TrackSource } from '../../services/ingest/readers/track/track-source.js';
import { McapFileWriter, type McapCompression } from '../../seeds/writers/mcap.js';
import { ROS2_DEFINITIONS, ros2Name, headingQuaternion, type RosType } from '../../seeds/writers/rosbag.js';
import { AVLOG_BIN } from '../helpers/cli.js';
import { fmt, printTable, timeCommand } from './measure.js';

/** Message rates of the bench recording, per second: a 10 Hz fix with a 100 Hz IMU, 50 Hz odometry, 10 Hz mode. */
const RATES = { imu: 100, odom: 50, fix: 10, mode: 10 } as const;
/** The sensor recording adds what road-test MCAPs are mostly made of, which avlog skips undecoded. */
const SENSORS = { lidar: { hz: 10, bytes: 120_000 }, camera: { hz: 20, bytes: 60_000 } } as const;

/**
 * What the bench recording holds: `telemetry` only the channels avlog decodes (decode-bound); `sensors` adds a
 * 10 Hz lidar and a 20 Hz camera as a real vehicle records them (I/O- and decompression-bound).
 */
export type BenchRecording = 'telemetry' | 'sensors';

const POINT_CLOUD2 =
  'std_msgs/Header header\nuint32 height\nuint32 width\nPointField[] fields\nbool is_bigendian\nuint32 point_step\nuint32 row_step\nuint8[] data\nbool is_dense\n================================================================================\nMSG: std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id\n================================================================================\nMSG: builtin_interfaces/Time\nint32 sec\nuint32 nanosec\n================================================================================\nMSG: sensor_msgs/PointField\nstring name\nuint32 offset\nuint8 datatype\nuint32 count';
const COMPRESSED_IMAGE =
  'std_msgs/Header header\nstring format\nuint8[] data\n================================================================================\nMSG: std_msgs/Header\nbuiltin_interfaces/Time stamp\nstring frame_id\n================================================================================\nMSG: builtin_interfaces/Time\nint32 sec\nuint32 nanosec';

/** Sensor payloads: slices of a pool of noise larger than a chunk, so chunks do not compress by repetition. */
function noisePool(bytes: number): Uint8Array {
  const pool = new Uint8Array(bytes);
  let x = 0x9e3779b9;
  for (let i = 0; i < bytes; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    pool[i] = x & 0xff;
    pool[i + 1] = (x >>> 8) & 0xff;
    // Lidar-like: the high bytes of float coordinates vary slowly.
    pool[i + 2] = (i >> 12) & 0x3f;
    pool[i + 3] = 0x41;
  }
  return pool;
}

/** Serialized template of one message type, and where its fields sit (found by writing sentinel values). */
interface Template {
  bytes: Uint8Array;
  view: DataView;
  at: Record<string, number>;
}

function template(type: RosType, message: Record<string, unknown>, sentinels: Record<string, number>): Template {
  const bytes = new MessageWriter(parse(ROS2_DEFINITIONS[type], { ros2: true })).writeMessage(message);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at: Record<string, number> = {};
  for (const [name, value] of Object.entries(sentinels)) {
    for (let i = 4; i + 8 <= bytes.length; i += 4) {
      if (view.getFloat64(i, true) === value) {
        at[name] = i;
        break;
      }
    }
    if (at[name] === undefined) throw new Error(`sentinel ${name} not found in ${type}`);
  }
  return { bytes, view, at };
}

const stamp = { sec: 1, nanosec: 2 };

/**
 * Writes a synthetic road-test MCAP of about `bytes` bytes (ROS 2 CDR, the avlog profile's topics): one vehicle
 * driving laps near Futian for hours. Messages are patched templates, so writing is fast.
 */
export function writeBenchMcap(
  file: string,
  bytes: number,
  compression: McapCompression,
  recording: BenchRecording = 'telemetry',
): { messages: number; fixes: number } {
  const w = new McapFileWriter(file, { compression, chunkSize: 4 << 20, profile: 'ros2' });
  const sensors =
    recording === 'sensors'
      ? {
          lidar: w.channel(
            '/lidar/top/points',
            w.schema('sensor_msgs/msg/PointCloud2', 'ros2msg', POINT_CLOUD2),
            'cdr',
          ),
          camera: w.channel(
            '/camera/front/image/compressed',
            w.schema('sensor_msgs/msg/CompressedImage', 'ros2msg', COMPRESSED_IMAGE),
            'cdr',
          ),
          pool: noisePool(16 << 20),
        }
      : null;
  w.metadata('avlog', { vehicle_id: 'BENCH-001', company_id: 'bench', ads_version: 'ads-9.9.9' });
  const schema = (t: RosType) => w.schema(ros2Name(t), 'ros2msg', ROS2_DEFINITIONS[t]);
  const ch = {
    imu: w.channel('/avlog/imu', schema('sensor_msgs/Imu'), 'cdr'),
    odom: w.channel('/avlog/odom', schema('nav_msgs/Odometry'), 'cdr'),
    fix: w.channel('/avlog/fix', schema('sensor_msgs/NavSatFix'), 'cdr'),
    mode: w.channel('/avlog/control_mode', schema('autoware_adapi_v1_msgs/OperationModeState'), 'cdr'),
  };
  const zeros = (n: number) => new Float64Array(n);
  const imu = template(
    'sensor_msgs/Imu',
    {
      header: { stamp, frame_id: 'base_link' },
      orientation: { x: 0, y: 0, z: 0.111111, w: 0.222222 },
      orientation_covariance: zeros(9),
      angular_velocity: { x: 0, y: 0, z: 0.333333 },
      angular_velocity_covariance: zeros(9),
      linear_acceleration: { x: 0.444444, y: 0.555555, z: 9.80665 },
      linear_acceleration_covariance: zeros(9),
    },
    { qz: 0.111111, qw: 0.222222, wz: 0.333333, ax: 0.444444, ay: 0.555555 },
  );
  const odom = template(
    'nav_msgs/Odometry',
    {
      header: { stamp, frame_id: 'enu' },
      child_frame_id: 'base_link',
      pose: {
        pose: { position: { x: 0, y: 0, z: 0 }, orientation: { x: 0, y: 0, z: 0.111111, w: 0.222222 } },
        covariance: zeros(36),
      },
      twist: { twist: { linear: { x: 0.333333, y: 0, z: 0 }, angular: { x: 0, y: 0, z: 0 } }, covariance: zeros(36) },
    },
    { qz: 0.111111, qw: 0.222222, vx: 0.333333 },
  );
  const fix = template(
    'sensor_msgs/NavSatFix',
    {
      header: { stamp, frame_id: 'gnss' },
      status: { status: 0, service: 1 },
      latitude: 0.111111,
      longitude: 0.222222,
      altitude: 0,
      position_covariance: zeros(9),
      position_covariance_type: 0,
    },
    { lat: 0.111111, lon: 0.222222 },
  );
  const mode = new MessageWriter(parse(ROS2_DEFINITIONS['autoware_adapi_v1_msgs/OperationModeState'], { ros2: true }));
  const modeBytes = (autonomous: boolean) =>
    mode.writeMessage({
      stamp,
      mode: autonomous ? 2 : 3,
      is_autoware_control_enabled: autonomous,
      is_in_transition: false,
      is_stop_mode_available: true,
      is_autonomous_mode_available: true,
      is_local_mode_available: true,
      is_remote_mode_available: true,
    });
  const modes = [modeBytes(true), modeBytes(false)];
  const put = (t: Template, ns: number) => {
    const sec = Math.floor(ns / 1e9);
    t.view.setInt32(4, sec, true);
    t.view.setUint32(8, ns - sec * 1e9, true);
  };
  const start = Date.UTC(2026, 8, 1, 0, 0, 0) * 1e6;
  const tick = 1e9 / RATES.imu;
  const radius = 800;
  const [lat0, lon0] = [22.535, 114.02];
  let messages = 0;
  let fixes = 0;
  for (let i = 0; w.bytesWritten < bytes; i++) {
    const t = start + i * tick;
    const s = i / RATES.imu;
    const speed = 12 + 4 * Math.sin(s / 60);
    const angle = (s * 12) / radius; // laps of a circle at ~12 m/s
    const heading = ((angle * 180) / Math.PI + 90) % 360;
    const q = headingQuaternion(heading);
    imu.view.setFloat64(imu.at.qz as number, q.z, true);
    imu.view.setFloat64(imu.at.qw as number, q.w, true);
    imu.view.setFloat64(imu.at.ax as number, (4 / 60) * Math.cos(s / 60), true);
    imu.view.setFloat64(imu.at.ay as number, (speed * speed) / radius, true);
    put(imu, t);
    w.message(ch.imu, t, imu.bytes);
    messages++;
    if (i % (RATES.imu / RATES.odom) === 0) {
      odom.view.setFloat64(odom.at.qz as number, q.z, true);
      odom.view.setFloat64(odom.at.qw as number, q.w, true);
      odom.view.setFloat64(odom.at.vx as number, speed, true);
      put(odom, t + 1e5);
      w.message(ch.odom, t + 1e5, odom.bytes);
      messages++;
    }
    if (i % (RATES.imu / RATES.mode) === 0) {
      const m = modes[Math.floor(s / 600) % 5 === 4 ? 1 : 0] as Uint8Array;
      const v = new DataView(m.buffer, m.byteOffset, m.byteLength);
      const sec = Math.floor((t + 2e5) / 1e9);
      v.setInt32(4, sec, true);
      v.setUint32(8, t + 2e5 - sec * 1e9, true);
      w.message(ch.mode, t + 2e5, m);
      messages++;
    }
    if (sensors && i % (RATES.imu / SENSORS.camera.hz) === 0) {
      const slice = (n: number) =>
        sensors.pool.subarray((i * 7919) % (sensors.pool.length - n), ((i * 7919) % (sensors.pool.length - n)) + n);
      w.message(sensors.camera, t + 4e5, slice(SENSORS.camera.bytes));
      messages++;
      if (i % (RATES.imu / SENSORS.lidar.hz) === 0) {
        w.message(sensors.lidar, t + 5e5, slice(SENSORS.lidar.bytes));
        messages++;
      }
    }
    if (i % (RATES.imu / RATES.fix) === 0) {
      const north = radius * Math.sin(angle);
      const east = radius * (1 - Math.cos(angle));
      fix.view.setFloat64(fix.at.lat as number, lat0 + north / 111_320, true);
      fix.view.setFloat64(fix.at.lon as number, lon0 + east / (111_320 * Math.cos((lat0 * Math.PI) / 180)), true);
      put(fix, t + 3e5);
      w.message(ch.fix, t + 3e5, fix.bytes);
      messages++;
      fixes++;
    }
  }
  w.close();
  return { messages, fixes };
}

/** A cached bench MCAP (generation takes minutes; the file is reused across runs), with its message counts. */
export function benchMcapFile(
  megabytes: number,
  compression: McapCompression,
  recording: BenchRecording,
): { file: string; messages: number; fixes: number } {
  const dir = path.join(os.tmpdir(), 'avlog-bench');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `road-test-${recording}-${megabytes}MB-${compression}.mcap`);
  const countsFile = `${file}.json`;
  if (!fs.existsSync(file) || !fs.existsSync(countsFile)) {
    process.stdout.write(`generating ${fmt(megabytes)} MB ${compression} ${recording} MCAP at ${file} …\n`);
    const counts = writeBenchMcap(`${file}.tmp`, megabytes * 2 ** 20, compression, recording);
    fs.renameSync(`${file}.tmp`, file);
    fs.writeFileSync(countsFile, JSON.stringify(counts));
  }
  return { file, ...(JSON.parse(fs.readFileSync(countsFile, 'utf8')) as { messages: number; fixes: number }) };
}

/** Reads the file with @mcap/core's McapStreamReader alone (sync decompressors, CRCs checked): messages. */
export function readWithMcapCore(file: string): number {
  const reader = new McapStreamReader({
    decompressHandlers: {
      zstd: (data) => zstdDecompress(data),
      lz4: (data, size) => lz4.decompress(data, Number(size)),
    },
  });
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(4 << 20);
  let messages = 0;
  try {
    for (let pos = 0; ;) {
      const n = fs.readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
      reader.append(buf.subarray(0, n));
      for (let r = reader.nextRecord(); r !== undefined; r = reader.nextRecord()) if (r.type === 'Message') messages++;
    }
  } finally {
    fs.closeSync(fd);
  }
  if (!reader.done()) throw new Error('@mcap/core did not reach the end of the bench MCAP');
  return messages;
}

/** avlog's MCAP reader alone, in-process (decode, merge into samples, no lake): messages read and samples made. */
export function readWithAvlog(file: string): { messages: number; samples: number } {
  const name = path.basename(file);
  const stream = new McapStream(file, name);
  const source = new TrackSource('mcap', stream, () => new McapStream(file, name));
  let samples = 0;
  try {
    for (let b = source.next(); b !== null; b = source.next()) samples += b.count;
  } finally {
    source.close();
  }
  return { messages: stream.messages, samples };
}

export interface McapBenchOptions {
  /** Size of the full sensor recording, MB (default 2048: the 2 GB of the acceptance figure). */
  megabytes?: number;
  /** Size of the telemetry-only recording, MB (default 256). 0 skips it. */
  telemetryMegabytes?: number;
  compression?: McapCompression;
}

async function benchOne(megabytes: number, compression: McapCompression, recording: BenchRecording): Promise<void> {
  const { file, messages, fixes } = benchMcapFile(megabytes, compression, recording);
  const size = fs.statSync(file).size;
  let t = performance.now();
  const coreMessages = readWithMcapCore(file);
  const coreSeconds = (performance.now() - t) / 1000;
  if (coreMessages !== messages) throw new Error(`@mcap/core read ${coreMessages} messages, the file has ${messages}`);
  t = performance.now();
  const own = readWithAvlog(file);
  const ownSeconds = (performance.now() - t) / 1000;
  if (own.messages !== messages)
    throw new Error(`avlog's reader read ${own.messages} messages, the file has ${messages}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'avlog-bench-mcap-'));
  try {
    const run = await timeCommand(process.execPath, [
      AVLOG_BIN,
      'ingest',
      '--json',
      '--data',
      path.join(work, 'data'),
      file,
    ]);
    if (run.code !== 0) throw new Error(`avlog ingest failed: ${run.stderr}`);
    const summary = JSON.parse(run.stdout) as { rows_stored: number; rows_in: number; peak_rss_mb: number };
    if (summary.rows_stored !== fixes) throw new Error(`ingest stored ${summary.rows_stored} of ${fixes} fixes`);
    const rate = (sec: number) =>
      `${fmt(sec, 2)} s  ${fmt(messages / sec)} messages/s  (${fmt(size / 2 ** 20 / sec, 1)} MiB/s)`;
    printTable(
      `MCAP ingest, ${recording}: ${fmt(size / 2 ** 20)} MiB ${compression}, ${fmt(messages)} messages, ${fmt(fixes)} fixes`,
      [
        ['@mcap/core McapStreamReader alone (in-process)', rate(coreSeconds)],
        ['avlog MCAP reader alone (in-process, to samples)', rate(ownSeconds)],
        ['avlog ingest (process wall, incl. start-up)', rate(run.seconds)],
        ['ratio avlog ingest / @mcap/core (throughput)', fmt(coreSeconds / run.seconds, 2)],
        ['avlog ingest peak RSS', `${fmt(summary.peak_rss_mb)} MB`],
      ],
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/**
 * MCAP ingest against @mcap/core on the same file in the same run, messages/s: `McapStreamReader` alone (the
 * ceiling: parse, decompress, CRC, no decoding), avlog's reader in-process (decode, merge to samples) and
 * `avlog ingest` end to end (lake written), with its peak RSS. Two recordings: telemetry only (decode-bound)
 * and a full sensor suite of `megabytes` (2 GB by default; lidar and camera dominate, avlog skips them).
 * Environment: AVLOG_BENCH_MCAP_MB, AVLOG_BENCH_MCAP_TELEMETRY_MB, AVLOG_BENCH_MCAP_COMPRESSION.
 */
export async function benchMcap(options: McapBenchOptions = {}): Promise<void> {
  const env = process.env;
  const compression =
    options.compression ?? (env.AVLOG_BENCH_MCAP_COMPRESSION as McapCompression | undefined) ?? 'zstd';
  const telemetry = options.telemetryMegabytes ?? Number(env.AVLOG_BENCH_MCAP_TELEMETRY_MB ?? 256);
  const sensors = options.megabytes ?? Number(env.AVLOG_BENCH_MCAP_MB ?? 2048);
  if (telemetry > 0) await benchOne(telemetry, compression, 'telemetry');
  if (sensors > 0) await benchOne(sensors, compression, 'sensors');
}
