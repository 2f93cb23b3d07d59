import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../services/api/app.js';
import { ingestPaths, type FileSummary } from '../../../services/ingest/ingest.js';
import { writeCsv } from '../../../seeds/writers/csv.js';
import { writeEventLog, type EventLine } from '../../../seeds/writers/events.js';
import { DriveEncoder, McapFileWriter } from '../../../seeds/writers/mcap.js';
import { sampleMs } from '../../../seeds/writers/meta.js';
import { BagWriter, driveMessages, Ros1Encoder, ROS1_DEFINITIONS, rosMessage } from '../../../seeds/writers/rosbag.js';
import { lakeTable, query, tempDir } from '../../helpers/lake.js';
import { syntheticDrive } from './fixtures.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir('avlog-recorded-events-')));
afterAll(() => cleanup());

/** Autonomous for samples 0–79, manual 80–159, remote 160–199: one autonomous→manual change, at sample 80. */
const drive = syntheticDrive(200);
const at = (k: number) => sampleMs(drive.meta, k);
const line = (k: number, kind: string, extra: Partial<EventLine> = {}): EventLine => ({
  ms: at(k),
  msEnd: null,
  companyId: 'acme',
  vehicleId: 'V-ROS-1',
  kind,
  severity: null,
  initiator: null,
  cause: null,
  lat: drive.trace.gpsLat[k] as number,
  lon: drive.trace.gpsLon[k] as number,
  speedMps: drive.trace.v[k] as number,
  ...extra,
});
/** The vehicle logged the takeover at the mode change, and a collision later. */
const logged = [
  line(80, 'disengagement', { initiator: 'driver', cause: 'pedestrian close' }),
  line(120, 'collision', { severity: 'minor', msEnd: at(125) }),
];
/** Damaged event records, written between samples: not JSON at all, and an event kind avlog does not know. */
const NOT_JSON = new TextEncoder().encode('{"kind": "collision", "ts_ms": 17');
const UNKNOWN_KIND = new TextEncoder().encode(JSON.stringify({ ts_ms: at(150), kind: 'teleportation' }));

const EVENT_SCHEMA = JSON.stringify({ title: 'avlog.Event', type: 'object', required: ['kind'] });

/** The drive as an MCAP in the profile (uncompressed chunks: offsets are exact), plus the damaged event messages. */
function writeMcapWithEvents(file: string, compression: 'none' | 'lz4'): void {
  const w = new McapFileWriter(file, { compression, chunkSize: 16 * 1024, profile: 'ros2' });
  w.metadata('avlog', {
    vehicle_id: drive.meta.vehicleId,
    company_id: drive.meta.companyId,
    ads_version: drive.meta.adsVersion,
  });
  const events = w.channel('/avlog/events', w.schema('avlog.Event', 'jsonschema', EVENT_SCHEMA), 'json');
  const enc = new DriveEncoder(w, 'ros2', 'autoware-operation');
  for (const m of driveMessages(drive.trace, drive.meta, { events: logged })) {
    enc.write(m);
    if (m.kind === 'fix' && m.logNs === at(100) * 1e6) w.message(events, m.logNs + 5e5, NOT_JSON);
    if (m.kind === 'fix' && m.logNs === at(150) * 1e6) w.message(events, m.logNs + 5e5, UNKNOWN_KIND);
  }
  w.close();
}

/** The same as a ROS1 bag: events as std_msgs/String JSON. */
function writeBagWithEvents(file: string): void {
  const bag = new BagWriter(file, { compression: 'none', chunkSize: 16 * 1024 });
  const enc = new Ros1Encoder();
  const string = (data: Uint8Array) => enc.encode('std_msgs/String', { data: new TextDecoder().decode(data) });
  for (const m of driveMessages(drive.trace, drive.meta, { events: logged })) {
    const r = rosMessage(m, 1);
    bag.message(bag.connection(r.topic, r.type, ROS1_DEFINITIONS[r.type]), m.logNs, enc.encode(r.type, r.message));
    const events = bag.connection('/avlog/events', 'std_msgs/String', ROS1_DEFINITIONS['std_msgs/String']);
    if (m.kind === 'fix' && m.logNs === at(100) * 1e6) bag.message(events, m.logNs + 5e5, string(NOT_JSON));
    if (m.kind === 'fix' && m.logNs === at(150) * 1e6) bag.message(events, m.logNs + 5e5, string(UNKNOWN_KIND));
  }
  bag.close();
}

/** The same drive as canonical CSV telemetry and a CSV event log (the reference the recordings must equal). */
function writeCsvWithEvents(folder: string): string {
  fs.mkdirSync(folder, { recursive: true });
  writeCsv(path.join(folder, 'drive.csv'), drive.trace, drive.meta);
  writeEventLog(path.join(folder, 'drive.events.csv'), logged);
  return folder;
}

interface Lake {
  dataDir: string;
  summary: FileSummary;
  app: FastifyInstance;
}

async function ingest(name: string, input: string): Promise<Lake> {
  const dataDir = path.join(dir, `lake-${name}`);
  const s = await ingestPaths([input], { dataDir });
  expect(s.failed).toBe(0);
  return { dataDir, summary: s.files[0] as FileSummary, app: await buildApp({ dataDir }) };
}

async function disengagements(
  app: FastifyInstance,
): Promise<{ count: number; by_initiator: Record<string, number>; by_cause: Record<string, number> }> {
  const r = await app.inject({ url: '/api/metrics/disengagements' });
  expect(r.statusCode, r.body).toBe(200);
  const row = r.json<{
    rows: { count: number; by_initiator: Record<string, number>; by_cause: Record<string, number> }[];
  }>().rows[0];
  return { count: row?.count ?? NaN, by_initiator: row?.by_initiator ?? {}, by_cause: row?.by_cause ?? {} };
}

const lakes: Lake[] = [];
afterAll(async () => {
  for (const l of lakes) await l.app.close();
});

describe('events recorded on MCAP and bag event channels', () => {
  let csv: Lake;
  beforeAll(async () => {
    csv = await ingest('csv', writeCsvWithEvents(path.join(dir, 'csv')));
    lakes.push(csv);
  });

  const recordings: [string, (f: string) => void][] = [
    ['MCAP', (f) => writeMcapWithEvents(f, 'none')],
    ['ROS1 bag', (f) => writeBagWithEvents(f)],
  ];
  for (const [label, write] of recordings) {
    it(`${label}: stores logged events in the lake, quarantines damaged event records at their byte offset`, async () => {
      const f = path.join(dir, label === 'MCAP' ? 'events.mcap' : 'events.bag');
      write(f);
      const lake = await ingest(label, f);
      lakes.push(lake);
      // Rows in: one per fix and one per event message (2 good, 2 damaged).
      expect(lake.summary).toMatchObject({ status: 'ingested', rows_in: 204, rows_stored: 202, rows_quarantined: 2 });
      expect(lake.summary.quarantine_by_reason).toEqual({ undecodable_message: 1, unknown_event_kind: 1 });
      const events = await query(
        `SELECT kind, origin, initiator, cause, severity, epoch_ms(ts) AS ms, epoch_ms(ts_end) AS end_ms, vehicle_id, company_id, source_id, lat, lon FROM ${lakeTable(lake.dataDir, 'events')} WHERE origin = 'logged' ORDER BY ts`,
      );
      expect(events).toEqual([
        expect.objectContaining({
          kind: 'disengagement',
          initiator: 'driver',
          cause: 'pedestrian close',
          ms: String(at(80)),
          end_ms: null,
          vehicle_id: 'V-ROS-1',
          company_id: 'acme',
          source_id: lake.summary.source_id,
        }),
        expect.objectContaining({
          kind: 'collision',
          severity: 'minor',
          ms: String(at(120)),
          end_ms: String(at(125)),
          vehicle_id: 'V-ROS-1',
          company_id: 'acme',
        }),
      ]);
      expect(Number(events[0]?.lat)).toBeCloseTo(drive.trace.gpsLat[80] as number, 9);
      // Every quarantined event record points at the message record that holds it.
      const bytes = fs.readFileSync(f);
      const quarantine = await query(
        `SELECT reason, byte_offset, detail, raw FROM ${lakeTable(lake.dataDir, 'quarantine')} ORDER BY byte_offset`,
      );
      expect(quarantine.map((q) => q.reason)).toEqual(['undecodable_message', 'unknown_event_kind']);
      for (const [q, payload] of [
        [quarantine[0], NOT_JSON],
        [quarantine[1], UNKNOWN_KIND],
      ] as const) {
        const offset = Number(q?.byte_offset);
        const record = bytes.subarray(offset, offset + 256);
        if (label === 'MCAP')
          expect(record[0]).toBe(0x05); // an MCAP message record
        else expect(record.includes(Buffer.from('op=\u0002', 'latin1'))).toBe(true); // a bag message record
        expect(record.includes(Buffer.from(payload))).toBe(true);
      }
      expect(quarantine[0]?.detail).toMatch(/\/avlog\/events/u);
      expect(quarantine[1]?.detail).toMatch(/teleportation/u);
      // The logged disengagement and the detected autonomous→manual change at the same instant are one, as for CSV.
      const detected = await query(
        `SELECT epoch_ms(ts) AS ms FROM ${lakeTable(lake.dataDir, 'events')} WHERE origin = 'detected' AND kind = 'disengagement'`,
      );
      expect(detected).toEqual([{ ms: String(at(80)) }]);
      const fromRecording = await disengagements(lake.app);
      expect(fromRecording).toEqual({ count: 1, by_initiator: { driver: 1 }, by_cause: { 'pedestrian close': 1 } });
      expect(fromRecording).toEqual(await disengagements(csv.app));
    });
  }

  it('a compressed MCAP quarantines damaged event records at their chunk, and counts the same', async () => {
    const f = path.join(dir, 'events-lz4.mcap');
    writeMcapWithEvents(f, 'lz4');
    const lake = await ingest('lz4', f);
    lakes.push(lake);
    expect(lake.summary).toMatchObject({ rows_in: 204, rows_stored: 202, rows_quarantined: 2 });
    const quarantine = await query(`SELECT byte_offset FROM ${lakeTable(lake.dataDir, 'quarantine')}`);
    const bytes = fs.readFileSync(f);
    for (const q of quarantine) expect(bytes[Number(q.byte_offset)]).toBe(0x06); // an MCAP chunk record
  });

  it('without a logged disengagement, the detected autonomous→manual change counts', async () => {
    const f = path.join(dir, 'quiet.mcap');
    const w = new McapFileWriter(f, { compression: 'zstd', profile: 'ros2' });
    w.metadata('avlog', {
      vehicle_id: drive.meta.vehicleId,
      company_id: drive.meta.companyId,
      ads_version: drive.meta.adsVersion,
    });
    const enc = new DriveEncoder(w, 'ros2', 'autoware-operation');
    for (const m of driveMessages(drive.trace, drive.meta, { events: [logged[1] as EventLine] })) enc.write(m);
    w.close();
    const lake = await ingest('quiet', f);
    lakes.push(lake);
    expect(lake.summary).toMatchObject({ rows_in: 201, rows_stored: 201, rows_quarantined: 0 });
    const d = await disengagements(lake.app);
    expect(d.count).toBe(1);
    expect(d.by_cause).not.toHaveProperty('pedestrian close');
  });
});
