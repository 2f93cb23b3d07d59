import { readFileSync } from 'node:fs';
import path from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { Bag } from '@foxglove/rosbag';
import { FileReader } from '@foxglove/rosbag/node.js';
import { tableFromIPC } from 'apache-arrow';
import { decompress as zstdDecompress } from 'fzstd';
import * as lz4 from 'lz4js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_HEADER, GBK_HEADER, generateFleet, seedOptions, TELEMETRY_HEADER } from '../../seeds/index.js';
import {
  haversineM,
  readEventLogs,
  readManifest,
  readTelemetry,
  removeDir,
  tempDir,
  type Manifest,
  type ManifestFile,
} from './helpers.js';

const out = tempDir('formats');
/** A fleet of recordings only (the default mix has few): MCAP and ROS1 bags. */
const rec = tempDir('formats-recordings');
let m: Manifest;
let r: Manifest;
beforeAll(async () => {
  await generateFleet(seedOptions({ out, companies: 3, vehicles: 6, days: 2, drivesPerDay: 2, eventScale: 2 }));
  m = readManifest(out);
  await generateFleet(
    seedOptions({
      out: rec,
      companies: 2,
      vehicles: 3,
      days: 2,
      drivesPerDay: 2,
      eventScale: 2,
      formats: ['mcap', 'bag'],
    }),
  );
  r = readManifest(rec);
});
afterAll(() => {
  removeDir(out);
  removeDir(rec);
});

function firstOf(format: ManifestFile['format']): ManifestFile {
  const f = m.files.find((x) => x.format === format);
  if (f === undefined) throw new Error(`no ${format} file generated`);
  return f;
}

function lines(file: string): string[] {
  return readFileSync(path.join(out, file), 'utf8').split('\n');
}

describe('log file formats', () => {
  it('lays files out as <company>/<vehicle>/<local date>/<drive>.<ext>, with manifest.json and fleet.json', () => {
    for (const f of [...m.files, ...r.files]) {
      expect(f.path).toMatch(
        /^[a-z0-9]+\/[a-z0-9]+-v\d{2}\/\d{4}-\d{2}-\d{2}\/[a-z0-9]+-v\d{2}-\d{8}T\d{6}Z\.(csv|jsonl|arrow|mcap|bag)$/,
      );
      expect(path.basename(f.path)).toMatch(new RegExp(`^${f.drive_id}\\.`));
      // Recordings hold their events; logs have an event log beside them.
      if (f.events_path !== null)
        expect(f.events_path).toBe(
          f.format === 'mcap' || f.format === 'bag' ? f.path : f.path.replace(/\.(csv|jsonl|arrow)$/, '.events.csv'),
        );
    }
    const fleet = JSON.parse(readFileSync(path.join(out, 'fleet.json'), 'utf8')) as {
      companies: { id: string; permits: unknown[]; safety_officers: { role: string }[] }[];
      vehicles: { plate: string; vin: string; driverless: boolean; ads_versions: unknown[] }[];
    };
    expect(fleet.companies).toHaveLength(3);
    expect(fleet.vehicles).toHaveLength(6);
    for (const v of fleet.vehicles) {
      expect(v.plate).toMatch(/^粤B·[DF]\d{4}试$/);
      expect(v.vin).toMatch(/^[A-HJ-NPR-Z0-9]{17}$/);
    }
    expect(fleet.vehicles.some((v) => v.driverless)).toBe(true);
    expect(fleet.vehicles.some((v) => !v.driverless)).toBe(true);
  });

  it('writes canonical CSV: header, ISO UTC milliseconds, fixed decimals, known modes, \\n line ends', () => {
    const f = firstOf('csv');
    const text = readFileSync(path.join(out, f.path), 'utf8');
    expect(text.includes('\r')).toBe(false);
    const [header, first] = text.split('\n');
    expect(header).toBe(TELEMETRY_HEADER.join(','));
    expect(first).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z,[a-z]+,[a-z0-9-]+,-?\d+\.\d{7},-?\d+\.\d{7},\d+\.\d{3},\d+\.\d,-?\d+\.\d{3},-?\d+\.\d{3},(autonomous|manual|remote),\S+$/,
    );
  });

  it('writes one company as GBK CSV with the Chinese header, Beijing time and km/h', () => {
    const f = firstOf('gbk');
    const bytes = readFileSync(path.join(out, f.path));
    expect(bytes.toString('utf8')).not.toContain('时间');
    const text = new TextDecoder('gbk').decode(bytes);
    const [header, first] = text.split('\n');
    expect(header).toBe('时间,公司,车牌,纬度,经度,速度(km/h),航向,驾驶模式,软件版本');
    expect(header).toBe(GBK_HEADER.join(','));
    expect(first).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3},[a-z]+,/);
    expect(text).toMatch(/,(自动驾驶|人工驾驶|远程驾驶),/);
    const startMs = Date.parse(`${(first ?? '').slice(0, 23).replace(' ', 'T')}+08:00`);
    expect(new Date(startMs).toISOString().slice(0, 19).replace(/[-:]/g, '')).toBe(f.drive_id.slice(-16, -1));
    const companies = new Set(m.files.filter((x) => x.format === 'gbk').map((x) => x.path.split('/')[0]));
    expect(companies.size).toBe(1);
  });

  it('writes JSONL with the canonical keys and ts in epoch milliseconds', () => {
    const f = firstOf('jsonl');
    const first = JSON.parse(lines(f.path)[0] ?? '{}') as Record<string, unknown>;
    expect(Object.keys(first)).toEqual([...TELEMETRY_HEADER]);
    expect(typeof first.ts).toBe('number');
    expect(new Date(first.ts as number).toISOString().slice(0, 19).replace(/[-:]/g, '')).toBe(
      f.drive_id.slice(-16, -1),
    );
  });

  it('writes Arrow IPC streams that apache-arrow reads back with the declared types', () => {
    const f = firstOf('arrow');
    const table = tableFromIPC(readFileSync(path.join(out, f.path)));
    expect(table.numRows).toBe(f.rows);
    expect(table.schema.fields.map((x) => `${x.name}:${String(x.type)}`)).toEqual([
      'ts:Timestamp<MICROSECOND, UTC>',
      'company_id:Utf8',
      'vehicle_id:Utf8',
      'lat:Float64',
      'lon:Float64',
      'speed_mps:Float64',
      'heading_deg:Float64',
      'accel_lon_mps2:Float64',
      'accel_lat_mps2:Float64',
      'mode:Utf8',
      'ads_version:Utf8',
    ]);
    expect(table.getChild('ts')?.data[0]?.values).toBeInstanceOf(BigInt64Array);
    expect(['autonomous', 'manual', 'remote']).toContain(table.getChild('mode')?.get(0));
    expect(table.getChild('vehicle_id')?.get(table.numRows - 1)).toBe(f.vehicle_id);
  });

  it('writes the GCJ-02 variant ~500 m off WGS-84, in columns lat_gcj02,lon_gcj02', () => {
    const f = firstOf('gcj02');
    const [header, first] = lines(f.path);
    expect(header).toBe(
      'ts,company_id,vehicle_id,lat_gcj02,lon_gcj02,speed_mps,heading_deg,accel_lon_mps2,accel_lat_mps2,mode,ads_version',
    );
    const cells = (first ?? '').split(',');
    const wgs = readTelemetry(out, f)[0];
    const offset = haversineM(Number(cells[3]), Number(cells[4]), wgs?.lat ?? 0, wgs?.lon ?? 0);
    expect(offset).toBeGreaterThan(400);
    expect(offset).toBeLessThan(700);
  });

  it('writes MCAP recordings in the avlog profile that @mcap/core reads: zstd or lz4 chunks, identity metadata, every topic', async () => {
    const recordings = r.files.filter((x) => x.format === 'mcap');
    const compressions = new Set<string>();
    for (const f of recordings) {
      const buf = readFileSync(path.join(rec, f.path));
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
      for (const c of reader.chunkIndexes) compressions.add(c.compression);
      expect([...reader.metadataIndexes.values()].map((x) => x.name)).toEqual(['avlog']);
      const topics = new Set([...reader.channelsById.values()].map((c) => c.topic));
      for (const t of ['/avlog/fix', '/avlog/odom', '/avlog/imu', '/avlog/control_mode', '/avlog/vehicle_state'])
        expect(topics, f.path).toContain(t);
      expect(topics.has('/avlog/events'), f.path).toBe(f.events_path !== null);
      let fixes = 0;
      const fixChannel = [...reader.channelsById.values()].find((c) => c.topic === '/avlog/fix')?.id;
      for await (const msg of reader.readMessages()) if (msg.channelId === fixChannel) fixes++;
      expect(fixes, f.path).toBe(f.rows);
    }
    expect(compressions).toEqual(new Set(['zstd', 'lz4']));
  });

  it('writes ROS1 bags in lz4 chunks that @foxglove/rosbag reads: one NavSatFix per row, events as std_msgs/String JSON', async () => {
    const bags = r.files.filter((x) => x.format === 'bag');
    expect(bags.length).toBeGreaterThan(0);
    for (const f of bags) {
      const bag = new Bag(new FileReader(path.join(rec, f.path)), {
        decompress: { lz4: (b: Uint8Array, size: number) => lz4.decompress(b, size) },
      });
      await bag.open();
      expect(bag.chunkInfos.length).toBeGreaterThan(0);
      const fixes: unknown[] = [];
      const events: { kind: string }[] = [];
      for await (const e of bag.messageIterator({ topics: ['/avlog/fix', '/avlog/events'] })) {
        if (e.topic === '/avlog/fix') fixes.push(e.message);
        else events.push(JSON.parse((e.message as { data: string }).data) as { kind: string });
      }
      expect(fixes, f.path).toHaveLength(f.rows);
      expect(events, f.path).toHaveLength(f.event_lines);
      for (const e of events) expect(e.kind).toMatch(/^[a-z_]+$/u);
    }
  });

  it('writes event logs with the canonical header, kinds, initiators and injury severities', () => {
    const kinds = new Set<string>();
    for (const f of m.files) {
      if (f.events_path === null || f.format === 'mcap' || f.format === 'bag') continue;
      const [header, ...rest] = lines(f.events_path).filter((l) => l !== '');
      expect(header).toBe(EVENT_HEADER.join(','));
      expect(rest).toHaveLength(f.event_lines);
      for (const l of rest) {
        const c = l.split(',');
        expect(c[0]).toMatch(/Z$/);
        kinds.add(c[4] ?? '');
        expect(['', 'system', 'driver', 'remote', 'passenger']).toContain(c[6]);
        if (c[4] === 'collision') expect(['none', 'minor', 'moderate', 'serious', 'fatal']).toContain(c[5]);
        else expect(['', 'info']).toContain(c[5]);
        expect(Number(c[8])).toBeGreaterThan(22.4);
        expect(Number(c[9])).toBeGreaterThan(113.8);
      }
    }
    for (const k of ['ads_activated', 'ads_deactivated', 'disengagement']) expect(kinds).toContain(k);
    for (const k of kinds) expect(['harsh_brake', 'harsh_accel', 'harsh_lateral', 'speeding']).not.toContain(k);
  });

  it("puts as many events on a recording's event channel as the manifest says it logged", () => {
    const recorded = r.files.filter((f) => f.events_path !== null);
    expect(new Set(recorded.map((f) => f.format))).toEqual(new Set(['mcap', 'bag']));
    const lines = readEventLogs(rec, { ...r, files: recorded });
    expect(lines).toHaveLength(recorded.reduce((a, f) => a + f.event_lines, 0));
    const logged = r.events.filter((e) => e.logged && recorded.some((f) => f.path === e.drive_file));
    expect(lines.map((l) => `${l.vehicle_id}@${l.ts}/${l.kind}`).sort()).toEqual(
      logged.map((e) => `${e.vehicle_id}@${e.ts}/${e.kind}`).sort(),
    );
  });

  it('counts rows in the manifest exactly as the files hold them', () => {
    for (const f of m.files) expect(readTelemetry(out, f).length, f.path).toBe(f.rows);
    for (const f of r.files) expect(readTelemetry(rec, f).length, f.path).toBe(f.rows);
  });
});
