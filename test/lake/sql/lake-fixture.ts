import path from 'node:path';
import { ingestPaths } from '../../../services/ingest/ingest.js';
import { writeFixture } from '../../helpers/lake.js';

const HEADER = 'ts,company_id,vehicle_id,lat,lon,speed_mps,heading_deg,mode,ads_version';

/** Two companies in one file (a mixed source), with one line that will be quarantined. */
export const FLEET_CSV = [
  HEADER,
  '2026-09-01T00:00:00.000Z,acme,V1,22.5400000,114.0500000,10.0,0,autonomous,v1.2',
  '2026-09-01T00:00:00.100Z,acme,V1,22.5400090,114.0500000,10.5,0,autonomous,v1.2',
  '2026-09-01T00:00:00.200Z,acme,V1,22.5400180,114.0500000,11.0,0,manual,v1.2',
  '2026-09-01T00:00:00.000Z,beta,B1,22.6000000,114.1000000,5.0,90,manual,b7',
  '2026-09-01T00:00:00.100Z,beta,B1,22.6000000,114.1000050,5.0,90,manual,b7',
  '2026-09-01T00:00:00.300Z,beta,B1,not-a-number,114.1000100,5.0,90,manual,b7',
].join('\n');

/** acme only, with one line that will be quarantined: acme's own rejected row. */
export const ACME_CSV = [
  HEADER,
  '2026-09-02T01:00:00.000Z,acme,V2,22.5500000,114.0600000,8.0,180,autonomous,v1.3',
  '2026-09-02T01:00:00.100Z,acme,V2,22.5499930,114.0600000,8.0,180,autonomous,v1.3',
  '2026-09-02T01:00:00.200Z,acme,V2,,114.0600000,8.0,180,autonomous,v1.3',
].join('\n');

export const EVENTS_CSV = [
  'ts,company_id,vehicle_id,kind,initiator,cause,severity,lat,lon',
  '2026-09-01T00:05:00Z,acme,V1,disengagement,driver,planner hesitation,,22.54,114.05',
  '2026-09-01T00:06:00Z,beta,B1,collision,,rear-ended at light,minor,22.541,114.051',
].join('\n');

export const EXPECTED = {
  telemetry: { acme: 5, beta: 2 },
  events: { acme: 1, beta: 1 },
  sources: 3,
  quarantine: 2,
} as const;

/** Ingests the fixtures into `<dir>/data` and returns the data directory. */
export async function buildLake(dir: string): Promise<string> {
  const data = path.join(dir, 'data');
  const files = [
    writeFixture(dir, 'in/fleet.csv', `${FLEET_CSV}\n`),
    writeFixture(dir, 'in/acme.csv', `${ACME_CSV}\n`),
    writeFixture(dir, 'in/drive.events.csv', `${EVENTS_CSV}\n`),
  ];
  const summary = await ingestPaths(files, { dataDir: data });
  const failed = summary.files.filter((f) => f.status !== 'ingested');
  if (failed.length > 0) throw new Error(`fixture ingest failed: ${JSON.stringify(failed)}`);
  return data;
}
