import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../services/api/app.js';
import { ingestPaths, type IngestSummary } from '../../../services/ingest/ingest.js';
import { generateFleet, seedOptions } from '../../../seeds/index.js';
import type { ManifestEvent, ManifestFile } from '../../../seeds/manifest.js';
import { lakeTable, query, tempDir } from '../../helpers/lake.js';

type ModeExposure = Record<
  'autonomous' | 'manual' | 'remote',
  { km: number; hours: number; km_logged: number; km_speed: number }
>;
interface Manifest {
  totals: { rows: number; logged_events: number; disengagements: { total: number; logged: number } };
  exposure: { by_vehicle: Record<string, ModeExposure> };
  files: ManifestFile[];
  events: ManifestEvent[];
}

let dir: string;
let cleanup: () => void;
let manifest: Manifest;
let summary: IngestSummary;
let dataDir: string;
let app: FastifyInstance;

/** A demo fleet recorded only as MCAP (zstd and lz4 chunks) and ROS1 bags (lz4), with incidents ×4. */
beforeAll(async () => {
  ({ dir, cleanup } = tempDir('avlog-seeded-recordings-'));
  const out = path.join(dir, 'logs');
  const seeded = await generateFleet(
    seedOptions({
      out,
      seed: 3,
      companies: 2,
      vehicles: 3,
      days: 2,
      drivesPerDay: 2,
      eventScale: 4,
      formats: ['mcap', 'bag'],
    }),
  );
  manifest = JSON.parse(fs.readFileSync(seeded.manifestPath, 'utf8')) as Manifest;
  dataDir = path.join(dir, 'data');
  summary = await ingestPaths([out], { dataDir });
  app = await buildApp({ dataDir });
});
afterAll(async () => {
  await app?.close();
  cleanup?.();
});

async function get<T>(url: string): Promise<T> {
  const r = await app.inject({ url });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<T>();
}

describe('the demo fleet as MCAP and ROS1 bag recordings, ingested', () => {
  it('ingests every recording: samples and event messages, nothing quarantined', () => {
    expect(new Set(manifest.files.map((f) => f.format))).toEqual(new Set(['mcap', 'bag']));
    expect(summary.failed).toBe(0);
    expect(summary.files.map((f) => f.format).sort()).toEqual(
      manifest.files.map((f) => (f.format === 'bag' ? 'rosbag' : 'mcap')).sort(),
    );
    expect(summary.rows_quarantined).toBe(0);
    // Each recording's rows in: its samples and the messages on its event channel.
    expect(summary.rows_in).toBe(manifest.totals.rows + manifest.totals.logged_events);
    for (const f of manifest.files) {
      const s = summary.files.find((x) => x.path.endsWith(path.basename(f.path)));
      expect(s?.rows_stored, f.path).toBe(f.rows + f.event_lines);
    }
  });

  it('stores per vehicle as many telemetry rows as the manifest says', async () => {
    const rows = await query(
      `SELECT vehicle_id, count(*)::INTEGER AS n FROM ${lakeTable(dataDir, 'telemetry')} GROUP BY 1 ORDER BY 1`,
    );
    const expected: Record<string, number> = {};
    for (const f of manifest.files) expected[f.vehicle_id] = (expected[f.vehicle_id] ?? 0) + f.rows;
    expect(Object.fromEntries(rows.map((r) => [r.vehicle_id, r.n]))).toEqual(expected);
  });

  it('gives the manifest exposure per vehicle and mode (hours; km from the logged speed)', async () => {
    const body = await get<{
      rows: { group: { vehicle: string }; km: Record<string, number>; hours: Record<string, number> }[];
    }>('/api/metrics/exposure?group_by=vehicle');
    expect(body.rows.map((r) => r.group.vehicle).sort()).toEqual(Object.keys(manifest.exposure.by_vehicle).sort());
    for (const row of body.rows) {
      const m = manifest.exposure.by_vehicle[row.group.vehicle];
      for (const mode of ['autonomous', 'manual', 'remote'] as const) {
        // km is the trapezoid of logged speed: the recordings' speeds against the manifest's full-precision ones.
        expect(
          Math.abs((row.km[mode] ?? NaN) - (m?.[mode].km_speed ?? NaN)),
          `${row.group.vehicle} ${mode}`,
        ).toBeLessThanOrEqual(5e-3 + 1e-3 * (row.km[mode] ?? 0));
        expect(row.hours[mode]).toBeCloseTo(m?.[mode].hours ?? NaN, 4); // the manifest rounds hours to 5 decimals
      }
    }
  });

  it('stores each event the vehicles logged on their event channels, as the manifest has it', async () => {
    const stored = await query(
      `SELECT vehicle_id, kind, strftime(ts, '%Y-%m-%dT%H:%M:%S.%g') || 'Z' AS ts, initiator, cause, severity FROM ${lakeTable(dataDir, 'events')} WHERE origin = 'logged'`,
    );
    const key = (e: {
      vehicle_id: unknown;
      kind: unknown;
      ts: unknown;
      initiator?: unknown;
      cause?: unknown;
      severity?: unknown;
    }) =>
      [e.vehicle_id, e.kind, e.ts, e.initiator ?? null, e.cause ?? null, e.severity ?? null]
        .map((x) => String(x))
        .join('|');
    const logged = manifest.events.filter((e) => e.logged);
    expect(logged.length).toBeGreaterThan(20);
    expect(
      stored
        .map((e) =>
          key({
            vehicle_id: e.vehicle_id,
            kind: e.kind,
            ts: e.ts,
            initiator: e.initiator,
            cause: e.cause,
            severity: e.severity,
          }),
        )
        .sort(),
    ).toEqual(logged.map(key).sort());
  });

  it('counts disengagements as the manifest: logged ones reconciled with the mode changes detected in the telemetry', async () => {
    const detected = await query(
      `SELECT count(*)::INTEGER AS n FROM ${lakeTable(dataDir, 'events')} WHERE origin = 'detected' AND kind = 'disengagement'`,
    );
    expect(detected[0]?.n).toBeGreaterThan(0);
    const body = await get<{ rows: { count: number }[] }>('/api/metrics/disengagements');
    expect(manifest.totals.disengagements.logged).toBeGreaterThan(0);
    expect(manifest.totals.disengagements.logged).toBeLessThan(manifest.totals.disengagements.total);
    expect(body.rows[0]?.count).toBe(manifest.totals.disengagements.total);
  });
});
