import fs from 'node:fs';
import path from 'node:path';
import { tableFromIPC, type Table } from 'apache-arrow';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMBEDDED_ROADS } from '../../services/reference/roads/embedded.js';
import { buildApp } from '../../services/api/app.js';
import { PROXY_AUTH } from '../helpers/auth.js';
import { LakeDb } from '../../services/lake/lake-db.js';
import { LakeRepository } from '../../services/lake/repository.js';
import { driveTimeOrder } from '../../services/api/map/drive-order.js';
import { thinToGrid } from '../../services/api/map/level-of-detail.js';
import {
  MAP_KINDS,
  MAP_MODES,
  ROUTE_META_KEY,
  INCIDENT_META_KEY,
  type IncidentMeta,
  type RouteMeta,
} from '../../services/api/map/wire-format.js';
import { lakeTable, query, SHARED_DATA, tempDir } from '../helpers/lake.js';
import { seededLake, type SeededLake } from './fleet-fixture.js';

const DISTRICTS = path.join(SHARED_DATA, 'shenzhen/districts-wgs84.geojson');

let lake: SeededLake;
let app: FastifyInstance;
/** The same lake behind `--auth proxy`: x-avlog-* headers name the caller. */
let proxied: FastifyInstance;
beforeAll(async () => {
  lake = await seededLake();
  app = await buildApp({ dataDir: lake.dataDir, districtsFile: DISTRICTS });
  proxied = await buildApp({ dataDir: lake.dataDir, districtsFile: DISTRICTS, auth: PROXY_AUTH });
});
afterAll(async () => {
  await app?.close();
  await proxied?.close();
  lake?.cleanup();
});

interface Routes {
  table: Table;
  meta: RouteMeta;
  position: Float32Array;
  t: Float32Array;
  mode: Uint8Array;
  drive: Uint32Array;
  path: Uint32Array;
}

async function routes(qs = '', headers: Record<string, string> = {}): Promise<Routes> {
  const r = await (Object.keys(headers).length ? proxied : app).inject({ url: `/api/map/routes${qs}`, headers });
  expect(r.statusCode, r.body).toBe(200);
  expect(r.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
  const table = tableFromIPC(r.rawPayload);
  const col = <T>(name: string) => table.getChild(name)?.toArray() as T;
  const meta = JSON.parse(table.schema.metadata.get(ROUTE_META_KEY) ?? 'null') as RouteMeta;
  return {
    table,
    meta,
    position: (table.getChild('position')?.data[0]?.children[0]?.values ?? new Float32Array(0)) as Float32Array,
    t: col<Float32Array>('t'),
    mode: col<Uint8Array>('mode'),
    ...perRow(table.numRows, meta),
  };
}

/** Each row's drive and path, from the metadata's path start indices. */
function perRow(rows: number, meta: RouteMeta): { drive: Uint32Array; path: Uint32Array } {
  const drive = new Uint32Array(rows);
  const path = new Uint32Array(rows);
  meta.path_starts.forEach((start, p) => {
    const end = meta.path_starts[p + 1] ?? rows;
    drive.fill(meta.path_drives[p] as number, start, end);
    path.fill(p, start, end);
  });
  return { drive, path };
}

/** [first, last] row of each drive code. */
function driveEnds(r: Routes): Map<number, [number, number]> {
  const ends = new Map<number, [number, number]>();
  r.drive.forEach((d, i) => ends.set(d, [ends.get(d)?.[0] ?? i, i]));
  return ends;
}

const telemetry = () => lakeTable(lake.dataDir, 'telemetry');

describe('GET /api/map/routes', () => {
  it('sends every sample as an Arrow IPC stream in the wire format', async () => {
    const r = await routes();
    expect(r.table.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual([
      'position:FixedSizeList[2]<Float32>',
      't:Float32',
      'speed_mps:Float32',
      'mode:Uint8',
    ]);
    const [truth] = await query(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT drive_id)::INTEGER AS drives FROM ${telemetry()}`,
    );
    expect(r.table.numRows).toBe(truth?.n);
    expect(r.meta.source_points).toBe(truth?.n);
    expect(r.meta.drives).toHaveLength(Number(truth?.drives));
    expect(r.meta.drives).toEqual([...r.meta.drives].sort());
    expect(r.meta.lod).toBeNull();
    expect(r.meta.modes).toEqual(MAP_MODES);
    expect(r.meta.vehicles.map((v) => v.id).sort()).toEqual(Object.keys(lake.manifest.exposure.by_vehicle).sort());
  });

  it('reproduces the lake’s samples: positions to a centimetre, times to a float’s precision, drive by drive', async () => {
    const r = await routes();
    const drive = r.meta.drives[1] as string;
    const code = 1;
    const rows = await query(
      `SELECT lon, lat, epoch_us(ts) AS us, mode FROM ${telemetry()} WHERE drive_id = '${drive}' ORDER BY ts`,
    );
    const idx = [...r.drive.keys()].filter((i) => r.drive[i] === code);
    expect(idx).toHaveLength(rows.length);
    const t0 = Date.parse(r.meta.t0 ?? '') * 1000;
    idx.forEach((i, k) => {
      const row = rows[k] as { lon: number; lat: number; us: number; mode: string };
      expect(Math.abs(r.meta.origin[0] + (r.position[2 * i] as number) - row.lon)).toBeLessThan(1e-7);
      expect(Math.abs(r.meta.origin[1] + (r.position[2 * i + 1] as number) - row.lat)).toBeLessThan(1e-7);
      expect(Math.abs((r.t[i] as number) - (Number(row.us) - t0) / 1e6)).toBeLessThan(0.07);
      expect(MAP_MODES[r.mode[i] as number]).toBe(row.mode);
    });
  });

  it('groups samples by drive in time order, one path per drive when nothing is cut out', async () => {
    for (const r of [await routes(), await routes('?zoom=13')]) {
      expect(r.meta.path_starts).toHaveLength(r.meta.drives.length);
      expect(new Set(r.meta.path_drives).size).toBe(r.meta.drives.length);
      let disorder = 0;
      for (let i = 1; i < r.table.numRows; i++) {
        if (r.drive[i] === r.drive[i - 1] && (r.t[i] as number) < (r.t[i - 1] as number)) disorder++;
      }
      expect(disorder).toBe(0);
    }
  });

  it('thins by zoom (level of detail) and keeps the ends of every drive', async () => {
    const full = await routes();
    const z11 = await routes('?zoom=11');
    const z14 = await routes('?zoom=14.7');
    expect(z11.table.numRows).toBeLessThan(z14.table.numRows);
    expect(z14.table.numRows).toBeLessThan(full.table.numRows / 2);
    expect(z11.meta.lod?.zoom).toBe(11);
    expect(z14.meta.lod?.zoom).toBe(14);
    const fullEnds = driveEnds(full);
    for (const [d, [a, b]] of driveEnds(z11)) {
      const [fa, fb] = fullEnds.get(d) ?? [-1, -1];
      expect(z11.t[a]).toBe(full.t[fa]);
      expect(z11.t[b]).toBe(full.t[fb]);
    }
  });

  it('a mode filter keeps that mode only and breaks drives where it cut samples out', async () => {
    const r = await routes('?mode=manual');
    const [truth] = await query(`SELECT count(*)::INTEGER AS n FROM ${telemetry()} WHERE mode = 'manual'`);
    expect(r.table.numRows).toBe(truth?.n);
    expect(new Set(r.mode)).toEqual(new Set([MAP_MODES.indexOf('manual')]));
    expect(r.meta.path_starts.length).toBeGreaterThan(r.meta.drives.length);
    expect(r.meta.path_starts[0]).toBe(0);
  });

  it('a bbox keeps the samples inside it', async () => {
    const box = [114.0, 22.52, 114.05, 22.56] as const;
    const r = await routes(`?bbox=${box.join(',')}&zoom=15`);
    expect(r.table.numRows).toBeGreaterThan(0);
    for (let i = 0; i < r.table.numRows; i++) {
      const lon = r.meta.origin[0] + (r.position[2 * i] as number);
      const lat = r.meta.origin[1] + (r.position[2 * i + 1] as number);
      expect(lon >= box[0] - 1e-6 && lon <= box[2] + 1e-6 && lat >= box[1] - 1e-6 && lat <= box[3] + 1e-6).toBe(true);
    }
  });

  it('stays under max_points: a stride without a zoom, a coarser grid with one', async () => {
    const strided = await routes('?max_points=10000');
    expect(strided.meta.stride).toBeGreaterThan(1);
    expect(strided.table.numRows).toBeLessThanOrEqual(10_000);
    expect(strided.table.numRows).toBeGreaterThan(8_000);
    const coarse = await routes('?zoom=17&max_points=3000');
    expect(coarse.table.numRows).toBeLessThanOrEqual(3000);
    expect(coarse.meta.lod?.zoom).toBeLessThan(17);
  });

  it('filters by time, company and vehicle; an empty selection is a valid empty stream', async () => {
    const vehicle = Object.keys(lake.manifest.exposure.by_vehicle)[0] as string;
    const one = await routes(`?vehicle=${vehicle}&from=2026-09-02&to=2026-09-04`);
    const [truth] = await query(
      `SELECT count(*)::INTEGER AS n FROM ${telemetry()} WHERE vehicle_id = '${vehicle}' AND ts >= '2026-09-02T00:00:00+08:00' AND ts < '2026-09-04T00:00:00+08:00'`,
    );
    expect(one.table.numRows).toBe(truth?.n);
    expect(one.meta.vehicles.map((v) => v.id)).toEqual(truth?.n ? [vehicle] : []);
    const none = await routes('?from=2030-01-01');
    expect(none.table.numRows).toBe(0);
    expect(none.meta.t0).toBeNull();
    expect(none.meta.drives).toEqual([]);
  });

  it('format=json sends the same samples as paths of [lon, lat]', async () => {
    const arrow = await routes('?zoom=12');
    const r = await app.inject('/api/map/routes?zoom=12&format=json');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/json/u);
    const json = r.json<{
      meta: RouteMeta;
      paths: { drive: number; path: [number, number][]; timestamps: number[] }[];
    }>();
    expect(json.paths.reduce((a, p) => a + p.path.length, 0)).toBe(arrow.table.numRows);
    const [lon, lat] = json.paths[0]?.path[0] ?? [0, 0];
    expect(lon).toBeCloseTo(arrow.meta.origin[0] + (arrow.position[0] as number), 9);
    expect(lat).toBeCloseTo(arrow.meta.origin[1] + (arrow.position[1] as number), 9);
    expect(r.headers['server-timing']).toMatch(/query;dur=[\d.]+, encode;dur=[\d.]+/u);
  });

  it('a company-scoped caller gets only its own vehicles', async () => {
    const company = Object.keys(lake.manifest.exposure.by_company_month)[0] as string;
    const r = await routes('?zoom=12', { 'x-avlog-company': company });
    expect(r.meta.vehicles.length).toBeGreaterThan(0);
    expect(r.meta.vehicles.every((v) => v.company === company)).toBe(true);
    const [truth] = await query(`SELECT count(*)::INTEGER AS n FROM ${telemetry()} WHERE company_id = '${company}'`);
    expect(r.meta.source_points).toBe(truth?.n);
  });
});

describe('ordering samples by drive and time without a sort in DuckDB', () => {
  it('leaves rows that are already grouped and timed alone, whatever the order of the drives', () => {
    expect(driveTimeOrder(new Uint32Array([2, 2, 0, 0, 0, 1]), new Float32Array([5, 6, 1, 2, 3, 0]), 3)).toBeNull();
  });

  it('groups interleaved drives and sorts each by time, stably', () => {
    const drive = new Uint32Array([1, 0, 1, 0, 0, 1]);
    const t = new Float32Array([10, 3, 11, 1, 2, 10]);
    const order = driveTimeOrder(drive, t, 2);
    expect(order).not.toBeNull();
    if (!order) return;
    expect([...order]).toEqual([3, 4, 1, 0, 5, 2]);
    expect([...order].map((i) => drive[i])).toEqual([0, 0, 0, 1, 1, 1]);
    expect([...order].map((i) => t[i])).toEqual([1, 2, 3, 10, 10, 11]);
  });
});

describe('thinning to a grid (level of detail)', () => {
  const cols = (x: number[], inside = x.map(() => 1), drive = x.map(() => 0), mode = x.map(() => 0)) => ({
    x: new Float32Array(x),
    y: new Float32Array(x.length),
    t: Float32Array.from(x, (_, i) => i),
    speed: new Float32Array(x.length),
    mode: Uint8Array.from(mode),
    drive: Uint32Array.from(drive),
    inside: Uint8Array.from(inside),
  });

  it('keeps one sample per cell entered, mode changes, and every path’s ends', () => {
    // cells of 1: a stationary stretch in cell 0, then cells 1 and 2, then a mode change inside cell 2
    const c = cols(
      [0, 0.1, 0.2, 0.3, 1.2, 1.5, 2.1, 2.2, 2.3, 2.4],
      undefined,
      undefined,
      [0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
    );
    const r = thinToGrid(c, 10, 1, null);
    expect([...r.rows]).toEqual([0, 4, 6, 8, 9]);
    expect(r.pathStarts).toEqual([0]);
  });

  it('starts a new path where the filters cut samples out, and at each drive', () => {
    const c = cols([0, 1, 2, 3, 4, 5, 6], [1, 1, 0, 1, 1, 1, 1], [0, 0, 0, 0, 0, 1, 1]);
    const r = thinToGrid(c, 7, null, null);
    expect([...r.rows]).toEqual([0, 1, 3, 4, 5, 6]);
    expect(r.pathStarts).toEqual([0, 2, 4]);
    expect(r.pathDrives).toEqual([0, 0, 1]);
  });
});

describe('GET /api/map/incidents', () => {
  it('sends the incidents with a position as Arrow, with ids that open in /api/incidents/:id', async () => {
    const r = await app.inject('/api/map/incidents');
    expect(r.statusCode).toBe(200);
    const table = tableFromIPC(r.rawPayload);
    const meta = JSON.parse(table.schema.metadata.get(INCIDENT_META_KEY) ?? 'null') as IncidentMeta;
    const search = (await app.inject('/api/incidents?limit=1000')).json<{
      items: { event_id: string; lon: number | null }[];
    }>();
    const located = search.items.filter((i) => i.lon !== null).map((i) => i.event_id);
    const ids = table.getChild('event_id')?.toArray() as string[];
    expect([...ids].sort()).toEqual([...located].sort());
    expect(meta.truncated).toBe(false);
    expect(meta.kinds).toEqual(MAP_KINDS);
    const detail = await app.inject(`/api/incidents/${ids[0]}`);
    expect(detail.statusCode).toBe(200);
  });

  it('filters by kind and mode; JSON lists them as objects; limit truncates', async () => {
    const r = await app.inject('/api/map/incidents?kind=harsh_brake,collision&mode=autonomous&format=json');
    const body = r.json<{ items: { kind: string; mode: string }[]; truncated: boolean }>();
    expect(body.items.length).toBeGreaterThan(0);
    expect(body.items.every((i) => ['harsh_brake', 'collision'].includes(i.kind) && i.mode === 'autonomous')).toBe(
      true,
    );
    const two = (await app.inject('/api/map/incidents?limit=2&format=json')).json<{
      items: unknown[];
      truncated: boolean;
    }>();
    expect(two.items).toHaveLength(2);
    expect(two.truncated).toBe(true);
  });
});

describe('filter options and the base map', () => {
  it('GET /api/map/filters lists what the lake holds', async () => {
    const r = (await app.inject('/api/map/filters')).json<{
      companies: { id: string }[];
      vehicles: { id: string }[];
      modes: string[];
      kinds: { kind: string }[];
      dates: { from: string; to: string };
      bbox: number[];
    }>();
    expect(r.vehicles.map((v) => v.id).sort()).toEqual(Object.keys(lake.manifest.exposure.by_vehicle).sort());
    expect(r.companies.map((c) => c.id).sort()).toEqual(Object.keys(lake.manifest.exposure.by_company_month).sort());
    expect(r.modes).toContain('autonomous');
    expect(r.kinds.map((k) => k.kind)).not.toContain('ads_activated');
    expect(r.dates.from).toBe('2026-09-01');
    expect(r.bbox[0]).toBeGreaterThan(113.7);
    expect(r.bbox[3]).toBeLessThan(22.9);
  });

  it('GET /api/map/districts serves the districts file, simplified, with names and label points', async () => {
    const r = await app.inject('/api/map/districts');
    expect(r.statusCode).toBe(200);
    expect(r.headers['content-type']).toMatch(/^application\/geo\+json/u);
    const fc = r.json<{ features: { properties: { name: string; label: [number, number] } }[] }>();
    expect(fc.features.map((f) => f.properties.name).sort()).toEqual(
      ['光明', '南山', '坪山', '大鹏', '宝安', '福田', '盐田', '罗湖', '龙华', '龙岗'].sort(),
    );
    const futian = fc.features.find((f) => f.properties.name === '福田');
    expect(futian?.properties.label[0]).toBeCloseTo(114.05, 1);
    expect(futian?.properties.label[1]).toBeCloseTo(22.55, 1);
    expect(r.body.length).toBeLessThan(fs.statSync(DISTRICTS).size / 2);
  });

  it('GET /api/map/roads serves the embedded road network; /api/map/config says what the base map has', async () => {
    const roads = (await app.inject('/api/map/roads')).json<{
      features: { properties: { name: string; name_en: string } }[];
    }>();
    expect(roads.features).toHaveLength(EMBEDDED_ROADS.length);
    expect(roads.features[0]?.properties.name_en).toBe('Shennan Blvd');
    const config = (await app.inject('/api/map/config')).json<{
      tiles: unknown;
      districts: boolean;
      incident_window: { before_s: number };
    }>();
    expect(config).toEqual({
      tiles: null,
      districts: true,
      incident_window: { before_s: 90, after_s: 30 },
      public_view: null,
    });
  });

  it('without a districts file the districts are empty, and tiles come from the options', async () => {
    const bare = await buildApp({
      dataDir: lake.dataDir,
      mapTiles: { url: 'https://tiles.example/{z}/{x}/{y}.png', crs: 'gcj02' },
    });
    try {
      expect((await bare.inject('/api/map/districts')).json()).toEqual({ type: 'FeatureCollection', features: [] });
      const config = (await bare.inject('/api/map/config')).json<{ tiles: { crs: string }; districts: boolean }>();
      expect(config.districts).toBe(false);
      expect(config.tiles.crs).toBe('gcj02');
    } finally {
      await bare.close();
    }
  });

  it('a districts file that is not GeoJSON stops the app from starting, naming the file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'districts.geojson');
      fs.writeFileSync(file, '{"type": "Nothing"}');
      await expect(buildApp({ dataDir: lake.dataDir, districtsFile: file })).rejects.toThrow(file);
    } finally {
      cleanup();
    }
  });
});

describe('map parameters', () => {
  const bad: [string, string][] = [
    ['/api/map/routes?zoom=25', 'zoom'],
    ['/api/map/routes?zoom=near', 'zoom'],
    ['/api/map/routes?mode=flying', 'mode'],
    ['/api/map/routes?bbox=114,22', 'bbox'],
    ['/api/map/routes?bbox=114.1,22.6,114.0,22.5', 'bbox'],
    ['/api/map/routes?max_points=0', 'max_points'],
    ['/api/map/routes?format=csv', 'format'],
    ['/api/map/routes?from=yesterday', 'from'],
    ['/api/map/routes?kind=collision', 'kind'],
    ['/api/map/incidents?kind=Harsh', 'kind'],
    ['/api/map/incidents?limit=0', 'limit'],
    ['/api/map/incidents?vehicle=a,,b', 'vehicle'],
  ];
  for (const [url, parameter] of bad) {
    it(`answers ${url} with a 400 naming ${parameter}`, async () => {
      const r = await app.inject(url);
      expect(r.statusCode, r.body).toBe(400);
      const body = r.json<{ error: { code: string; message: string; parameter?: string } }>();
      expect(body.error.code).toBe('bad_parameter');
      expect(body.error.parameter).toBe(parameter);
      expect(body.error.message).toContain(parameter);
    });
  }

  it('documents the map routes in OpenAPI', async () => {
    const doc = (await app.inject('/docs/json')).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/map/routes',
        '/api/map/incidents',
        '/api/map/filters',
        '/api/map/districts',
        '/api/map/roads',
        '/api/map/config',
      ]),
    );
  });
});

describe('the web app at /', () => {
  it('answers 503 saying how to build it when there is no build', async () => {
    const { dir, cleanup } = tempDir();
    const bare = await buildApp({ dataDir: lake.dataDir, webRoot: path.join(dir, 'missing') });
    try {
      const r = await bare.inject('/');
      expect(r.statusCode).toBe(503);
      expect(r.body).toContain('npm run build');
      expect((await bare.inject('/api/health')).statusCode).toBe(200);
    } finally {
      await bare.close();
      cleanup();
    }
  });

  it('serves the build: index revalidated, hashed assets cached for good, unknown paths 404 as JSON', async () => {
    const { dir, cleanup } = tempDir();
    fs.mkdirSync(path.join(dir, 'assets'));
    fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>avlog</title>');
    fs.writeFileSync(path.join(dir, 'assets', 'main-abc123.js'), 'console.log(1)');
    const web = await buildApp({ dataDir: lake.dataDir, webRoot: dir });
    try {
      const index = await web.inject('/');
      expect(index.statusCode).toBe(200);
      expect(index.headers['content-type']).toMatch(/^text\/html/u);
      expect(index.headers['cache-control']).toBe('no-cache');
      const asset = await web.inject('/assets/main-abc123.js');
      expect(asset.statusCode).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      const missing = await web.inject('/nothing-here');
      expect(missing.statusCode).toBe(404);
      expect(missing.json<{ error: { code: string } }>().error.code).toBe('not_found');
      expect((await web.inject('/api/map/config')).statusCode).toBe(200);
    } finally {
      await web.close();
      cleanup();
    }
  });
});

describe('the lake repository’s chunk stream (what the map’s columnar reads use)', () => {
  it('applies the same company scope as row queries, a chunk at a time, column types first', async () => {
    const company = Object.keys(lake.manifest.exposure.by_company_month)[0] as string;
    const scope = { company, role: 'engineer' } as const;
    const companies = new Set<string>();
    let types: readonly string[] = [];
    let chunks = 0;
    const db = await LakeDb.open(lake.dataDir, { connections: 1 });
    const repo = new LakeRepository(db);
    const rows = await repo.streamChunks(
      scope,
      'SELECT company_id, lon FROM telemetry',
      {},
      {
        start: (t) => (types = t),
        chunk: (c) => {
          chunks++;
          const v = c.getColumnVector(0);
          for (let i = 0; i < c.rowCount; i++) companies.add(String(v.getItem(i)));
        },
      },
    );
    expect(types).toEqual(['VARCHAR', 'DOUBLE']);
    expect([...companies]).toEqual([company]);
    expect(chunks).toBeGreaterThan(1);
    const [counted] = await repo.query(scope, 'SELECT count(*) AS n FROM telemetry');
    await db.close();
    const [truth] = await query(`SELECT count(*)::INTEGER AS n FROM ${telemetry()} WHERE company_id = '${company}'`);
    expect(rows).toBe(truth?.n);
    expect(counted?.n).toBe(truth?.n);
  });
});
