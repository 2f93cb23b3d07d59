import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulateDrive, type SimulatedDrive } from '../../seeds/drive.js';
import { THRESHOLDS } from '../../seeds/index.js';
import { embeddedRoads } from '../../services/reference/roads/embedded.js';
import type { RoadGraph } from '../../services/reference/roads/graph.js';
import { graphmlRoads } from '../../services/reference/roads/graphml.js';
import { Rng } from '../../seeds/prng.js';
import { RoutePlanner } from '../../seeds/routes.js';
import { haversineM, SHARED_DATA } from './helpers.js';

function drives(
  graph: RoadGraph,
  n: number,
  seed: number,
  options: { hz?: number; driverless?: boolean; eventScale?: number } = {},
): SimulatedDrive[] {
  const planner = new RoutePlanner(graph, []);
  const out: SimulatedDrive[] = [];
  for (let i = 0; i < n; i++) {
    const rng = new Rng(seed).fork(i);
    const route = planner.plan(rng.fork('route'), planner.randomNode(rng), rng.range(600, 2400));
    out.push(
      simulateDrive({
        graph,
        legs: route.legs,
        expectedSeconds: route.expectedSeconds,
        hz: options.hz ?? 10,
        gpsNoise: 2,
        driverless: options.driverless ?? i % 3 === 0,
        eventScale: options.eventScale ?? 0,
        rng: rng.fork('sim'),
      }),
    );
  }
  return out;
}

describe('kinematics of clean driving (no injected incidents)', () => {
  let clean: SimulatedDrive[];
  beforeAll(async () => {
    clean = [
      ...drives(embeddedRoads(), 10, 1),
      ...drives(await graphmlRoads(path.join(SHARED_DATA, 'shenzhen/futian-drive.graphml')), 6, 2),
    ];
  });

  it('never reaches a harsh-braking, harsh-acceleration or harsh-lateral threshold', () => {
    let minA = Infinity;
    let maxA = -Infinity;
    let maxLat = 0;
    let maxNoise = 0;
    for (const { trace } of clean) {
      for (let k = 0; k < trace.n; k++) {
        const a = trace.a[k] ?? 0;
        minA = Math.min(minA, a);
        maxA = Math.max(maxA, a);
        maxLat = Math.max(maxLat, Math.abs(trace.aLat[k] ?? 0));
        maxNoise = Math.max(maxNoise, Math.abs((trace.aLog[k] ?? 0) - a));
      }
    }
    expect(minA).toBeGreaterThan(THRESHOLDS.harshBrakeTiers.low + 0.3);
    expect(minA).toBeLessThan(-1.5);
    expect(maxA).toBeLessThan(THRESHOLDS.harshAccel - 0.3);
    expect(maxA).toBeGreaterThan(1);
    expect(maxLat).toBeLessThan(THRESHOLDS.harshLateral - 0.5);
    expect(maxNoise).toBeGreaterThan(0);
    expect(maxNoise).toBeLessThanOrEqual(0.05 + 1e-12);
  });

  it('gives lateral acceleration positive to the right, as the schema: the sign of v·dψ/dt (heading clockwise)', () => {
    let agree = 0;
    let turning = 0;
    for (const { trace } of clean) {
      for (let k = 1; k < trace.n - 1; k++) {
        const aLat = trace.aLat[k] ?? 0;
        if (Math.abs(aLat) < 0.5) continue;
        let dpsi = (trace.heading[k + 1] ?? 0) - (trace.heading[k - 1] ?? 0);
        if (dpsi > 180) dpsi -= 360;
        if (dpsi < -180) dpsi += 360;
        turning++;
        if (Math.sign(dpsi) === Math.sign(aLat)) agree++;
      }
    }
    expect(turning).toBeGreaterThan(1000);
    expect(agree / turning).toBeGreaterThan(0.99);
  });

  it('keeps to the speed limit of the road it is on', () => {
    let worst = 0;
    for (const { trace } of clean)
      for (let k = 0; k < trace.n; k++) worst = Math.max(worst, (trace.v[k] ?? 0) / (trace.limit[k] ?? 1));
    expect(worst).toBeGreaterThan(0.85);
    expect(worst).toBeLessThanOrEqual(1.0);
  });

  it('integrates speed: acceleration is exactly dv/dt and the track length is the distance driven', () => {
    for (const { trace } of clean) {
      let track = 0;
      let driven = 0;
      let worst = 0;
      for (let k = 1; k < trace.n; k++) {
        worst = Math.max(worst, Math.abs(((trace.v[k] ?? 0) - (trace.v[k - 1] ?? 0)) * 10 - (trace.a[k] ?? 0)));
        track += haversineM(trace.lat[k - 1] ?? 0, trace.lon[k - 1] ?? 0, trace.lat[k] ?? 0, trace.lon[k] ?? 0);
        driven += (((trace.v[k - 1] ?? 0) + (trace.v[k] ?? 0)) / 2) * 0.1;
      }
      expect(worst).toBeLessThan(1e-9);
      expect(driven).toBeGreaterThan(1000);
      expect(Math.abs(track - driven) / driven).toBeLessThan(0.005);
    }
  });

  it('stops at junctions, dwells at the ends, and takes turns slower than straights', () => {
    let turnSpeed = 0;
    let turnN = 0;
    let straightSpeed = 0;
    let straightN = 0;
    for (const { trace } of clean) {
      const first = Array.from(trace.v.subarray(0, 100));
      const last = Array.from(trace.v.subarray(trace.n - 140, trace.n));
      expect(Math.max(...first)).toBe(0);
      expect(Math.max(...last)).toBe(0);
      let stops = 0;
      for (let k = 200; k < trace.n - 200; k++) if (trace.v[k] === 0 && (trace.v[k - 1] ?? 0) > 0) stops++;
      expect(stops).toBeGreaterThan(0);
      for (let k = 0; k < trace.n; k++) {
        const v = trace.v[k] ?? 0;
        if (v < 1) continue;
        const kappa = Math.abs(trace.aLat[k] ?? 0) / (v * v);
        if (kappa > 1 / 40) {
          turnSpeed += v;
          turnN++;
        } else if (kappa === 0) {
          straightSpeed += v;
          straightN++;
        }
      }
    }
    expect(turnN).toBeGreaterThan(100);
    expect(turnSpeed / turnN).toBeLessThan(0.5 * (straightSpeed / straightN));
  });

  it('drives mostly autonomously, with a manual start for vehicles with a safety driver', () => {
    let auto = 0;
    let all = 0;
    for (const [i, { trace }] of clean.entries()) {
      for (let k = 0; k < trace.n; k++) auto += trace.mode[k] === 0 ? 1 : 0;
      all += trace.n;
      if (i % 3 !== 0 && i < 10) expect(trace.mode[0]).toBe(1);
    }
    expect(auto / all).toBeGreaterThan(0.8);
  });

  it('heads along the direction of travel', () => {
    for (const { trace } of clean.slice(0, 4)) {
      for (let k = 1; k < trace.n; k += 7) {
        const d = haversineM(trace.lat[k - 1] ?? 0, trace.lon[k - 1] ?? 0, trace.lat[k] ?? 0, trace.lon[k] ?? 0);
        if (d < 0.5) continue;
        const dy = (trace.lat[k] ?? 0) - (trace.lat[k - 1] ?? 0);
        const dx = ((trace.lon[k] ?? 0) - (trace.lon[k - 1] ?? 0)) * Math.cos(((trace.lat[k] ?? 0) * Math.PI) / 180);
        const bearing = ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360;
        const diff = Math.abs((((trace.heading[k] ?? 0) - bearing + 540) % 360) - 180);
        expect(diff).toBeLessThan(5);
      }
    }
  });

  it('samples at the requested rate', () => {
    const [slow] = drives(embeddedRoads(), 1, 5, { hz: 1 });
    const [fast] = drives(embeddedRoads(), 1, 5, { hz: 20 });
    const sec = (d: SimulatedDrive | undefined, hz: number) => (d?.trace.n ?? 0) / hz;
    expect(Math.abs(sec(slow, 1) - sec(fast, 20)) / sec(fast, 20)).toBeLessThan(0.2);
  });
});

describe('GPS noise and dropouts', () => {
  it('offsets logged positions by about the requested σ, smoothly, and drops a few samples', () => {
    const ds = drives(embeddedRoads(), 4, 3);
    let sq = 0;
    let n = 0;
    let step = 0;
    let dropped = 0;
    for (const { trace, dropped: d } of ds) {
      dropped += d;
      for (let k = 1; k < trace.n; k++) {
        const e = haversineM(trace.lat[k] ?? 0, trace.lon[k] ?? 0, trace.gpsLat[k] ?? 0, trace.gpsLon[k] ?? 0);
        sq += e * e;
        n++;
        const prev = haversineM(
          trace.lat[k - 1] ?? 0,
          trace.lon[k - 1] ?? 0,
          trace.gpsLat[k - 1] ?? 0,
          trace.gpsLon[k - 1] ?? 0,
        );
        step = Math.max(step, Math.abs(e - prev));
      }
    }
    const rms = Math.sqrt(sq / n);
    expect(rms).toBeGreaterThan(1.5);
    expect(rms).toBeLessThan(4.5);
    expect(step).toBeLessThan(0.3);
    expect(dropped).toBeGreaterThan(0);
  });
});
