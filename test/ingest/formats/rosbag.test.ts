import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BagReader } from '../../../services/ingest/readers/rosbag/bag-reader.js';
import { openSource } from '../../../services/ingest/readers/open-source.js';
import { BagWriter, Ros1Encoder, ROS1_DEFINITIONS, writeRosbag } from '../../../seeds/writers/rosbag.js';
import { sampleMs } from '../../../seeds/writers/meta.js';
import { SHARED_DATA, tempDir } from '../../helpers/lake.js';
import { ingestOne, readEvents, syntheticDrive } from './fixtures.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('avlog-bag-')));
afterAll(() => cleanup());

let n = 0;
function file(name: string): string {
  return path.join(dir, `${n++}-${name}`);
}

const HUSKY = path.join(SHARED_DATA, 'ros/husky-navsatfix.bag');
const drive = syntheticDrive(200);
const events = [
  {
    ms: drive.meta.startMs + 8_000,
    msEnd: null,
    companyId: 'acme',
    vehicleId: 'V-ROS-1',
    kind: 'takeover_request',
    severity: 'high',
    initiator: 'system',
    cause: 'sensor degraded',
    lat: 22.5405,
    lon: 114.0505,
    speedMps: 9,
  },
];

/** Byte offsets of the top-level chunk records of a bag. */
function chunkOffsets(f: string): number[] {
  const b = fs.readFileSync(f);
  const out: number[] = [];
  let pos = 13;
  while (pos < b.length) {
    const hl = b.readUInt32LE(pos);
    const header = b.subarray(pos + 4, pos + 4 + hl);
    const dl = b.readUInt32LE(pos + 4 + hl);
    if (header.includes(Buffer.from('op=\u0005', 'latin1'))) out.push(pos);
    pos += 8 + hl + dl;
  }
  return out;
}

describe('ROS1 bag reader', () => {
  it('ingests the real Husky recording: 989 fixes on /fix with speed from odometry and a course', async () => {
    const { summary, rows, quarantine } = await ingestOne(HUSKY, file('lake'), { company: 'x', vehicle: 'y' });
    expect(summary).toMatchObject({
      status: 'ingested',
      format: 'rosbag',
      rows_in: 989,
      rows_stored: 989,
      rows_quarantined: 0,
    });
    expect(quarantine).toEqual([]);
    const ts = rows.map((r) => Number(r.ts_us) / 1e6);
    // The fixes' own stamps span 1432235498.039 … 1432235893.228; the bag as a whole (IMU first, odometry last)
    // spans 1432235498.03 … 1432235893.33, the figures the data README quotes.
    expect(Math.abs((ts[0] as number) - 1432235498.03)).toBeLessThan(0.01);
    expect(ts.at(-1)).toBeCloseTo(1432235893.228, 3);
    expect(rows.every((r) => r.company_id === 'x' && r.vehicle_id === 'y' && r.mode === 'unknown')).toBe(true);
    expect(rows.slice(1).every((r) => r.speed_mps !== null && r.heading_deg !== null)).toBe(true);
    expect(rows.every((r) => r.speed_mps !== null)).toBe(true);
    // Odometry speed of a Husky: up to about 1 m/s.
    expect(Math.max(...rows.map((r) => Number(r.speed_mps)))).toBeLessThan(1.5);

    const bag = new BagReader(HUSKY, 'husky.bag');
    const perTopic = new Map<string, number>();
    let first = Infinity;
    let last = -Infinity;
    for (let item = bag.next(); item !== null; item = bag.next()) {
      expect(item.kind).toBe('message');
      if (item.kind !== 'message') continue;
      perTopic.set(item.connection.topic, (perTopic.get(item.connection.topic) ?? 0) + 1);
      first = Math.min(first, item.timeNs / 1e9);
      last = Math.max(last, item.timeNs / 1e9);
    }
    bag.close();
    expect(Object.fromEntries(perTopic)).toEqual({
      '/fix': 989,
      '/imu/data': 11865,
      '/husky_velocity_controller/odom': 3952,
    });
    expect(first).toBeCloseTo(1432235498.03, 2);
    expect(last).toBeCloseTo(1432235893.33, 2);
  });

  for (const compression of ['none', 'lz4', 'bz2'] as const) {
    it(`reads ${compression} chunks written by the seeds writer, with identity and events from JSON topics`, async () => {
      const f = file(`${compression}.bag`);
      writeRosbag(f, drive.trace, drive.meta, { compression, events, chunkSize: 32 * 1024 });
      const { summary, rows } = await ingestOne(f, file('lake'));
      // Rows in: 200 fixes and the event message.
      expect(summary).toMatchObject({
        status: 'ingested',
        format: 'rosbag',
        rows_in: 201,
        rows_stored: 201,
        rows_quarantined: 0,
      });
      expect(rows.map((r) => Number(r.ts_us))).toEqual(
        Array.from({ length: 200 }, (_, k) => sampleMs(drive.meta, k) * 1000),
      );
      expect(rows.map((r) => r.mode)).toEqual([
        ...Array(80).fill('autonomous'),
        ...Array(80).fill('manual'),
        ...Array(40).fill('remote'),
      ]);
      rows.forEach((r, k) => {
        expect(r).toMatchObject({ vehicle_id: 'V-ROS-1', company_id: 'acme', ads_version: 'ads-2.1.0' });
        expect(Number(r.speed_mps)).toBeCloseTo(drive.trace.v[k] as number, 9);
        expect(Number(r.accel_lon_mps2)).toBeCloseTo(drive.trace.aLog[k] as number, 9);
        expect(Number(r.heading_deg)).toBeCloseTo(drive.trace.heading[k] as number, 6);
      });
      const source = openSource(f, path.basename(f), null);
      const ev = readEvents(source, dir);
      source.close();
      expect(ev.events).toEqual([
        expect.objectContaining({
          kind: 'takeover_request',
          initiator: 'system',
          severity: 'high',
          vehicle_id: 'V-ROS-1',
          ts_us: events[0]?.ms ? events[0].ms * 1000 : 0,
        }),
      ]);
    });
  }

  it('reads a bag that was never closed (no index section)', async () => {
    const f = file('unindexed.bag');
    writeRosbag(f, drive.trace, drive.meta, { compression: 'lz4', unindexed: true, chunkSize: 32 * 1024 });
    const { summary, rows } = await ingestOne(f, file('lake'));
    expect(summary).toMatchObject({ status: 'ingested', rows_stored: 200 });
    // Without the index the reader reads ahead to the first fix to learn the topics (vehicle state among them).
    expect(rows[0]).toMatchObject({ vehicle_id: 'V-ROS-1', company_id: 'acme' });
  });
});

describe('damaged ROS bags', () => {
  it('reads a bag cut off mid-chunk up to the cut, quarantining the cut at its offset', async () => {
    const f = file('cut.bag');
    writeRosbag(f, drive.trace, drive.meta, { compression: 'bz2', chunkSize: 32 * 1024 });
    const chunks = chunkOffsets(f);
    const cutAt = chunks[3] as number;
    fs.writeFileSync(f, fs.readFileSync(f).subarray(0, cutAt + 500));
    const { summary, quarantine, rows } = await ingestOne(f, file('lake'), { company: 'c', vehicle: 'v' });
    expect(summary.status).toBe('ingested');
    expect(quarantine).toEqual([expect.objectContaining({ reason: 'truncated_row', byte_offset: String(cutAt) })]);
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.length).toBeLessThan(200);
  });

  it('quarantines a bz2 chunk whose CRC fails and a chunk in an unknown compression, keeping the rest', async () => {
    const f = file('corrupt.bag');
    writeRosbag(f, drive.trace, drive.meta, { compression: 'bz2', chunkSize: 32 * 1024 });
    const [a, b] = [chunkOffsets(f)[1] as number, chunkOffsets(f)[4] as number];
    const bytes = fs.readFileSync(f);
    for (let i = a + 400; i < a + 420; i++) bytes[i] = 0;
    const marker = bytes.indexOf('compression=bz2', b, 'latin1');
    bytes.write('compression=zzz', marker, 'latin1');
    fs.writeFileSync(f, bytes);
    const { summary, quarantine, rows } = await ingestOne(f, file('lake'), { company: 'c', vehicle: 'v' });
    expect(summary.status).toBe('ingested');
    expect(quarantine.map((q) => [q.reason, Number(q.byte_offset)])).toEqual([
      ['corrupt_chunk', a],
      ['corrupt_chunk', b],
    ]);
    expect(quarantine[1]?.detail).toMatch(/compression "zzz"/u);
    expect(rows.length).toBeGreaterThan(100);
    expect(summary.rows_in).toBe(rows.length + 2);
  });

  it('reports a topic whose message definition does not parse once, and a message that does not decode', async () => {
    const f = file('schema.bag');
    const bag = new BagWriter(f, { compression: 'none' });
    const enc = new Ros1Encoder();
    const fixConn = bag.connection('/avlog/fix', 'sensor_msgs/NavSatFix', ROS1_DEFINITIONS['sensor_msgs/NavSatFix']);
    const t0 = drive.meta.startMs * 1e6;
    for (let k = 0; k < 20; k++) {
      const msg = {
        header: { seq: k, stamp: { sec: Math.floor(t0 / 1e9) + k, nsec: 0 }, frame_id: 'gnss' },
        status: { status: 0, service: 1 },
        latitude: 22.54 + k * 1e-5,
        longitude: 114.05,
        altitude: 0,
        position_covariance: new Float64Array(9),
        position_covariance_type: 0,
      };
      const data = enc.encode('sensor_msgs/NavSatFix', msg);
      bag.message(fixConn, t0 + k * 1e9, k === 7 ? data.subarray(0, 20) : data);
    }
    // An IMU topic whose definition is garbage: its messages cannot be decoded.
    const imuConn = bag.connection('/imu', 'sensor_msgs/Imu', 'Header header\nfloat64[ broken');
    for (let k = 0; k < 5; k++) bag.message(imuConn, t0 + k * 1e9 + 5e8, new Uint8Array(40));
    bag.close();
    const { summary, quarantine, rows } = await ingestOne(f, file('lake'), { company: 'c', vehicle: 'v' });
    expect(summary.quarantine_by_reason).toEqual({ undecodable_message: 1, unknown_schema: 1 });
    expect(quarantine.find((q) => q.reason === 'unknown_schema')?.detail).toMatch(/\/imu .*does not parse/u);
    expect(rows).toHaveLength(19);
  });

  it('fails files that are not bags (or an old bag version) with one clear error', async () => {
    const old = file('old.bag');
    fs.writeFileSync(old, '#ROSBAG V1.2\nwhatever');
    const a = await ingestOne(old, file('lake'), { company: 'c', vehicle: 'v' });
    expect(a.summary).toMatchObject({ status: 'failed', rows_in: 0 });
    expect(a.summary.error).toMatch(/old\.bag \(byte 0\): ROS bag version 1\.2 is not supported/u);
    const headless = file('headless.bag');
    fs.writeFileSync(headless, '#ROSBAG V2.0\n\u0010\u0000\u0000');
    const b = await ingestOne(headless, file('lake'), { company: 'c', vehicle: 'v' });
    expect(b.summary.error).toMatch(/headless\.bag \(byte 13\): ROS bag has no readable bag header record/u);
  });
});
