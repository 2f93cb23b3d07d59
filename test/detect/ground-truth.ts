import fs from 'node:fs';
import path from 'node:path';
import type { ManifestEvent } from '../../seeds/manifest.js';
import { generateFleet, seedOptions, type SeedOptions } from '../../seeds/index.js';
import { RoadLimits } from '../../services/reference/roads/road-limits.js';
import { ingestPaths, type IngestSummary } from '../../services/ingest/ingest.js';
import { lakeTable, query, tempDir } from '../helpers/lake.js';

/** Kinds the generator puts only in telemetry (`logged: false`), which detection must find. */
export const TELEMETRY_KINDS = ['harsh_brake', 'harsh_accel', 'harsh_lateral', 'speeding'] as const;
/** A detected event matches a true one of the same kind and vehicle starting at most this far apart, ms. */
export const MATCH_MS = 2000;

export interface Detected {
  kind: string;
  vehicle_id: string;
  company_id: string;
  ts: number;
  ts_end: number | null;
  severity: string | null;
  peak: number | null;
  detail: string | null;
}

export interface SeededFleet {
  manifest: { events: ManifestEvent[] };
  detected: Detected[];
  summary: IngestSummary;
  cleanup: () => void;
}

/** Generates a demo fleet, ingests it with the embedded road network, and reads back the detected events. */
export async function seededFleet(options: Partial<SeedOptions>): Promise<SeededFleet> {
  const { dir, cleanup } = tempDir('avlog-detect-');
  try {
    const out = path.join(dir, 'logs');
    const result = await generateFleet(seedOptions({ ...options, out }));
    const manifest = JSON.parse(fs.readFileSync(result.manifestPath, 'utf8')) as { events: ManifestEvent[] };
    const dataDir = path.join(dir, 'data');
    const summary = await ingestPaths([out], { dataDir, roads: RoadLimits.load({ kind: 'embedded' }) });
    const rows =
      await query(`SELECT kind, vehicle_id, company_id, epoch_ms(ts) AS ts, epoch_ms(ts_end) AS ts_end, severity, peak, detail
      FROM ${lakeTable(dataDir, 'events')} WHERE origin = 'detected'`);
    const detected = rows.map(
      (r) => ({ ...r, ts: Number(r.ts), ts_end: r.ts_end === null ? null : Number(r.ts_end) }) as Detected,
    );
    return { manifest, detected, summary, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

export interface Match {
  truth: ManifestEvent;
  found: Detected;
}

export interface Score {
  truths: number;
  detections: number;
  matches: Match[];
  missed: ManifestEvent[];
  spurious: Detected[];
  precision: number;
  recall: number;
}

/**
 * One-to-one matching of true events to detections of the same kind and vehicle, nearest start first, within
 * MATCH_MS.
 */
export function score(truths: readonly ManifestEvent[], detections: readonly Detected[]): Score {
  const pairs: { i: number; j: number; d: number }[] = [];
  truths.forEach((t, i) => {
    const ms = Date.parse(t.ts);
    detections.forEach((e, j) => {
      const d = Math.abs(e.ts - ms);
      if (e.kind === t.kind && e.vehicle_id === t.vehicle_id && e.company_id === t.company_id && d <= MATCH_MS)
        pairs.push({ i, j, d });
    });
  });
  pairs.sort((a, b) => a.d - b.d);
  const usedT = new Set<number>();
  const usedD = new Set<number>();
  const matches: Match[] = [];
  for (const p of pairs) {
    if (usedT.has(p.i) || usedD.has(p.j)) continue;
    usedT.add(p.i);
    usedD.add(p.j);
    matches.push({ truth: truths[p.i] as ManifestEvent, found: detections[p.j] as Detected });
  }
  return {
    truths: truths.length,
    detections: detections.length,
    matches,
    missed: truths.filter((_, i) => !usedT.has(i)),
    spurious: detections.filter((_, j) => !usedD.has(j)),
    precision: detections.length === 0 ? 1 : matches.length / detections.length,
    recall: truths.length === 0 ? 1 : matches.length / truths.length,
  };
}

/** A line per kind: counts, precision, recall. */
export function report(label: string, byKind: Record<string, Score>): string {
  const lines = Object.entries(byKind).map(
    ([k, s]) =>
      `  ${k.padEnd(14)} truth ${String(s.truths).padStart(4)}  detected ${String(s.detections).padStart(4)}  matched ${String(s.matches.length).padStart(4)}  precision ${s.precision.toFixed(3)}  recall ${s.recall.toFixed(3)}`,
  );
  return [label, ...lines].join('\n');
}
