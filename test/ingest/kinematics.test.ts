import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { lakeTable, query, tempDir, writeFixture } from '../helpers/lake.js';

let dir: string;
let cleanup: () => void;
beforeAll(() => ({ dir, cleanup } = tempDir()));
afterAll(() => cleanup());

const START_MS = Date.UTC(2026, 8, 1, 2);
const HZ = 20;
const SECONDS = 60;
/** True acceleration of the drive: smooth, within ±2 m/s² (a highway drive's range), m/s². */
const trueAccel = (t: number) => 2 * Math.sin((2 * Math.PI * t) / 15);
/** Its integral from 25 m/s. */
const trueSpeed = (t: number) => 25 + (2 * 15 * (1 - Math.cos((2 * Math.PI * t) / 15))) / (2 * Math.PI);

/**
 * A 20 Hz CAN speed with a single-sample glitch every 2 s (+0.57 m/s, the 15.07 → 15.64 → 15.07), quantised
 * to 0.01 m/s; `rounded` rounds the instants to whole milliseconds after ±2 ms of jitter.
 */
function drive(vehicle: string, rounded: boolean, accelColumn: ((t: number) => number) | null): string {
  const rows: string[] = [];
  for (let k = 0; k < SECONDS * HZ; k++) {
    const jitterMs = rounded ? 2 * Math.sin(k * 1.7) : 0;
    const tMs = k * (1000 / HZ) + jitterMs;
    const stamp = START_MS + (rounded ? Math.round(tMs) : tMs);
    const t = (stamp - START_MS) / 1000;
    const glitch = k % 40 === 20 ? 0.57 : 0;
    const v = Math.round((trueSpeed(t) + glitch) * 100) / 100;
    const lat = (22.5 + (25 * t) / 111_000).toFixed(7);
    const accel = accelColumn ? `,${accelColumn(t).toFixed(3)}` : '';
    rows.push(`${new Date(stamp).toISOString()},acme,${vehicle},${lat},114.0,${v},0${accel}`);
  }
  const header = `ts,company_id,vehicle_id,lat,lon,speed_mps,heading_deg${accelColumn ? ',accel_lon_mps2' : ''}`;
  return `${header}\n${rows.join('\n')}\n`;
}

async function ingestDrive(name: string, content: string) {
  const data = path.join(dir, name);
  const summary = await ingestPaths([writeFixture(dir, `${name}.csv`, content)], { dataDir: data });
  const rows = await query(
    `SELECT epoch_us(ts) AS us, accel_lon_mps2 AS a, jerk_mps3 AS j FROM ${lakeTable(data, 'telemetry')} ORDER BY ts`,
  );
  const events = await query(`SELECT kind FROM ${lakeTable(data, 'events')}`).catch(() => []);
  return { summary, rows, events };
}

function worstError(rows: Record<string, unknown>[]): number {
  let worst = 0;
  for (const r of rows) {
    const t = (Number(r.us) / 1000 - START_MS) / 1000;
    worst = Math.max(worst, Math.abs(Number(r.a) - trueAccel(t)));
  }
  return worst;
}

describe('acceleration and jerk from a glitchy 20 Hz speed', () => {
  it('rejects single-sample glitches: peaks within 0.5 m/s² of the truth and no harsh event', async () => {
    const { summary, rows, events } = await ingestDrive('glitchy', drive('G1', false, null));
    expect(rows).toHaveLength(SECONDS * HZ);
    expect(worstError(rows)).toBeLessThan(0.5);
    expect(Math.max(...rows.map((r) => Number(r.a)))).toBeGreaterThan(1.5);
    expect(events.map((e) => e.kind)).toEqual([]);
    expect(summary.files[0]?.kinematics?.speed_spikes).toBe(SECONDS / 2);
  });

  it('does the same with millisecond-rounded, jittered timestamps', async () => {
    const { rows, events } = await ingestDrive('rounded', drive('G2', true, null));
    expect(rows).toHaveLength(SECONDS * HZ);
    expect(worstError(rows)).toBeLessThan(0.5);
    expect(Math.min(...rows.map((r) => Number(r.j)))).toBeGreaterThan(-3);
    expect(events.map((e) => e.kind)).toEqual([]);
  });

  it('keeps a logged acceleration that agrees with speed, and replaces one that contradicts it', async () => {
    const agree = await ingestDrive(
      'agree',
      drive('G3', false, (t) => trueAccel(t) + 0.013),
    );
    expect(worstError(agree.rows)).toBeLessThan(0.02);
    expect(agree.summary.files[0]?.kinematics?.accel_contradicted).toBe(0);

    // A channel stuck at −5 m/s² while speed rises and falls gently: never trusted, and counted.
    const stuck = await ingestDrive(
      'stuck',
      drive('G4', false, () => -5),
    );
    expect(worstError(stuck.rows)).toBeLessThan(0.5);
    expect(stuck.summary.files[0]?.kinematics?.accel_contradicted).toBe(SECONDS * HZ);
    expect(stuck.events.map((e) => e.kind)).toEqual([]);
  });
});
