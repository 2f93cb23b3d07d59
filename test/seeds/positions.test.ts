import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet, LOG_FORMATS, seedOptions } from '../../seeds/index.js';
import { embeddedRoads } from '../../services/reference/roads/embedded.js';
import { graphmlRoads } from '../../services/reference/roads/graphml.js';
import { RoadIndex } from '../../services/reference/roads/spatial.js';
import { loadOdTrips } from '../../services/reference/roads/od.js';
import {
  districtOf,
  loadDistricts,
  readManifest,
  readTelemetry,
  removeDir,
  SHARED_DATA,
  tempDir,
  type Manifest,
  type Row,
} from './helpers.js';

const GPS_NOISE = 2;
/** Gaussian noise stays within 6σ (1 in 10⁸), corners cut the drawn polyline by ≤ 5 m. */
const TOLERANCE_M = 6 * GPS_NOISE + 6;
const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function fleet(extra: Parameters<typeof seedOptions>[0]): Promise<{ out: string; m: Manifest; rows: Row[] }> {
  const out = tempDir('pos');
  dirs.push(out);
  await generateFleet(
    seedOptions({ out, companies: 3, vehicles: 6, days: 2, drivesPerDay: 2, gpsNoise: GPS_NOISE, ...extra }),
  );
  const m = readManifest(out);
  return { out, m, rows: m.files.flatMap((f) => readTelemetry(out, f)) };
}

describe('positions', () => {
  let embedded: { out: string; m: Manifest; rows: Row[] };
  /** Recordings only: the default mix draws few. */
  let recorded: { out: string; m: Manifest; rows: Row[] };
  beforeAll(async () => {
    embedded = await fleet({});
    recorded = await fleet({ companies: 2, vehicles: 3, days: 1, formats: ['mcap', 'bag'] });
  });

  it('lie on the embedded road network within GPS noise, in every format (GCJ-02 converted back)', () => {
    const index = new RoadIndex(embeddedRoads());
    const formats = new Set([...embedded.m.files, ...recorded.m.files].map((f) => f.format));
    expect(formats).toEqual(new Set(LOG_FORMATS));
    expect(embedded.rows.length).toBeGreaterThan(20000);
    expect(recorded.rows.length).toBeGreaterThan(5000);
    let worst = 0;
    for (const r of [...embedded.rows, ...recorded.rows]) worst = Math.max(worst, index.distanceM(r.lat, r.lon, 200));
    expect(worst).toBeLessThan(TOLERANCE_M);
  });

  it('lie inside Shenzhen, in Futian, Nanshan or Luohu', () => {
    const districts = loadDistricts();
    const seen = new Set<string>();
    embedded.rows.forEach((r, i) => {
      if (i % 10 !== 0) return;
      const d = districtOf(districts, r.lat, r.lon);
      expect(d, `${r.lat},${r.lon}`).not.toBeNull();
      seen.add(d ?? '');
    });
    for (const d of seen) expect(['福田', '南山', '罗湖']).toContain(d);
  });

  it('follow the GraphML network when one is given, inside its bounding box', async () => {
    const file = path.join(SHARED_DATA, 'shenzhen/futian-drive.graphml');
    const { m, rows } = await fleet({ roads: file, vehicles: 3, days: 1, formats: ['csv'] });
    const g = await graphmlRoads(file);
    const index = new RoadIndex(g);
    const slack = 30 / 111_000;
    expect(rows.length).toBeGreaterThan(5000);
    let worst = 0;
    for (const r of rows) {
      expect(r.lat).toBeGreaterThan(g.bbox.minLat - slack);
      expect(r.lat).toBeLessThan(g.bbox.maxLat + slack);
      expect(r.lon).toBeGreaterThan(g.bbox.minLon - slack);
      expect(r.lon).toBeLessThan(g.bbox.maxLon + slack);
      worst = Math.max(worst, index.distanceM(r.lat, r.lon, 200));
    }
    expect(worst).toBeLessThan(TOLERANCE_M);
    expect(m.options.roads).toBe('futian-drive.graphml');
  });

  it('draws trips from real taxi origin–destination pairs when given', async () => {
    const trips = path.join(SHARED_DATA, 'shenzhen/taxi-od-trips.csv');
    const g = embeddedRoads();
    const od = await loadOdTrips(trips, g);
    expect(od.length).toBeGreaterThan(100);
    for (const t of od) {
      expect(g.routable).toContain(t.from);
      expect(g.routable).toContain(t.to);
    }
    const a = await fleet({ trips, vehicles: 3, days: 1, formats: ['csv'] });
    const b = await fleet({ vehicles: 3, days: 1, formats: ['csv'] });
    expect(a.m.options.trips).toBe('taxi-od-trips.csv');
    expect(a.rows.length).toBeGreaterThan(5000);
    expect(a.rows.map((r) => r.lat)).not.toEqual(b.rows.map((r) => r.lat));
  });
});
