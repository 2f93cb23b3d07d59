import fs from 'node:fs';
import path from 'node:path';
import type { ManifestEvent } from '../../seeds/manifest.js';
import { generateFleet, seedOptions } from '../../seeds/index.js';
import { RoadLimits } from '../../services/reference/roads/road-limits.js';
import { ingestPaths, type IngestSummary } from '../../services/ingest/ingest.js';
import { tempDir } from '../helpers/lake.js';

interface ModeExposure {
  autonomous: { km: number; hours: number; km_logged: number; km_speed: number };
  manual: { km: number; hours: number; km_logged: number; km_speed: number };
  remote: { km: number; hours: number; km_logged: number; km_speed: number };
}

/** The parts of the generator's manifest.json the API tests check against. */
export interface Manifest {
  totals: {
    by_kind: Record<string, { total: number; logged: number; by_severity: Record<string, number> }>;
    disengagements: {
      total: number;
      logged: number;
      by_initiator: Record<string, number>;
      by_company: Record<string, number>;
      by_month: Record<string, number>;
    };
  };
  exposure: {
    fleet: ModeExposure;
    by_vehicle: Record<string, ModeExposure>;
    by_company_month: Record<string, Record<string, ModeExposure>>;
  };
  events: ManifestEvent[];
}

export interface SeededLake {
  dataDir: string;
  manifest: Manifest;
  summary: IngestSummary;
  cleanup: () => void;
}

/** A small demo fleet (2 companies, 4 vehicles, 8 days), generated and ingested into a fresh lake. */
export async function seededLake(overrides: { gpsNoise?: number; seed?: number } = {}): Promise<SeededLake> {
  const { dir, cleanup } = tempDir('avlog-api-');
  const out = path.join(dir, 'logs');
  const options = seedOptions({
    out,
    seed: overrides.seed ?? 7,
    companies: 2,
    vehicles: 4,
    days: 8,
    drivesPerDay: 0.6,
    ...(overrides.gpsNoise !== undefined ? { gpsNoise: overrides.gpsNoise } : {}),
  });
  const result = await generateFleet(options);
  const manifest = JSON.parse(fs.readFileSync(result.manifestPath, 'utf8')) as Manifest;
  const dataDir = path.join(dir, 'data');
  const summary = await ingestPaths([out], { dataDir, roads: RoadLimits.load({ kind: 'embedded' }) });
  return { dataDir, manifest, summary, cleanup };
}
