import fs from 'node:fs';
import path from 'node:path';
import { generateFleet, seedOptions, type SeedOptions } from '../../seeds/index.js';
import { RoadLimits } from '../../services/reference/roads/road-limits.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import type { Manifest } from '../api/fleet-fixture.js';
import { tempDir } from '../helpers/lake.js';

export interface ReportLake {
  dataDir: string;
  manifest: Manifest;
  /** The generator's fleet.json, also copied to `<data>/fleet.json` where reports find it by default. */
  fleetFile: string;
  cleanup: () => void;
}

/**
 * Two companies, four vehicles (one driverless), the last ten days of August and all of September 2026 at 5 Hz:
 * a report month with a previous month, generated and ingested into a fresh lake. `over` changes the generator's
 * options (a longer span for quarters).
 */
export async function reportLake(over: Partial<SeedOptions> = {}): Promise<ReportLake> {
  const { dir, cleanup } = tempDir('avlog-report-');
  const out = path.join(dir, 'logs');
  const options = seedOptions({
    out,
    seed: 11,
    companies: 2,
    vehicles: 4,
    days: 40,
    start: '2026-08-22',
    drivesPerDay: 0.3,
    hz: 5,
    eventScale: 2,
    ...over,
  });
  const result = await generateFleet(options);
  const manifest = JSON.parse(fs.readFileSync(result.manifestPath, 'utf8')) as Manifest;
  const dataDir = path.join(dir, 'data');
  const summary = await ingestPaths([out], { dataDir, roads: RoadLimits.load({ kind: 'embedded' }) });
  if (summary.failed > 0)
    throw new Error(
      `fixture ingest failed: ${summary.files
        .filter((f) => f.status === 'failed')
        .map((f) => `${f.file}: ${f.error}`)
        .join('; ')}`,
    );
  const fleetFile = path.join(dataDir, 'fleet.json');
  fs.copyFileSync(path.join(out, 'fleet.json'), fleetFile);
  return { dataDir, manifest, fleetFile, cleanup };
}
