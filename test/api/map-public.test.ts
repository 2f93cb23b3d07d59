import { tableFromIPC } from 'apache-arrow';
import Fastify, { type FastifyInstance, type RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlogApp, buildApp } from '../../services/api/app.js';
import { PUBLIC_VIEW } from '../../services/api/map/public-view.js';
import {
  INCIDENT_META_KEY,
  ROUTE_META_KEY,
  type IncidentMeta,
  type RouteMeta,
  type RoutesJson,
} from '../../services/api/map/wire-format.js';
import { lakeTable, query } from '../helpers/lake.js';
import { seededLake, type SeededLake } from './fleet-fixture.js';
import { ADMIN, PROXY_AUTH } from '../helpers/auth.js';

const PUBLIC = { 'x-avlog-role': 'public' };
const CELL = PUBLIC_VIEW.cellDeg;

let lake: SeededLake;
let app: FastifyInstance;
beforeAll(async () => {
  lake = await seededLake();
  app = await buildApp({ dataDir: lake.dataDir, auth: PROXY_AUTH });
});
afterAll(async () => {
  await app?.close();
  lake?.cleanup();
});

/** Distance (degrees) from `v` to the nearest multiple of `step`. */
const offGrid = (v: number, step: number) => Math.abs(v - Math.round(v / step) * step);
/** A cell centre: (v / cell − ½) is a whole number. Float32 offsets from the origin are good to ~1e-7°. */
const isCentre = (v: number) => offGrid(v - CELL / 2, CELL) < 1e-6;
const isEdge = (v: number) => offGrid(v, CELL) < 1e-6;

interface PublicRoutes {
  meta: RouteMeta;
  lonLat: [number, number][];
  t: Float32Array;
}

async function publicRoutes(qs: string): Promise<PublicRoutes> {
  const r = await app.inject({ url: `/api/map/routes${qs}`, headers: PUBLIC });
  expect(r.statusCode, r.body).toBe(200);
  const table = tableFromIPC(r.rawPayload);
  const meta = JSON.parse(table.schema.metadata.get(ROUTE_META_KEY) ?? 'null') as RouteMeta;
  const xy = (table.getChild('position')?.data[0]?.children[0]?.values ?? new Float32Array(0)) as Float32Array;
  const lonLat: [number, number][] = [];
  for (let i = 0; i < xy.length; i += 2)
    lonLat.push([meta.origin[0] + (xy[i] as number), meta.origin[1] + (xy[i + 1] as number)]);
  return { meta, lonLat, t: table.getChild('t')?.toArray() as Float32Array };
}

/** The grid cells [ix, iy] the lake's own samples fall in. */
async function lakeCells(where = 'true'): Promise<Set<string>> {
  const rows = await query(
    `SELECT DISTINCT floor(lon / ${CELL})::BIGINT AS ix, floor(lat / ${CELL})::BIGINT AS iy FROM ${lakeTable(lake.dataDir, 'telemetry')} WHERE ${where}`,
  );
  return new Set(rows.map((r) => `${String(r.ix)},${String(r.iy)}`));
}
const cellOf = ([lon, lat]: [number, number]) => `${Math.floor(lon / CELL)},${Math.floor(lat / CELL)}`;

describe('public map viewers (x-avlog-role: public) get coarsened routes', () => {
  for (const qs of ['', '?zoom=16', '?zoom=11']) {
    it(`GET /api/map/routes${qs}: every position is a grid-cell centre, every time a whole minute, no drive or vehicle ids`, async () => {
      const r = await publicRoutes(qs);
      expect(r.lonLat.length).toBeGreaterThan(100);
      const offCentre = r.lonLat.filter(([lon, lat]) => !isCentre(lon) || !isCentre(lat));
      expect(offCentre).toEqual([]);
      expect([...r.meta.origin, ...(r.meta.bbox ?? [])].every(isEdge)).toBe(true);
      expect(Date.parse(r.meta.t0 ?? '') % 60_000).toBe(0);
      expect([...r.t].every((t) => t % PUBLIC_VIEW.timeS === 0)).toBe(true);
      expect(r.meta.drives.every((d) => d === '')).toBe(true);
      expect(r.meta.vehicles.every((v) => v.id === '')).toBe(true);
      expect(r.meta.lod?.cell_deg).toBeGreaterThanOrEqual(CELL);
      // still the fleet's roads: each cell drawn holds samples of the lake, and the cells cover most of those
      const truth = await lakeCells();
      const drawn = new Set(r.lonLat.map(cellOf));
      expect([...drawn].filter((c) => !truth.has(c))).toEqual([]);
      if (qs !== '?zoom=11') expect(drawn.size).toBeGreaterThan(truth.size * 0.8);
    });
  }

  it('format=json: the same coarse positions as [lon, lat] pairs', async () => {
    const r = await app.inject({ url: '/api/map/routes?format=json', headers: PUBLIC });
    const body = r.json<RoutesJson>();
    const points = body.paths.flatMap((p) => p.path);
    expect(points.length).toBeGreaterThan(100);
    expect(points.filter(([lon, lat]) => !isCentre(lon) || !isCentre(lat))).toEqual([]);
    expect(body.paths.flatMap((p) => p.timestamps).every((t) => t % PUBLIC_VIEW.timeS === 0)).toBe(true);
  });

  it('a query box smaller than a cell cannot locate a sample: it is grown to whole cells', async () => {
    const full = await app.inject({ url: '/api/map/routes?format=json', headers: ADMIN });
    const [lon, lat] = full.json<RoutesJson>().paths[0]?.path[5] ?? [0, 0];
    const ix = Math.floor(lon / CELL);
    const iy = Math.floor(lat / CELL);
    // two 1 m boxes in the sample's cell, one around the sample, one in a corner of the cell
    const around = `${lon - 5e-6},${lat - 5e-6},${lon + 5e-6},${lat + 5e-6}`;
    const corner = `${ix * CELL + 1e-6},${iy * CELL + 1e-6},${ix * CELL + 1e-5},${iy * CELL + 1e-5}`;
    const a = await publicRoutes(`?bbox=${around}`);
    const b = await publicRoutes(`?bbox=${corner}`);
    expect(a.meta.source_points).toBeGreaterThan(0);
    expect(b.meta.source_points).toBe(a.meta.source_points);
    expect(b.lonLat).toEqual(a.lonLat);
    const inc = async (bbox: string) =>
      (await app.inject({ url: `/api/map/incidents?format=json&bbox=${bbox}`, headers: PUBLIC })).body;
    expect(await inc(corner)).toBe(await inc(around));
  });

  it('a time range shorter than a minute cannot time a cell change: it is grown to whole minutes', async () => {
    const full = (await app.inject({ url: '/api/map/routes?format=json', headers: ADMIN })).json<RoutesJson>();
    const t0 = Date.parse(full.meta.t0 ?? '');
    // a minute boundary two minutes into the first drive, and two one-second windows inside the minute after it
    const minute = Math.ceil((t0 + 120_000) / 60_000) * 60_000;
    const window = (fromS: number) =>
      `?format=json&from=${new Date(minute + fromS * 1000).toISOString()}&to=${new Date(minute + (fromS + 1) * 1000).toISOString()}`;
    const a = await app.inject({ url: `/api/map/routes${window(5)}`, headers: PUBLIC });
    const b = await app.inject({ url: `/api/map/routes${window(40)}`, headers: PUBLIC });
    const engineerA = (await app.inject({ url: `/api/map/routes${window(5)}`, headers: ADMIN })).json<RoutesJson>();
    expect(engineerA.meta.source_points).toBeLessThan(20);
    expect(a.json<RoutesJson>().meta.source_points).toBeGreaterThan(engineerA.meta.source_points);
    expect(b.body).toBe(a.body);
  });
});

describe('public map viewers get coarsened incidents and filter options', () => {
  it('GET /api/map/incidents: positions on cell centres, times to the minute, no event or vehicle ids, as Arrow and JSON', async () => {
    const r = await app.inject({ url: '/api/map/incidents', headers: PUBLIC });
    expect(r.statusCode).toBe(200);
    const table = tableFromIPC(r.rawPayload);
    const meta = JSON.parse(table.schema.metadata.get(INCIDENT_META_KEY) ?? 'null') as IncidentMeta;
    const position = table.getChild('position')?.data[0]?.children[0]?.values as Float64Array;
    expect(table.numRows).toBeGreaterThan(10);
    expect([...position].every(isCentre)).toBe(true);
    expect([...(table.getChild('ts_ms')?.toArray() as Float64Array)].every((t) => t % 60_000 === 0)).toBe(true);
    expect([...(table.getChild('event_id')?.toArray() as string[])].every((id) => id === '')).toBe(true);
    expect(meta.vehicles.every((v) => v.id === '')).toBe(true);
    // the same incidents an engineer sees, each within its cell
    const full = (await app.inject({ url: '/api/map/incidents?format=json', headers: ADMIN })).json<{
      items: { lon: number; lat: number }[];
    }>().items;
    const coarse = (await app.inject({ url: '/api/map/incidents?format=json', headers: PUBLIC })).json<{
      items: { event_id: string; vehicle_id: string; lon: number; lat: number }[];
    }>().items;
    expect(coarse).toHaveLength(full.length);
    expect(coarse.every((i) => i.event_id === '' && i.vehicle_id === '' && isCentre(i.lon) && isCentre(i.lat))).toBe(
      true,
    );
    expect(new Set(coarse.map((i) => cellOf([i.lon, i.lat])))).toEqual(
      new Set(full.map((i) => cellOf([i.lon, i.lat]))),
    );
  });

  it('GET /api/map/filters: no vehicle list, the extent in whole cells; /api/map/config says the view is public', async () => {
    const f = (await app.inject({ url: '/api/map/filters', headers: PUBLIC })).json<{
      vehicles: unknown[];
      companies: unknown[];
      bbox: number[];
    }>();
    expect(f.vehicles).toEqual([]);
    expect(f.companies.length).toBeGreaterThan(0);
    expect(f.bbox.every(isEdge)).toBe(true);
    const config = (await app.inject({ url: '/api/map/config', headers: PUBLIC })).json<{ public_view: unknown }>();
    expect(config.public_view).toEqual({ cell_deg: CELL, time_s: PUBLIC_VIEW.timeS });
    expect(
      (await app.inject({ url: '/api/map/config', headers: ADMIN })).json<{ public_view: unknown }>().public_view,
    ).toBeNull();
  });

  it('a public viewer with a company sees that company only', async () => {
    const company = Object.keys(lake.manifest.exposure.by_company_month)[0] as string;
    const r = await publicRoutes('');
    const own = await app.inject({ url: '/api/map/routes', headers: { ...PUBLIC, 'x-avlog-company': company } });
    const meta = JSON.parse(tableFromIPC(own.rawPayload).schema.metadata.get(ROUTE_META_KEY) ?? 'null') as RouteMeta;
    expect(meta.vehicles.map((v) => v.company)).toEqual([company]);
    expect(meta.source_points).toBeLessThan(r.meta.source_points);
  });

  it('a public viewer cannot pick out one vehicle (its cells would be its track)', async () => {
    const id = Object.keys(lake.manifest.exposure.by_vehicle)[0] as string;
    for (const url of [
      `/api/map/routes?vehicle=${id}`,
      `/api/map/incidents?vehicle=${id}`,
      `/api/map/routes?vehicle=${id}&format=json`,
    ]) {
      const r = await app.inject({ url, headers: PUBLIC });
      expect(r.statusCode, url).toBe(403);
      expect(r.json<{ error: { code: string; parameter: string } }>().error).toMatchObject({
        code: 'forbidden',
        parameter: 'vehicle',
      });
      expect((await app.inject({ url: url, headers: ADMIN })).statusCode, url).toBe(200);
    }
  });

  it('an unknown role is a 400 naming the header, not a silent admin', async () => {
    const r = await app.inject({ url: '/api/map/filters', headers: { 'x-avlog-role': 'publik' } });
    expect(r.statusCode).toBe(401);
    expect(r.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'unauthorized',
      message: expect.stringMatching(/role must be one of admin, engineer, regulator, public/u),
    });
  });
});

describe('public map viewers cannot reach full-precision data anywhere else', () => {
  it('every /api route outside /api/map answers a public caller 403, before it reads anything', async () => {
    const routes: RouteOptions[] = [];
    const probe = Fastify({ logger: false });
    probe.addHook('onRoute', (r) => void routes.push(r));
    await probe.register(avlogApp, { dataDir: lake.dataDir, auth: PROXY_AUTH });
    await probe.ready();
    try {
      // health answers anyone, and a caller may always ask who it is
      const open = (r: RouteOptions) => r.config?.policy === 'health' || r.url === '/api/me';
      const closed = routes.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/map/') && !open(r));
      // the raw-data routes this must cover are there (a rename would otherwise make the loop vacuous)
      for (const url of [
        '/api/incidents/',
        '/api/incidents/:id',
        '/api/sources/',
        '/api/sql/',
        '/api/ingest/',
        '/api/metrics/exposure',
      ]) {
        expect(closed.map((r) => r.url)).toContain(url);
      }
      for (const r of closed) {
        for (const method of [r.method].flat()) {
          const url = r.url.replace(/:[a-z_]+/giu, 'x').replace('*', 'x');
          const res = await probe.inject({
            method,
            url,
            headers: PUBLIC,
            ...(method === 'POST' ? { payload: { sql: 'SELECT lon, lat FROM telemetry' } } : {}),
          });
          expect(res.statusCode, `${method} ${url}`).toBe(403);
          if (method !== 'HEAD') {
            const error = res.json<{ error: { code: string; message: string } }>().error;
            expect(error.code).toBe('forbidden');
            expect(error.message).toMatch(/public map viewers.*\/api\/map/u);
          }
        }
      }
      // and the same requests work for an engineer of a company
      const [event] = await query(
        `SELECT event_id FROM ${lakeTable(lake.dataDir, 'events')} WHERE lon IS NOT NULL LIMIT 1`,
      );
      const detail = await probe.inject({ url: `/api/incidents/${String(event?.event_id)}`, headers: PUBLIC });
      expect(detail.statusCode).toBe(403);
      expect(
        (await probe.inject({ url: `/api/incidents/${String(event?.event_id)}`, headers: ADMIN })).statusCode,
      ).toBe(200);
      const sql = await probe.inject({
        method: 'POST',
        url: '/api/sql',
        headers: ADMIN,
        payload: { sql: 'SELECT lon, lat FROM telemetry LIMIT 1' },
      });
      expect(sql.statusCode, sql.body).toBe(200);
    } finally {
      await probe.close();
    }
  });

  it('a route without a policy stops the start; one with a policy is closed to the public however its path is spelled', async () => {
    const bare = Fastify({ logger: false });
    await bare.register(async (app) => {
      await avlogApp(app, { dataDir: lake.dataDir, auth: PROXY_AUTH });
      app.get('/api/unchecked', async () => ({ lon: 114.0579, lat: 22.5431 }));
    });
    await expect(bare.ready()).rejects.toThrow(/without an access policy: GET \/api\/unchecked/u);
    await bare.close().catch(() => undefined);
    const probe = Fastify({ logger: false });
    // a route added in the app's own context, as a new route file would be
    await probe.register(async (app) => {
      await avlogApp(app, { dataDir: lake.dataDir, auth: PROXY_AUTH });
      app.get('/api/unchecked', { config: { policy: 'read' } }, async () => ({ lon: 114.0579, lat: 22.5431 }));
    });
    await probe.ready();
    try {
      // the router decodes the path: `/%61pi/unchecked` is /api/unchecked
      for (const url of ['/api/unchecked', '/%61pi/unchecked', '/api/%75nchecked']) {
        const res = await probe.inject({ url, headers: PUBLIC });
        expect(res.statusCode, url).toBe(403);
        expect((await probe.inject({ url })).statusCode, url).toBe(401);
        expect((await probe.inject({ url, headers: ADMIN })).statusCode, url).toBe(200);
      }
    } finally {
      await probe.close();
    }
  });
});
