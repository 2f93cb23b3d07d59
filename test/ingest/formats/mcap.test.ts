import fs from 'node:fs';
import path from 'node:path';
import { McapIndexedReader, type McapTypes } from '@mcap/core';
import { decompress as zstdDecompress } from 'fzstd';
import * as lz4 from 'lz4js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMcap } from '../../../services/ingest/readers/mcap/mcap-source.js';
import { McapStream } from '../../../services/ingest/readers/mcap/mcap-stream.js';
import { openSource } from '../../../services/ingest/readers/open-source.js';
import { modeOf } from '../../../services/ingest/readers/track/message-roles.js';
import {
  DriveEncoder,
  McapFileWriter,
  writeMcap,
  type McapCompression,
  type McapEncoding,
} from '../../../seeds/writers/mcap.js';
import { driveMessages, ROS2_DEFINITIONS, ros2Name } from '../../../seeds/writers/rosbag.js';
import { sampleMs } from '../../../seeds/writers/meta.js';
import { tempDir } from '../../helpers/lake.js';
import { ingestOne, readEvents, syntheticDrive } from './fixtures.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('avlog-mcap-')));
afterAll(() => cleanup());

const drive = syntheticDrive(200);
const events = [
  {
    ms: drive.meta.startMs + 8_000,
    msEnd: null,
    companyId: 'acme',
    vehicleId: 'V-ROS-1',
    kind: 'disengagement',
    severity: null,
    initiator: 'driver',
    cause: 'pedestrian close',
    lat: 22.5405,
    lon: 114.0505,
    speedMps: 9,
  },
  {
    ms: drive.meta.startMs + 16_000,
    msEnd: drive.meta.startMs + 17_000,
    companyId: 'acme',
    vehicleId: 'V-ROS-1',
    kind: 'remote_command',
    severity: 'info',
    initiator: 'remote',
    cause: null,
    lat: 22.541,
    lon: 114.051,
    speedMps: 12,
  },
];

let n = 0;
function file(name: string): string {
  return path.join(dir, `${n++}-${name}`);
}

/** Reads an MCAP fully into memory for @mcap/core's indexed reader (writer conformance). */
async function readWithMcapCore(f: string): Promise<number> {
  const buf = fs.readFileSync(f);
  const reader = await McapIndexedReader.Initialize({
    readable: {
      size: async () => BigInt(buf.length),
      read: async (o: bigint, l: bigint) => buf.subarray(Number(o), Number(o + l)),
    },
    decompressHandlers: {
      zstd: (b: Uint8Array) => zstdDecompress(b),
      lz4: (b: Uint8Array, size: bigint) => lz4.decompress(b, Number(size)),
    },
  });
  let count = 0;
  for await (const _ of reader.readMessages()) count++;
  return count;
}

async function chunkIndexes(f: string): Promise<readonly McapTypes.ChunkIndex[]> {
  const buf = fs.readFileSync(f);
  const reader = await McapIndexedReader.Initialize({
    readable: {
      size: async () => BigInt(buf.length),
      read: async (o: bigint, l: bigint) => buf.subarray(Number(o), Number(o + l)),
    },
  });
  return reader.chunkIndexes;
}

const MODES = [...Array(80).fill('autonomous'), ...Array(80).fill('manual'), ...Array(40).fill('remote')];

describe('MCAP reader', () => {
  const encodings: McapEncoding[] = ['ros2', 'ros1', 'json', 'protobuf'];
  const compressions: McapCompression[] = ['zstd', 'lz4', 'none'];
  for (const encoding of encodings) {
    for (const compression of compressions) {
      it(`reads ${encoding} messages in ${compression} chunks: one sample per fix with speed, acceleration, mode and identity`, async () => {
        const f = file(`${encoding}-${compression}.mcap`);
        writeMcap(f, drive.trace, drive.meta, { encoding, compression, chunkSize: 16 * 1024, events });
        expect(await readWithMcapCore(f)).toBeGreaterThan(600);
        const { summary, rows } = await ingestOne(f, file('lake'));
        // Rows in: 200 fixes and 2 event messages.
        expect(summary).toMatchObject({
          status: 'ingested',
          format: 'mcap',
          rows_in: 202,
          rows_stored: 202,
          rows_quarantined: 0,
        });
        expect(rows.map((r) => Number(r.ts_us))).toEqual(
          Array.from({ length: 200 }, (_, k) => sampleMs(drive.meta, k) * 1000),
        );
        // Apollo's DrivingMode has no remote driving: the writer reports COMPLETE_MANUAL there.
        expect(rows.map((r) => r.mode)).toEqual(
          encoding === 'protobuf' ? [...MODES.slice(0, 160), ...Array(40).fill('manual')] : MODES,
        );
        const tolerance = encoding === 'protobuf' ? 1e-5 : 1e-9; // Apollo's chassis speed is a float32
        rows.forEach((r, k) => {
          expect(r).toMatchObject({ company_id: 'acme', vehicle_id: 'V-ROS-1', ads_version: 'ads-2.1.0' });
          expect(Math.abs(Number(r.lat) - (drive.trace.gpsLat[k] as number))).toBeLessThan(1e-9);
          expect(Math.abs(Number(r.lon) - (drive.trace.gpsLon[k] as number))).toBeLessThan(1e-9);
          expect(Math.abs(Number(r.speed_mps) - (drive.trace.v[k] as number))).toBeLessThan(tolerance * 10);
          expect(Number(r.accel_lon_mps2)).toBeCloseTo(drive.trace.aLog[k] as number, 9);
          expect(Number(r.accel_lat_mps2)).toBeCloseTo(drive.trace.aLatLog[k] as number, 9);
        });
        // Course: logged (odometry in an ENU frame) for ROS encodings, else over ground from the fixes.
        const headingError = rows
          .slice(10)
          .map((r, i) => Math.abs(Number(r.heading_deg) - (drive.trace.heading[i + 10] as number)));
        expect(Math.max(...headingError)).toBeLessThan(encoding.startsWith('ros') ? 1e-6 : 1);
      });
    }
  }

  it('reads indexed files in log-time order, merging chunks that overlap, and streams files without an index', async () => {
    // Two writers: one chunk of fixes, then one of mode messages over the same 20 s.
    const f = file('overlap.mcap');
    const w = new McapFileWriter(f, { compression: 'zstd' });
    const enc = new DriveEncoder(w, 'ros2', 'autoware-operation');
    const all = [...driveMessages(drive.trace, drive.meta, { vehicleState: false })];
    for (const m of all) if (m.kind === 'fix') enc.write(m);
    w.flushChunk();
    for (const m of all) if (m.kind === 'mode') enc.write(m);
    w.close();
    const indexed = new McapStream(f, 'overlap.mcap');
    expect(indexed.mode).toBe('indexed');
    indexed.close();
    const modesOf = (mode: 'auto' | 'streaming') => {
      const s = openMcap(f, 'overlap.mcap', mode);
      const out: unknown[] = [];
      for (let b = s.next(); b; b = s.next()) for (let r = 0; r < b.count; r++) out.push(b.value(r, 8));
      s.close();
      return out;
    };
    expect(modesOf('auto')).toEqual(MODES);
    // Streaming takes the file as it comes: every fix precedes every mode message.
    expect(modesOf('streaming')).toEqual(Array(200).fill(null));

    const unindexed = file('unindexed.mcap');
    writeMcap(unindexed, drive.trace, drive.meta, { summary: false, compression: 'lz4', chunkSize: 8192 });
    const stream = new McapStream(unindexed, 'unindexed.mcap');
    expect(stream.mode).toBe('streaming');
    stream.close();
    const unchunked = file('unchunked.mcap');
    writeMcap(unchunked, drive.trace, drive.meta, { chunked: false });
    for (const g of [unindexed, unchunked]) {
      const { summary, rows } = await ingestOne(g, file('lake'));
      expect(summary).toMatchObject({ status: 'ingested', rows_stored: 200 });
      expect(rows[0]).toMatchObject({ vehicle_id: 'V-ROS-1', company_id: 'acme', mode: 'autonomous' });
    }
  });

  it('maps Autoware ControlModeReport, Autoware OperationModeState and Apollo driving modes', async () => {
    const control = file('control.mcap');
    writeMcap(control, drive.trace, drive.meta, { modeMessage: 'autoware-control' });
    const a = await ingestOne(control, file('lake'));
    // ControlModeReport has no remote mode: the writer reports MANUAL there.
    expect(a.rows.map((r) => r.mode)).toEqual([...Array(80).fill('autonomous'), ...Array(120).fill('manual')]);
    const apollo = file('apollo.mcap');
    writeMcap(apollo, drive.trace, drive.meta, { modeMessage: 'apollo' });
    const b = await ingestOne(apollo, file('lake'));
    expect(b.rows.map((r) => r.mode)).toEqual([...Array(80).fill('autonomous'), ...Array(120).fill('manual')]);

    expect(modeOf('autoware_auto_vehicle_msgs/msg/ControlModeReport', { mode: 1 })).toBe('autonomous');
    expect(modeOf('autoware_vehicle_msgs/msg/ControlModeReport', { mode: 5 })).toBe('manual');
    expect(modeOf('autoware_auto_vehicle_msgs/ControlModeReport', { mode: 0 })).toBe('unknown');
    expect(
      modeOf('autoware_adapi_v1_msgs/msg/OperationModeState', { mode: 4, is_autoware_control_enabled: true }),
    ).toBe('remote');
    expect(
      modeOf('autoware_adapi_v1_msgs/msg/OperationModeState', { mode: 2, is_autoware_control_enabled: false }),
    ).toBe('manual');
    expect(modeOf('apollo.canbus.Chassis', { driving_mode: 'COMPLETE_AUTO_DRIVE' })).toBe('autonomous');
    expect(modeOf('apollo.canbus.Chassis', { driving_mode: 3 })).toBe('manual');
    expect(modeOf('apollo.canbus.Chassis', { driving_mode: 'EMERGENCY_MODE' })).toBe('manual');
  });

  it('gives JSON event channels as an event source, positioned at the last fix', async () => {
    const f = file('events.mcap');
    writeMcap(f, drive.trace, drive.meta, { events });
    const source = openSource(f, 'events.mcap', null);
    const { events: rows, rejected } = readEvents(source, dir);
    source.close();
    expect(rejected).toBe(0);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      kind: 'disengagement',
      initiator: 'driver',
      cause: 'pedestrian close',
      company_id: 'acme',
      vehicle_id: 'V-ROS-1',
      ts_us: events[0]?.ms ? events[0].ms * 1000 : 0,
      lat: 22.5405,
      origin: 'logged',
    });
    expect(rows[1]).toMatchObject({
      kind: 'remote_command',
      initiator: 'remote',
      severity: 'info',
      ts_end_us: (drive.meta.startMs + 17_000) * 1000,
    });
    // No event channel: no event source.
    const quiet = file('quiet.mcap');
    writeMcap(quiet, drive.trace, drive.meta);
    const s2 = openSource(quiet, 'quiet.mcap', null);
    expect(s2.events?.()).toBeNull();
    s2.close();
  });
});

describe('damaged MCAP files', () => {
  it('drops a chunk whose CRC does not match (bad_checksum at its byte offset) and keeps the others', async () => {
    const f = file('crc.mcap');
    writeMcap(f, drive.trace, drive.meta, { compression: 'none', chunkSize: 16 * 1024 });
    const chunks = await chunkIndexes(f);
    const victim = chunks[2] as McapTypes.ChunkIndex;
    const bytes = fs.readFileSync(f);
    const at = Number(victim.chunkStartOffset) + Number(victim.chunkLength) - 20; // inside the last message's payload
    bytes[at] = (bytes[at] as number) ^ 0xff;
    fs.writeFileSync(f, bytes);
    const { summary, quarantine, rows } = await ingestOne(f, file('lake'));
    expect(summary.status).toBe('ingested');
    expect(quarantine).toHaveLength(1);
    expect(quarantine[0]).toMatchObject({ reason: 'bad_checksum', byte_offset: String(victim.chunkStartOffset) });
    expect(rows.length).toBeGreaterThan(150);
    expect(rows.length).toBeLessThan(200);
    expect(summary.rows_in).toBe(rows.length + 1);
  });

  it('quarantines a zstd chunk that does not decompress', async () => {
    const f = file('zstd.mcap');
    writeMcap(f, drive.trace, drive.meta, { compression: 'zstd', chunkSize: 16 * 1024 });
    const victim = (await chunkIndexes(f))[1] as McapTypes.ChunkIndex;
    const bytes = fs.readFileSync(f);
    const start = Number(victim.chunkStartOffset) + Number(victim.chunkLength) - Number(victim.compressedSize);
    for (let i = start + 20; i < start + 60; i++) bytes[i] = 0x55;
    fs.writeFileSync(f, bytes);
    const { summary, quarantine } = await ingestOne(f, file('lake'));
    expect(summary.status).toBe('ingested');
    expect(quarantine).toHaveLength(1);
    expect(['corrupt_chunk', 'bad_checksum']).toContain(quarantine[0]?.reason);
    expect(quarantine[0]?.byte_offset).toBe(String(victim.chunkStartOffset));
  });

  it('reads a recording cut off mid-chunk up to the cut, with the cut quarantined at its offset', async () => {
    const f = file('cut.mcap');
    writeMcap(f, drive.trace, drive.meta, { compression: 'lz4', chunkSize: 16 * 1024 });
    const victim = (await chunkIndexes(f))[10] as McapTypes.ChunkIndex;
    const bytes = fs.readFileSync(f);
    fs.writeFileSync(f, bytes.subarray(0, Number(victim.chunkStartOffset) + 100));
    const { summary, quarantine, rows } = await ingestOne(f, file('lake'));
    expect(summary.status).toBe('ingested');
    expect(quarantine).toEqual([
      expect.objectContaining({ reason: 'truncated_row', byte_offset: String(victim.chunkStartOffset) }),
    ]);
    expect(rows.length).toBeGreaterThan(80);
    expect(rows.length).toBeLessThan(120);
    // Samples are those of the complete chunks, in order.
    expect(rows.map((r) => Number(r.ts_us))).toEqual(
      Array.from({ length: rows.length }, (_, k) => sampleMs(drive.meta, k) * 1000),
    );
  });

  it('reports a channel with a schema it cannot decode once, and a message that does not decode', async () => {
    const f = file('schemas.mcap');
    const w = new McapFileWriter(f, { compression: 'none' });
    const enc = new DriveEncoder(w, 'ros2', 'autoware-operation');
    // An IMU channel in a schema encoding avlog does not read (IDL), registered before the encoder's own.
    const idl = w.schema(
      'sensor_msgs/msg/Imu',
      'ros2idl',
      'module sensor_msgs { module msg { struct Imu { double x; }; }; };',
    );
    const imuIdl = w.channel('/avlog/imu', idl, 'cdr');
    const orphan = w.channel('/orphan', 0, 'json');
    let k = 0;
    for (const m of driveMessages(drive.trace, drive.meta)) {
      if (m.kind === 'imu') {
        w.message(imuIdl, m.logNs, new Uint8Array([0, 1, 0, 0, 1, 2, 3, 4]));
        continue;
      }
      if (m.kind === 'fix' && k++ === 50) {
        const fixSchema = w.schema(
          ros2Name('sensor_msgs/NavSatFix'),
          'ros2msg',
          ROS2_DEFINITIONS['sensor_msgs/NavSatFix'],
        );
        w.message(w.channel('/avlog/fix', fixSchema, 'cdr'), m.logNs, new Uint8Array([0, 1, 0, 0, 7, 0]));
        continue;
      }
      enc.write(m);
    }
    w.message(orphan, Number(drive.meta.startMs) * 1e6 + 5e9, new TextEncoder().encode('{}'));
    w.close();
    const { summary, quarantine, rows } = await ingestOne(f, file('lake'));
    expect(summary.status).toBe('ingested');
    expect(rows).toHaveLength(199);
    expect(summary.quarantine_by_reason).toEqual({ unknown_schema: 1, undecodable_message: 1 });
    expect(quarantine.find((q) => q.reason === 'unknown_schema')?.detail).toMatch(/\/avlog\/imu.*ros2idl/u);
    expect(quarantine.find((q) => q.reason === 'undecodable_message')?.detail).toMatch(/\/avlog\/fix/u);
    // Without IMU the pipeline derives acceleration from speed.
    expect(rows.filter((r) => r.accel_lon_mps2 !== null).length).toBeGreaterThan(190);
  });

  it('quarantines fixes after the recorder clock jumps back, until time passes the jump', async () => {
    const long = syntheticDrive(600);
    const f = file('clock.mcap');
    const w = new McapFileWriter(f, { compression: 'zstd', chunkSize: 32 * 1024 });
    const enc = new DriveEncoder(w, 'ros2', 'autoware-operation');
    const jumpAt = sampleMs(long.meta, 100) * 1e6 - 5e6;
    for (const m of driveMessages(long.trace, long.meta)) {
      const shift = m.logNs >= jumpAt ? -30e9 : 0;
      if (m.kind === 'state' || m.kind === 'event') enc.write({ ...m, logNs: m.logNs + shift });
      else enc.write({ ...m, logNs: m.logNs + shift, stampNs: m.stampNs + shift });
    }
    w.close();
    const { summary, quarantine, rows } = await ingestOne(f, file('lake'));
    expect(summary.status).toBe('ingested');
    // Fixes 100…398 are 30 s early, before fix 99 (9.9 s): the reader quarantines them at their offsets. Fix 399
    // lands on 9.9 s (a duplicate) and from fix 400 on time is new again, but 30 s of driving away from fix 99:
    // the pipeline rejects the teleport until the implied speed is plausible.
    expect(summary.rows_in).toBe(600);
    expect(summary.quarantine_by_reason.timestamp_backwards).toBe(299);
    expect(summary.quarantine_by_reason.duplicate_timestamp).toBe(1);
    expect(summary.quarantine_by_reason.position_jump).toBeGreaterThan(0);
    const backwards = quarantine.filter((q) => q.reason === 'timestamp_backwards');
    expect(backwards[0]?.detail).toMatch(/clock jumped back \d+\.\d{3} s: fix at 2026-09-01T0[12]:/u);
    expect(backwards.every((q) => Number(q.byte_offset) > 0)).toBe(true);
    expect(rows.slice(0, 100).map((r) => Number(r.ts_us))).toEqual(
      Array.from({ length: 100 }, (_, k) => sampleMs(long.meta, k) * 1000),
    );
    expect(Number(rows.at(-1)?.ts_us)).toBe((sampleMs(long.meta, 599) - 30_000) * 1000);
  });

  it('fails a file that is not readable as MCAP at all with one clear error', async () => {
    const f = file('header-only.mcap');
    fs.writeFileSync(
      f,
      Buffer.concat([Buffer.from([0x89, 0x4d, 0x43, 0x41, 0x50, 0x30, 0x0d, 0x0a]), Buffer.from([0x01, 0xff, 0xff])]),
    );
    const { summary } = await ingestOne(f, file('lake'));
    expect(summary.status).toBe('failed');
    expect(summary.error).toMatch(/header-only\.mcap \(byte 8\): MCAP file has no readable header record/u);
    expect(summary.rows_in).toBe(0);
  });
});
