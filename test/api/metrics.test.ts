import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { poissonInterval } from '../../services/core/stats/poisson.js';
import { buildApp } from '../../services/api/app.js';
import { PROXY_AUTH } from '../helpers/auth.js';
import { seededLake, type SeededLake } from './fleet-fixture.js';

let lake: SeededLake;
let app: FastifyInstance;
/** The same lake behind `--auth proxy`: x-avlog-* headers name the caller. */
let proxied: FastifyInstance;
beforeAll(async () => {
  lake = await seededLake();
  app = await buildApp({ dataDir: lake.dataDir });
  proxied = await buildApp({ dataDir: lake.dataDir, auth: PROXY_AUTH });
});
afterAll(async () => {
  await app?.close();
  await proxied?.close();
  lake?.cleanup();
});

/** Equal up to floating-point summation order (DuckDB aggregates in parallel). */
function expectSameRows(a: ExposureBody['rows'], b: ExposureBody['rows']): void {
  expect(a.map((r) => r.group)).toEqual(b.map((r) => r.group));
  a.forEach((r, i) => {
    for (const m of ['autonomous', 'manual', 'remote', 'total'] as const) {
      expect(r.km[m]).toBeCloseTo(b[i]?.km[m] ?? NaN, 9);
      expect(r.hours[m]).toBeCloseTo(b[i]?.hours[m] ?? NaN, 9);
    }
  });
}

async function get<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const r = await (Object.keys(headers).length ? proxied : app).inject({ url, headers });
  expect(r.statusCode, r.body).toBe(200);
  return r.json<T>();
}

interface ByMode {
  autonomous: number;
  manual: number;
  remote: number;
  total: number;
}
interface ExposureBody {
  rows: { group: Record<string, string>; km: ByMode; hours: ByMode }[];
}

describe('metrics against the ground-truth manifest', () => {
  it('ingested every row of the fleet', () => {
    expect(lake.summary.failed).toBe(0);
    expect(lake.summary.rows_quarantined).toBe(0);
  });

  it('exposure by vehicle and mode equals the manifest (km from logged speed, hours)', async () => {
    const body = await get<ExposureBody>('/api/metrics/exposure?group_by=vehicle');
    const expected = lake.manifest.exposure.by_vehicle;
    expect(body.rows.map((r) => r.group.vehicle).sort()).toEqual(Object.keys(expected).sort());
    for (const row of body.rows) {
      const m = expected[row.group.vehicle as string];
      for (const mode of ['autonomous', 'manual', 'remote'] as const) {
        // km is the trapezoid of logged speed; the manifest's from full-precision speeds, files carry 3 decimals
        expect(Math.abs(row.km[mode] - (m?.[mode].km_speed ?? NaN))).toBeLessThanOrEqual(0.005 + 1e-3 * row.km[mode]);
        expect(row.hours[mode]).toBeCloseTo(m?.[mode].hours ?? NaN, 4);
      }
    }
  });

  it('exposure by company and month equals the manifest', async () => {
    const body = await get<ExposureBody>('/api/metrics/exposure?group_by=company,month');
    const expected = lake.manifest.exposure.by_company_month;
    let checked = 0;
    for (const row of body.rows) {
      const m = expected[row.group.company as string]?.[row.group.month as string];
      expect(m).toBeDefined();
      expect(row.hours.autonomous).toBeCloseTo(m?.autonomous.hours ?? NaN, 4);
      checked++;
    }
    expect(checked).toBe(Object.values(expected).reduce((a, months) => a + Object.keys(months).length, 0));
  });

  it('collisions per million km by severity match the manifest', async () => {
    const body = await get<{
      rows: { count: number; km: number; per_million_km: number; by_severity: Record<string, number> }[];
    }>('/api/metrics/collisions');
    const truth = lake.manifest.totals.by_kind.collision ?? { total: 0, by_severity: {} };
    const row = body.rows[0];
    expect(row?.count).toBe(truth.total);
    expect(row?.by_severity).toEqual(truth.by_severity);
    const km = (await get<ExposureBody>('/api/metrics/exposure')).rows[0]?.km.total ?? 0;
    expect(row?.per_million_km).toBeCloseTo((truth.total / km) * 1e6, 6);
  });

  it('with ci=0.95 every rate carries exact Poisson limits around it, wider for the smaller group', async () => {
    type Row = {
      group: Record<string, string>;
      count: number;
      autonomous_km: number;
      per_1000_km: number;
      lower: number;
      upper: number;
    };
    const fleet = (await get<{ rows: Row[] }>('/api/metrics/disengagements?ci=0.95')).rows[0];
    expect(fleet).toBeDefined();
    const { count, autonomous_km: km } = fleet as Row;
    expect(count).toBeGreaterThan(0);
    expect(fleet?.lower).toBeCloseTo((poissonInterval(count, 0.95).lower / km) * 1000, 9);
    expect(fleet?.upper).toBeCloseTo((poissonInterval(count, 0.95).upper / km) * 1000, 9);
    expect(fleet?.lower).toBeLessThan(fleet?.per_1000_km ?? 0);
    expect(fleet?.upper).toBeGreaterThan(fleet?.per_1000_km ?? 0);
    const byVehicle = (await get<{ rows: Row[] }>('/api/metrics/disengagements?ci=0.95&group_by=vehicle')).rows;
    for (const r of byVehicle) expect(r.upper - r.lower).toBeGreaterThan((fleet?.upper ?? 0) - (fleet?.lower ?? 0));
    const plain = (await get<{ rows: Record<string, unknown>[] }>('/api/metrics/disengagements')).rows[0];
    expect(plain).not.toHaveProperty('lower');
    const ev = (
      await get<{ rows: { lower: number; by_kind: Record<string, { lower: number; upper: number }> }[] }>(
        '/api/metrics/events?ci=0.95',
      )
    ).rows[0];
    expect(Object.values(ev?.by_kind ?? {}).every((k) => k.upper > k.lower)).toBe(true);
    const col = (await get<{ rows: { upper: number }[] }>('/api/metrics/collisions?ci=0.9')).rows[0];
    expect(col?.upper).toBeGreaterThan(0);
  });

  it('logged events count by kind as the manifest says', async () => {
    const body = await get<{ rows: { by_kind: Record<string, { count: number }> }[] }>(
      '/api/metrics/events?kind=collision,sensor_failure,ads_failure,takeover_request,mrm_started,recorder_fault',
    );
    for (const kind of [
      'collision',
      'sensor_failure',
      'ads_failure',
      'takeover_request',
      'mrm_started',
      'recorder_fault',
    ]) {
      expect(body.rows[0]?.by_kind[kind]?.count ?? 0, kind).toBe(lake.manifest.totals.by_kind[kind]?.logged ?? 0);
    }
  });

  it('the CLI gives the same figures as the API', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const r = await runCli(['metrics', 'exposure', '--data', lake.dataDir, '--group-by', 'company', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const cli = JSON.parse(r.stdout) as ExposureBody;
    const api = await get<ExposureBody>('/api/metrics/exposure?group_by=company');
    expectSameRows(cli.rows, api.rows);
  });

  it('the CLI refuses an event kind the vocabulary does not have, naming the flag and the kinds', async () => {
    const { runCli } = await import('../helpers/cli.js');
    const r = await runCli(['metrics', 'events', '--data', lake.dataDir, '--kind', 'collision,harsh_braking']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--kind: unknown event kind harsh_braking');
    expect(r.stderr).toContain('harsh_brake');
  });
});

describe('scoping and parameters', () => {
  it('a company-scoped caller sees only that company', async () => {
    const all = await get<ExposureBody>('/api/metrics/exposure?group_by=company');
    const company = all.rows[0]?.group.company as string;
    const scoped = await get<ExposureBody>('/api/metrics/exposure?group_by=company', { 'x-avlog-company': company });
    expectSameRows(scoped.rows, all.rows.slice(0, 1));
    const incidents = await get<{ items: { company_id: string }[] }>('/api/incidents?limit=1000', {
      'x-avlog-company': company,
    });
    expect(incidents.items.length).toBeGreaterThan(0);
    expect(incidents.items.every((i) => i.company_id === company)).toBe(true);
  });

  it('filters by time range: two halves add up to the whole', async () => {
    const whole = (await get<ExposureBody>('/api/metrics/exposure')).rows[0]?.km.total ?? 0;
    const a = (await get<ExposureBody>('/api/metrics/exposure?to=2026-09-05')).rows[0]?.km.total ?? 0;
    const b = (await get<ExposureBody>('/api/metrics/exposure?from=2026-09-05')).rows[0]?.km.total ?? 0;
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    expect(a + b).toBeCloseTo(whole, 6);
  });

  const bad: [string, string][] = [
    ['/api/metrics/exposure?group_by=planet', 'group_by'],
    ['/api/metrics/exposure?from=last-tuesday', 'from'],
    ['/api/metrics/exposure?to=2026-13-45', 'to'],
    ['/api/metrics/exposure?colour=red', 'colour'],
    ['/api/metrics/disengagements?company=', 'company'],
    ['/api/metrics/events?kind=Harsh%20Brake', 'kind'],
    ['/api/metrics/collisions?vehicle=a,,b', 'vehicle'],
    ['/api/incidents?limit=0', 'limit'],
    ['/api/incidents?limit=many', 'limit'],
    ['/api/incidents?bbox=1,2,3', 'bbox'],
    ['/api/incidents?bbox=114,23,113,22', 'bbox'],
    ['/api/incidents?sort=random', 'sort'],
    ['/api/incidents?speed_min=-1', 'speed_min'],
    ['/api/incidents?mode=sleepy', 'mode'],
    ['/api/incidents?cursor=not-a-cursor', 'cursor'],
    ['/api/incidents/xyz', 'id'],
    ['/api/incidents/0123456789abcdef01234567?before=-5', 'before'],
    ['/api/sources?status=maybe', 'status'],
  ];
  for (const [url, parameter] of bad) {
    it(`answers ${url} with a 400 naming ${parameter}`, async () => {
      const r = await app.inject(url);
      expect(r.statusCode, r.body).toBe(400);
      const body = r.json<{ error: { code: string; message: string; parameter?: string } }>();
      expect(body.error.parameter).toBe(parameter);
      expect(body.error.message).toContain(parameter);
    });
  }

  it('answers an unknown incident with 404 and an unknown route with 404', async () => {
    expect((await app.inject('/api/incidents/0123456789abcdef01234567')).statusCode).toBe(404);
    expect((await app.inject('/api/nothing')).json<{ error: { code: string } }>().error.code).toBe('not_found');
  });

  it('serves OpenAPI at /docs', async () => {
    const r = await app.inject('/docs/json');
    expect(r.statusCode).toBe(200);
    const doc = r.json<{ openapi: string; paths: Record<string, unknown> }>();
    expect(doc.openapi).toMatch(/^3\./u);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/metrics/exposure',
        '/api/incidents/',
        '/api/incidents/{id}',
        '/api/ingest/',
        '/api/sources/',
      ]),
    );
  });
});
