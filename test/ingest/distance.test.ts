import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { Rng } from '../../seeds/prng.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const START_MS = Date.UTC(2026, 8, 1, 2);
const M_PER_DEG_LAT = 111_195;

/**
 * A 10 Hz drive north at `speed` m/s for `seconds`, positions with Gaussian GNSS noise of σ `noiseM` metres per
 * axis; `withSpeed` false leaves the speed column out.
 */
function drive(vehicle: string, speed: number, seconds: number, noiseM: number, withSpeed: boolean): string {
  const rng = new Rng(7);
  const rows: string[] = [];
  for (let k = 0; k < seconds * 10; k++) {
    const north = speed * (k / 10) + noiseM * rng.normal();
    const east = noiseM * rng.normal();
    const lat = 22.5 + north / M_PER_DEG_LAT;
    const lon = 114.0 + east / (M_PER_DEG_LAT * Math.cos((22.5 * Math.PI) / 180));
    const v = withSpeed ? `,${(speed > 0 ? speed + 0.02 * rng.normal() : 0).toFixed(2)}` : '';
    rows.push(`${new Date(START_MS + k * 100).toISOString()},acme,${vehicle},${lat.toFixed(7)},${lon.toFixed(7)}${v}`);
  }
  return `ts,company_id,vehicle_id,lat,lon${withSpeed ? ',speed_mps' : ''}\n${rows.join('\n')}\n`;
}

async function sums(name: string, content: string) {
  const data = path.join(dir, name);
  await ingestPaths([writeFixture(dir, `${name}.csv`, content)], { dataDir: data });
  const [row] = await query(
    `SELECT sum(seg_m) AS m, sum(seg_pos_m) AS pos_m, count(*) AS n FROM ${lakeTable(data, 'telemetry')}`,
  );
  return { m: Number(row?.m), posM: Number(row?.pos_m), n: Number(row?.n) };
}

describe('distance from the speed integral', () => {
  it('a stationary vehicle with 10 m GNSS noise drives 0 m; the positions alone say kilometres', async () => {
    const s = await sums('stationary', drive('S1', 0, 120, 10, true));
    expect(s.n).toBe(1200);
    expect(s.m).toBe(0);
    expect(s.posM).toBeGreaterThan(1000);
  });

  it('with 10 m GNSS noise the km are within 1 % of the distance driven; the haversine sum is far off', async () => {
    const truth = 15 * 119.9;
    const s = await sums('noisy', drive('N1', 15, 120, 10, true));
    expect(Math.abs(s.m / truth - 1)).toBeLessThan(0.01);
    expect(s.posM / truth - 1).toBeGreaterThan(0.1);
  });

  it('falls back to the positions when the log has no speed', async () => {
    const s = await sums('nospeed', drive('P1', 15, 20, 0, false));
    expect(s.m).toBeCloseTo(s.posM, 6);
    expect(Math.abs(s.m / (15 * 19.9) - 1)).toBeLessThan(0.001);
  });
});
