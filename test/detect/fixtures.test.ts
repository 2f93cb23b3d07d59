import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectEvents, type DetectOptions } from '../../services/ingest/detect/detect-events.js';
import { RoadLimits } from '../../services/reference/roads/road-limits.js';
import { ingestPaths, type IngestSummary } from '../../services/ingest/ingest.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';

/**
 * Hand-made 10 Hz tracks, one vehicle per scenario, ingested through the real pipeline with the embedded road
 * network; then the lake's events are checked. Every vehicle drives along Shennan Blvd (posted 60 km/h) at 12 m/s
 * unless a scenario says otherwise.
 */
const HEADER = 'ts,company_id,vehicle_id,lat,lon,speed_mps,heading_deg,accel_lon_mps2,accel_lat_mps2,mode,ads_version';
const HZ = 10;
const START = Date.UTC(2026, 8, 1, 2, 0, 0); // 10:00 in Beijing
/** West end of a straight stretch of Shennan Blvd and its bearing. */
const ORIGIN = { lat: 22.5455, lon: 113.92 };
const BEARING = 97.6;
const LIMIT_MPS = 60 / 3.6;

interface Segment {
  /** Seconds this segment lasts (samples = seconds × 10). */
  s: number;
  /** Logged longitudinal acceleration, m/s² (speed follows it unless `v` is given). */
  a?: number;
  al?: number;
  /** Hold this speed, m/s. */
  v?: number;
  mode?: 'autonomous' | 'manual' | 'remote';
  /** A dropout: no samples are written for this segment, but time and position go on. */
  dropout?: boolean;
  /** Remembers the first and last sample time under this name. */
  label?: string;
}

interface Track {
  lines: string[];
  at: Record<string, { first: number; last: number }>;
}

/** Samples of one vehicle's drive from segments, positions integrated along the road from the speed. */
function track(vehicle: string, segments: Segment[], withAccel = true): Track {
  const lines: string[] = [];
  const at: Track['at'] = {};
  const rad = (BEARING * Math.PI) / 180;
  let k = 0;
  let v = 12;
  let dist = 0;
  let mode: Segment['mode'] = 'autonomous';
  // Heading turns with the logged lateral acceleration (dψ/dt = a_lat / v), so the two channels agree.
  let heading = BEARING;
  for (const seg of segments) {
    const n = Math.round(seg.s * HZ);
    mode = seg.mode ?? mode;
    for (let i = 0; i < n; i++, k++) {
      const ms = START + Math.round((k * 1000) / HZ);
      const a = seg.a ?? 0;
      v = seg.v ?? Math.max(0, v + a / HZ);
      dist += v / HZ;
      heading += (((seg.al ?? 0) / Math.max(v, 1)) * 180) / Math.PI / HZ;
      if (seg.label !== undefined) {
        const mark = (at[seg.label] ??= { first: ms, last: ms });
        mark.last = ms;
      }
      if (seg.dropout === true) continue;
      const lat = ORIGIN.lat + (dist * Math.cos(rad)) / 111_320;
      const lon = ORIGIN.lon + (dist * Math.sin(rad)) / (111_320 * Math.cos((ORIGIN.lat * Math.PI) / 180));
      const accel = withAccel ? `${a.toFixed(3)},${(seg.al ?? 0).toFixed(3)}` : ',';
      lines.push(
        `${new Date(ms).toISOString()},acme,${vehicle},${lat.toFixed(7)},${lon.toFixed(7)},${v.toFixed(3)},${heading.toFixed(4)},${accel},${mode},v1.0`,
      );
    }
  }
  return { lines, at };
}

const cruise = (s: number, extra: Partial<Segment> = {}): Segment => ({ s, a: 0, ...extra });

/** Scenario → vehicle. */
const TRACKS = {
  // A −4.5 m/s² brake for 0.5 s (6 samples, first to last 0.5 s): one medium harsh brake.
  brake: track('BRAKE', [cruise(3), { s: 0.6, a: -4.5, label: 'brake' }, cruise(3)]),
  // −5 m/s² for 0.2 s (3 samples): not sustained, nothing.
  spike: track('SPIKE', [cruise(3), { s: 0.3, a: -5 }, cruise(3)]),
  // Exactly 0.3 s at −3.2 (4 samples): the debounce is met (≥), a low harsh brake.
  edge: track('EDGE', [cruise(3), { s: 0.4, a: -3.2, label: 'edge' }, cruise(3)]),
  // Two 0.5 s brakes at −3.5 with 1 s of gentle braking between: two episodes, two events.
  twice: track('TWICE', [
    cruise(3),
    { s: 0.6, a: -3.5, label: 'first' },
    { s: 1, a: -1 },
    { s: 0.6, a: -3.5, label: 'second' },
    cruise(3),
  ]),
  // A 1 s brake at −3.5 with a 0.2 s dip to −6.5 inside: one episode, low (the deeper tiers held < 0.3 s), peak −6.5.
  dip: track('DIP', [
    cruise(3),
    { s: 0.4, a: -3.5, label: 'dip' },
    { s: 0.3, a: -6.5 },
    { s: 0.4, a: -3.5 },
    cruise(3),
  ]),
  // 0.2 s at −4.5, a 1.5 s dropout, 0.2 s at −4.5: not 0.3 s sustained on either side of the gap, nothing.
  dropout: track('GAP', [
    cruise(3),
    { s: 0.3, a: -4.5 },
    { s: 1.5, a: -4.5, dropout: true },
    { s: 0.3, a: -4.5 },
    cruise(3),
  ]),
  // +3.5 m/s² for 0.5 s, then |a_lat| 4 m/s² left and right for 0.5 s each, well apart.
  accel: track('ACCEL', [
    cruise(3),
    { s: 0.6, a: 3.5, label: 'accel' },
    cruise(3),
    { s: 0.6, al: 4, label: 'left' },
    cruise(3),
    { s: 0.6, al: -4, label: 'right' },
    cruise(3),
  ]),
  // 25 % over the limit for 4 s (medium), then 15 % over for 2 s (too short).
  speeding: track('SPEED', [
    cruise(3),
    { s: 4.1, v: LIMIT_MPS * 1.25, label: 'over' },
    { s: 5, v: 12 },
    { s: 2, v: LIMIT_MPS * 1.15 },
    { s: 3, v: 12 },
  ]),
  // autonomous → manual (a disengagement), manual → autonomous (an activation), autonomous → remote.
  modes: track('MODES', [
    cruise(5),
    cruise(5, { mode: 'manual', label: 'manual' }),
    cruise(5, { mode: 'autonomous', label: 'auto' }),
    cruise(5, { mode: 'remote', label: 'remote' }),
  ]),
  // Normal driving: ±2.6 m/s², 3 m/s² lateral, up to 7 % over the limit: nothing.
  calm: track('CALM', [
    cruise(3),
    { s: 2, a: -2.6 },
    { s: 2, a: 1.8, al: 3 },
    { s: 3, a: 2.5 }, // up to 1.07 × the limit
    cruise(3),
  ]),
};

/** A track without acceleration columns: the pipeline derives dv/dt (null at the first sample). */
const DERIVED = track('DERIVED', [cruise(3), { s: 0.6, a: -4.5, label: 'brake' }, cruise(3)], false);

/** Runs detection directly over a lake's telemetry on a fresh DuckDB, as the ingest does over a staged source. */
async function detectDirect(telemetryDir: string, eventsDir: string, options: DetectOptions): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run("SET TimeZone = 'UTC'");
    fs.rmSync(eventsDir, { recursive: true, force: true });
    return await detectEvents(
      {
        run: (sql) => connection.run(sql),
        rows: async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[],
      },
      { telemetryDir, eventsDir, sourceId: 'direct' },
      options,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

let dir: string;
let cleanup: () => void;
let data: string;
let file: string;
let first: IngestSummary;
let events: Record<string, unknown>[];

const iso = (ms: number) => new Date(ms).toISOString();
const eventsOf = (vehicle: string) => events.filter((e) => e.vehicle_id === vehicle);

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  data = path.join(dir, 'data');
  const lines = Object.values(TRACKS).flatMap((t) => t.lines);
  file = writeFixture(dir, 'scenarios.csv', `${HEADER}\n${lines.join('\n')}\n`);
  first = await ingestPaths([file], { dataDir: data, roads: RoadLimits.load({ kind: 'embedded' }) });
  events =
    await query(`SELECT *, epoch_ms(ts)::DOUBLE AS ts_ms, epoch_ms(ts_end)::DOUBLE AS ts_end_ms, date::VARCHAR AS date, local_date::VARCHAR AS local_date
    FROM ${lakeTable(data, 'events')} ORDER BY vehicle_id, ts`);
});
afterAll(() => cleanup());

describe('event detection on hand-made tracks', () => {
  it('ingests the scenarios and counts what it detected', async () => {
    expect(first.files[0]).toMatchObject({ status: 'ingested', rows_quarantined: 0 });
    expect(first.files[0]?.events_detected).toBe(events.length);
    const [limits] = await query(
      `SELECT min(speed_limit_mps) AS lo, max(speed_limit_mps) AS hi FROM ${lakeTable(data, 'telemetry')}`,
    );
    expect(limits?.lo).toBeCloseTo(LIMIT_MPS, 6);
    expect(limits?.hi).toBeCloseTo(LIMIT_MPS, 6);
  });

  it('a −4.5 m/s² brake for 0.5 s is one medium harsh brake, with its start, end, peak and detail', async () => {
    const at = TRACKS.brake.at.brake;
    expect(eventsOf('BRAKE')).toEqual([
      expect.objectContaining({
        kind: 'harsh_brake',
        severity: 'medium',
        origin: 'detected',
        peak: -4.5,
        ts_ms: at?.first,
        ts_end_ms: at?.last,
        initiator: null,
      }),
    ]);
    const e = eventsOf('BRAKE')[0] ?? {};
    expect(JSON.parse(String(e.detail))).toEqual({
      duration_s: 0.5,
      samples: 6,
      sustained_s: 0.5,
      threshold_mps2: -3,
      tier_threshold_mps2: -4,
    });
    // Position, speed, drive, line and partitions of the first sample beyond the threshold.
    const [sample] =
      await query(`SELECT lat, lon, speed_mps, drive_id, source_id, source_row, local_date::VARCHAR AS local_date
      FROM ${lakeTable(data, 'telemetry')} WHERE vehicle_id = 'BRAKE' AND ts = '${iso(at?.first ?? 0)}'`);
    expect(e).toMatchObject({ ...sample, company_id: 'acme', date: '2026-09-01', company: 'acme' });
    expect(e.source_id).toBe(first.files[0]?.source_id);
    // The deterministic id of the logged events' convention, with origin 'detected'.
    const id = crypto
      .createHash('sha1')
      .update(`acme\u0000BRAKE\u0000harsh_brake\u0000${(at?.first ?? 0) * 1000}\u0000detected`)
      .digest('hex')
      .slice(0, 24);
    expect(e.event_id).toBe(id);
  });

  it('a 0.2 s spike is nothing; exactly 0.3 s is sustained', () => {
    expect(eventsOf('SPIKE')).toEqual([]);
    expect(eventsOf('EDGE')).toEqual([
      expect.objectContaining({ kind: 'harsh_brake', severity: 'low', peak: -3.2, ts_ms: TRACKS.edge.at.edge?.first }),
    ]);
  });

  it('two brakes 1 s apart are two events', () => {
    const { first: a, second: b } = TRACKS.twice.at;
    expect(eventsOf('TWICE').map((e) => [e.kind, e.severity, e.ts_ms, e.ts_end_ms])).toEqual([
      ['harsh_brake', 'low', a?.first, a?.last],
      ['harsh_brake', 'low', b?.first, b?.last],
    ]);
  });

  it('grades an episode by the deepest tier held for 0.3 s, not by its peak', () => {
    expect(eventsOf('DIP')).toEqual([
      expect.objectContaining({ kind: 'harsh_brake', severity: 'low', peak: -6.5, ts_ms: TRACKS.dip.at.dip?.first }),
    ]);
    expect(JSON.parse(String(eventsOf('DIP')[0]?.detail))).toMatchObject({
      duration_s: 1,
      samples: 11,
      sustained_s: 1,
    });
  });

  it('does not measure the debounce across a dropout', () => {
    expect(eventsOf('GAP')).toEqual([]);
  });

  it('finds harsh acceleration and harsh lateral either way, with the signed peak', () => {
    const { accel, left, right } = TRACKS.accel.at;
    expect(eventsOf('ACCEL').map((e) => [e.kind, e.severity, e.peak, e.ts_ms, e.ts_end_ms])).toEqual([
      ['harsh_accel', null, 3.5, accel?.first, accel?.last],
      ['harsh_lateral', null, 4, left?.first, left?.last],
      ['harsh_lateral', null, -4, right?.first, right?.last],
    ]);
  });

  it('speeding 25 % over the limit for 4 s is one medium event with the limit; 15 % for 2 s is nothing', () => {
    const over = TRACKS.speeding.at.over;
    // The fixture's speed steps (8 m/s from one sample to the next) are harsh accelerations and brakes by speed,
    // which the logged acceleration (0) contradicts: they are detected too, and not looked at here.
    const found = eventsOf('SPEED').filter((e) => e.kind === 'speeding');
    expect(found).toEqual([
      expect.objectContaining({ kind: 'speeding', severity: 'medium', ts_ms: over?.first, ts_end_ms: over?.last }),
    ]);
    expect(found[0]?.peak).toBeCloseTo(LIMIT_MPS * 1.25, 3);
    const detail = JSON.parse(String(found[0]?.detail)) as Record<string, number>;
    expect(detail).toMatchObject({
      duration_s: 4,
      samples: 41,
      sustained_s: 4,
      limit_kmh: 60,
      threshold: 0.1,
      tier_threshold: 0.2,
    });
    expect(detail.limit_mps).toBeCloseTo(LIMIT_MPS, 3);
    expect(detail.max_excess).toBeCloseTo(0.25, 3);
  });

  it('a mode change is one disengagement (initiator left to the event log); the way back an activation', () => {
    const { manual, auto, remote } = TRACKS.modes.at;
    expect(
      eventsOf('MODES').map((e) => [e.kind, e.ts_ms, e.initiator, e.ts_end, JSON.parse(String(e.detail))]),
    ).toEqual([
      ['disengagement', manual?.first, null, null, { from: 'autonomous', to: 'manual' }],
      ['ads_activated', auto?.first, null, null, { from: 'manual', to: 'autonomous' }],
      ['disengagement', remote?.first, null, null, { from: 'autonomous', to: 'remote' }],
    ]);
  });

  it('sees nothing in normal driving', () => {
    expect(eventsOf('CALM')).toEqual([]);
  });

  it('detects on acceleration the pipeline derives from speed, its first sample one-sided', async () => {
    const d = path.join(dir, 'derived');
    const f = writeFixture(dir, 'derived.csv', `${HEADER}\n${DERIVED.lines.join('\n')}\n`);
    const s = await ingestPaths([f], { dataDir: d, roads: RoadLimits.load({ kind: 'embedded' }) });
    expect(s.files[0]?.events_detected).toBe(1);
    const [nulls] = await query(
      `SELECT count(*) FILTER (WHERE accel_lon_mps2 IS NULL) AS n FROM ${lakeTable(d, 'telemetry')}`,
    );
    expect(nulls?.n).toBe('0');
    const found = await query(`SELECT kind, severity, epoch_ms(ts)::DOUBLE AS ts, peak FROM ${lakeTable(d, 'events')}`);
    expect(found).toHaveLength(1);
    // Fitted over 0.5 s, the 0.6 s plateau keeps its full depth for 0.2 s only (docs/derivations.md): its peak is
    // exact, but the medium tier is not held for 0.3 s, so the episode grades low.
    expect(found[0]).toMatchObject({ kind: 'harsh_brake', severity: 'low' });
    expect(found[0]?.peak).toBeCloseTo(-4.5, 6);
  });

  it('takes threshold overrides and a subset of kinds, and rejects thresholds out of order', async () => {
    const out = path.join(dir, 'override-events');
    const n = await detectDirect(path.join(data, 'lake', 'telemetry'), out, {
      thresholds: { sustainS: 0.2, harshBrake: { low: -3.4 } },
      kinds: ['harsh_brake'],
    });
    const found = await query(
      `SELECT vehicle_id, kind, severity FROM read_parquet('${out}/**/*.parquet') ORDER BY vehicle_id, ts`,
    );
    expect(found).toHaveLength(n);
    expect(new Set(found.map((e) => e.kind))).toEqual(new Set(['harsh_brake']));
    const brakes = (v: string) => found.filter((e) => e.vehicle_id === v).map((e) => e.severity);
    expect(brakes('SPIKE')).toEqual(['medium']); // 0.2 s now sustains
    expect(brakes('EDGE')).toEqual([]); // −3.2 is no longer harsh
    expect(brakes('GAP')).toEqual(['medium', 'medium']); // each side of the dropout on its own
    expect(brakes('DIP')).toEqual(['high']); // the 0.2 s dip to −6.5 now sustains the high tier
    await expect(
      detectDirect(path.join(data, 'lake', 'telemetry'), out, { thresholds: { harshBrake: { medium: -2 } } }),
    ).rejects.toThrow(/harshBrake/u);
    await expect(
      detectDirect(path.join(data, 'lake', 'telemetry'), out, { thresholds: { sustainS: Number.NaN } }),
    ).rejects.toThrow(/sustainS/u);
  });

  it('detects speeding without a road network only against a configured default limit', async () => {
    const d = path.join(dir, 'no-roads');
    await ingestPaths([writeFixture(dir, 'speeding.csv', `${HEADER}\n${TRACKS.speeding.lines.join('\n')}\n`)], {
      dataDir: d,
    });
    const [noLimit] = await query(`SELECT count(speed_limit_mps) AS n FROM ${lakeTable(d, 'telemetry')}`);
    expect(noLimit?.n).toBe('0');
    const stored = await query(`SELECT count(*) FILTER (WHERE kind = 'speeding') AS n FROM ${lakeTable(d, 'events')}`);
    expect(stored[0]?.n).toBe('0'); // no limit, no speeding
    const out = path.join(dir, 'default-limit-events');
    expect(
      await detectDirect(path.join(d, 'lake', 'telemetry'), out, {
        thresholds: { defaultSpeedLimitMps: LIMIT_MPS },
        kinds: ['speeding'],
      }),
    ).toBe(1);
    const [e] = await query(
      `SELECT kind, severity, epoch_ms(ts)::DOUBLE AS ts, detail FROM read_parquet('${out}/**/*.parquet')`,
    );
    expect(e).toMatchObject({ kind: 'speeding', severity: 'medium', ts: TRACKS.speeding.at.over?.first });
  });

  it('adds nothing when the source is ingested again', async () => {
    const filesBefore = fs
      .readdirSync(path.join(data, 'lake', 'events'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.parquet'));
    expect(filesBefore.length).toBeGreaterThan(0);
    expect(filesBefore.every((f) => path.basename(f).startsWith(`part-${first.files[0]?.source_id}-detected-`))).toBe(
      true,
    );
    const again = await ingestPaths([file], { dataDir: data, roads: RoadLimits.load({ kind: 'embedded' }) });
    expect(again.files[0]?.status).toBe('already_ingested');
    const after = await query(
      `SELECT count(*) AS n, count(DISTINCT event_id) AS ids FROM ${lakeTable(data, 'events')}`,
    );
    expect(after[0]).toEqual({ n: String(events.length), ids: String(events.length) });
  });
});
