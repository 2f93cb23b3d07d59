import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { seededLake, type SeededLake } from './fleet-fixture.js';

interface Item {
  event_id: string;
  kind: string;
  severity: string | null;
  ts: string;
  lat: number | null;
  lon: number | null;
  speed_mps: number | null;
  peak: number | null;
  district: string | null;
  vehicle_id: string;
  company_id: string;
  mode: string | null;
}
interface Page {
  items: Item[];
  total: number;
  next_cursor: string | null;
}

let lake: SeededLake;
let app: FastifyInstance;
beforeAll(async () => {
  lake = await seededLake({ seed: 11 });
  app = await buildApp({ dataDir: lake.dataDir });
});
afterAll(async () => {
  await app?.close();
  lake?.cleanup();
});

async function page(url: string): Promise<Page> {
  const r = await app.inject(url);
  expect(r.statusCode, r.body).toBe(200);
  return r.json<Page>();
}

async function all(url: string): Promise<Item[]> {
  const out: Item[] = [];
  let cursor: string | null = null;
  do {
    const p: Page = await page(`${url}${url.includes('?') ? '&' : '?'}limit=7${cursor ? `&cursor=${cursor}` : ''}`);
    out.push(...p.items);
    cursor = p.next_cursor;
  } while (cursor);
  return out;
}

describe('incident search', () => {
  it('pages through every incident exactly once, newest first', async () => {
    const paged = await all('/api/incidents');
    const once = (await page('/api/incidents?limit=1000')).items;
    expect(paged.map((i) => i.event_id)).toEqual(once.map((i) => i.event_id));
    expect(new Set(paged.map((i) => i.event_id)).size).toBe(paged.length);
    const times = paged.map((i) => Date.parse(i.ts));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('finds every logged collision of the manifest, with its severity', async () => {
    const found = await all('/api/incidents?kind=collision&sort=ts');
    const truth = lake.manifest.events.filter((e) => e.kind === 'collision');
    expect(found.map((i) => [i.vehicle_id, i.severity])).toEqual(truth.map((e) => [e.vehicle_id, e.severity ?? null]));
    for (const [i, e] of found.map((f, k) => [f, truth[k]] as const))
      expect(Math.abs(Date.parse(i.ts) - Date.parse(e?.ts ?? ''))).toBeLessThan(1000);
  });

  it('filters by kind, company, bounding box, speed and mode, each result satisfying its filter', async () => {
    const everything = (await page('/api/incidents?limit=1000')).items;
    const company = everything[0]?.company_id ?? '';
    const byCompany = await all(`/api/incidents?company=${company}`);
    expect(byCompany.length).toBe(everything.filter((i) => i.company_id === company).length);
    const withPos = everything.filter((i) => i.lat !== null && i.lon !== null);
    const lats = withPos.map((i) => i.lat as number).sort((a, b) => a - b);
    const midLat = lats[Math.floor(lats.length / 2)] as number;
    const south = await all(`/api/incidents?bbox=113,20,115,${midLat}`);
    expect(south.length).toBe(withPos.filter((i) => (i.lat as number) <= midLat).length);
    const fast = await all('/api/incidents?speed_min=8');
    expect(fast.every((i) => (i.speed_mps ?? -1) >= 8)).toBe(true);
    expect(fast.length).toBe(everything.filter((i) => (i.speed_mps ?? -1) >= 8).length);
    const manual = await all('/api/incidents?mode=manual,remote');
    expect(manual.every((i) => i.mode === 'manual' || i.mode === 'remote')).toBe(true);
  });

  it('sorts by speed with a stable cursor', async () => {
    const bySpeed = await all('/api/incidents?sort=-speed');
    const speeds = bySpeed.map((i) => i.speed_mps ?? -Infinity);
    expect(speeds).toEqual([...speeds].sort((a, b) => b - a));
  });

  it('sorts worst first with -peak: the largest magnitude, so the hardest brake leads', async () => {
    const brakes = await all('/api/incidents?kind=harsh_brake&sort=-peak');
    expect(brakes.length).toBeGreaterThan(1);
    const mags = brakes.map((i) => Math.abs(i.peak ?? 0));
    expect(mags).toEqual([...mags].sort((a, b) => b - a));
    expect((brakes[0]?.peak ?? 0) < 0).toBe(true);
  });

  it('says how many incidents match over all pages', async () => {
    const everything = (await page('/api/incidents?limit=1000')).items;
    const first = await page('/api/incidents?limit=3');
    expect(first.total).toBe(everything.length);
    const company = everything[0]?.company_id ?? '';
    const one = await page(`/api/incidents?limit=2&company=${company}`);
    expect(one.total).toBe(everything.filter((i) => i.company_id === company).length);
    expect(one.total).toBeLessThan(first.total);
  });

  it('offers every sort value in the OpenAPI enum', async () => {
    const doc = (await app.inject('/docs/json')).json<{
      paths: Record<string, { get?: { parameters?: { name: string; schema: { enum?: string[] } }[] } }>;
    }>();
    const sort = doc.paths['/api/incidents/']?.get?.parameters?.find((p) => p.name === 'sort');
    expect(sort?.schema.enum).toEqual(['ts', '-ts', 'speed', '-speed', 'peak', '-peak', 'severity', '-severity']);
  });
});

describe('incident detail', () => {
  it('returns the −90 s … +30 s window of the vehicle and says whether it is complete', async () => {
    const collision = (await page('/api/incidents?kind=disengagement,collision,emergency_manoeuvre&limit=1')).items[0];
    expect(collision).toBeDefined();
    const r = await app.inject(`/api/incidents/${collision?.event_id}`);
    expect(r.statusCode).toBe(200);
    const d = r.json<{
      incident: Item;
      window: { from: string; to: string; complete: boolean; samples: { ts: string; speed_mps: number | null }[] };
    }>();
    expect(d.incident.event_id).toBe(collision?.event_id);
    const t = Date.parse(d.incident.ts);
    expect(Date.parse(d.window.from)).toBe(t - 90_000);
    expect(Date.parse(d.window.to)).toBe(t + 30_000);
    expect(d.window.samples.every((s) => Date.parse(s.ts) >= t - 90_000 && Date.parse(s.ts) <= t + 30_000)).toBe(true);
    if (d.window.complete) expect(d.window.samples.length).toBeGreaterThan(110 * 9);
    const narrow = (await app.inject(`/api/incidents/${collision?.event_id}?before=5&after=5`)).json<{
      window: { samples: unknown[] };
    }>();
    expect(narrow.window.samples.length).toBeLessThanOrEqual(101);
    expect(narrow.window.samples.length).toBeGreaterThan(0);
  });

  it('flags a window that reaches before the start of the recording', async () => {
    const found = (await page('/api/incidents?limit=5')).items;
    expect(found.length).toBeGreaterThan(0);
    const windows = await Promise.all(
      found.map(async (i) =>
        (await app.inject(`/api/incidents/${i.event_id}?before=3600`)).json<{
          window: { complete: boolean; missing_before_s: number };
        }>(),
      ),
    );
    expect(windows.every((w) => w.window.complete === false && w.window.missing_before_s > 0)).toBe(true);
  });
});
