import path from 'node:path';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { tempDir, writeFixture } from '../helpers/lake.js';

/** Two companies, a short drive and two events each: enough for every route to have something to leak. */
export const OWN = 'acme';
export const OTHER = 'beta';

function track(company: string, vehicle: string, lat: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < 30; i++)
    rows.push(
      `2026-09-01T01:00:${String(i).padStart(2, '0')}Z,${company},${vehicle},${(lat + i * 0.00005).toFixed(5)},114.05,5,${i < 20 ? 'autonomous' : 'manual'}`,
    );
  return rows;
}

export async function accessLake(): Promise<{ dataDir: string; dir: string; cleanup: () => void }> {
  const { dir, cleanup } = tempDir('avlog-access-');
  const dataDir = path.join(dir, 'data');
  const header = 'ts,company_id,vehicle_id,lat,lon,speed_mps,mode';
  const files = [OWN, OTHER].flatMap((c, k) => [
    writeFixture(dir, `in/${c}.csv`, `${[header, ...track(c, `${c}-v1`, 22.54 + k * 0.01)].join('\n')}\n`),
    writeFixture(
      dir,
      `in/${c}.events.csv`,
      `ts,company_id,vehicle_id,kind,severity\n2026-09-01T01:00:05Z,${c},${c}-v1,harsh_brake,high\n2026-09-01T01:00:21Z,${c},${c}-v1,disengagement,low\n`,
    ),
  ]);
  const summary = await ingestPaths(files, { dataDir });
  if (summary.failed) throw new Error(`fixture failed: ${JSON.stringify(summary.files.map((f) => f.error))}`);
  return { dataDir, dir, cleanup };
}
