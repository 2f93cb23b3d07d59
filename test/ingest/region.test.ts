import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRegion } from '../../services/ingest/geo/region.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

/** Three samples of a Shenzhen vehicle (Futian) and two of one recorded in Mountain View, California. */
const CSV = `ts,company_id,vehicle_id,lat,lon
2026-09-01T02:00:00Z,acme,SZ1,22.5431,114.0579
2026-09-01T02:00:01Z,acme,SZ1,22.5432,114.0579
2026-09-01T02:00:02Z,acme,SZ1,22.5433,114.0579
2026-09-01T02:00:00Z,acme,CA1,37.3861,-122.0839
2026-09-01T02:00:01Z,acme,CA1,37.3862,-122.0839
`;

describe('operating region', () => {
  it('stores samples outside the region and counts them in the summary', async () => {
    const file = writeFixture(dir, 'two-places.csv', CSV);
    const shenzhen = await ingestPaths([file], { dataDir: path.join(dir, 'sz') });
    expect(shenzhen.files[0]).toMatchObject({ rows_stored: 5, rows_quarantined: 0, outside_region: 2 });
    const bayArea = await ingestPaths([file], {
      dataDir: path.join(dir, 'ca'),
      region: parseRegion('-122.6,37.2,-121.7,37.9'),
    });
    expect(bayArea.files[0]).toMatchObject({ rows_stored: 5, outside_region: 3 });
  });

  it('refuses a region that is not a box', () => {
    expect(() => parseRegion('114,22,113,23')).toThrow(/--region must be minLon,minLat,maxLon,maxLat/u);
    expect(() => parseRegion('114,22,115')).toThrow(/got "114,22,115"/u);
  });
});
