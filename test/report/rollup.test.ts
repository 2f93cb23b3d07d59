import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LakeDb } from '../../services/lake/lake-db.js';
import { LakeRepository } from '../../services/lake/repository.js';
import { UNSCOPED, type Scope } from '../../services/lake/scope.js';
import { exposure, exposureSql } from '../../services/lake/metrics/exposure.js';
import { GROUP_KEYS, type MetricFilter } from '../../services/lake/metrics/filters.js';
import { rollupCovers, rollupServes } from '../../services/lake/metrics/rollup-coverage.js';
import { Catalog } from '../../services/ingest/lake/catalog.js';
import { backfillRollups } from '../../services/ingest/lake/rollup-backfill.js';
import { reportFromInputs } from '../../services/report/build.js';
import { findFleetReference } from '../../services/reference/fleet-reference.js';
import { fetchReportInputs, rollupMatches } from '../../services/report/inputs.js';
import { monthPeriod } from '../../services/report/period.js';
import { resolveReportThresholds } from '../../services/report/thresholds.js';
import { reportLake, type ReportLake } from './report-fixture.js';

const MONTH = '2026-09';
const NOW = '2026-10-05T00:00:00.000Z';

let lake: ReportLake;
let db: LakeDb;
let repo: LakeRepository;

beforeAll(async () => {
  lake = await reportLake();
  db = await LakeDb.open(lake.dataDir, { threads: 2 });
  repo = new LakeRepository(db);
});

afterAll(async () => {
  await db?.close();
  lake?.cleanup();
});

/** Numbers to 10 significant digits (sums over the rollup add in another order), timings dropped. */
/**
 * Deep equality in which numbers agree to 1e-9 relative: the rollup's and the scan's sums add the same terms in
 * another order, so their last digits differ (rounding both to n digits still splits a value at a boundary).
 */
function expectSame(actual: unknown, expected: unknown, at = '$'): void {
  if (typeof actual === 'number' && typeof expected === 'number') {
    const tolerance = 1e-9 * Math.max(Math.abs(actual), Math.abs(expected)) + 1e-12;
    if (!(Math.abs(actual - expected) <= tolerance)) expect(actual, at).toBe(expected);
    return;
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    expect(actual.length, `${at}.length`).toBe(expected.length);
    actual.forEach((x, i) => expectSame(x, expected[i], `${at}[${i}]`));
    return;
  }
  if (actual !== null && expected !== null && typeof actual === 'object' && typeof expected === 'object') {
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    expect(Object.keys(a).sort(), `${at} keys`).toEqual(Object.keys(e).sort());
    for (const k of Object.keys(a)) if (k !== 'timings') expectSame(a[k], e[k], `${at}.${k}`);
    return;
  }
  expect(actual, at).toEqual(expected);
}

async function report(company: string, rollup: boolean, scope: Scope = UNSCOPED, over = repo) {
  const thresholds = resolveReportThresholds();
  const inputs = await fetchReportInputs(over, scope, {
    company,
    period: monthPeriod(MONTH),
    thresholds,
    fleet: findFleetReference(lake.dataDir),
    rollup,
  });
  return { inputs, model: reportFromInputs(inputs, NOW) };
}

describe('telemetry rollup written at ingest', () => {
  it('every telemetry source of the lake wrote its rollup in the same commit (catalog lists the files)', () => {
    const paths = db.paths;
    expect(rollupCovers(paths, { fromDate: null, toDate: null, companies: null })).toBe(true);
    const entries = new Catalog(paths).list().filter((e) => e.files.some((f) => f.startsWith('telemetry/')));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      const rollups = e.files.filter((f) => f.startsWith('rollup/'));
      expect(rollups.length, e.file).toBeGreaterThan(0);
      for (const f of rollups) expect(fs.existsSync(path.join(paths.lake, f)), f).toBe(true);
    }
  });

  it('holds every sample once: Σ n, Σ seg_m and Σ dt_s equal the telemetry per company and day', async () => {
    const t = await repo.query(
      UNSCOPED,
      `SELECT company_id, date::VARCHAR AS d, count(*) AS n, sum(seg_m) AS m, sum(dt_s) AS s FROM telemetry GROUP BY ALL ORDER BY ALL`,
    );
    const r = await repo.query(
      UNSCOPED,
      `SELECT company_id, date::VARCHAR AS d, sum(n) AS n, sum(seg_m) AS m, sum(dt_s) AS s FROM rollup GROUP BY ALL ORDER BY ALL`,
    );
    expect(r.length).toBe(t.length);
    r.forEach((row, i) => {
      const tr = t[i] as Record<string, unknown>;
      expect([row.company_id, row.d, row.n]).toEqual([tr.company_id, tr.d, tr.n]);
      expect(row.m as number).toBeCloseTo(tr.m as number, 6);
      expect(row.s as number).toBeCloseTo(tr.s as number, 6);
    });
    const [{ rows, samples } = {}] = await repo.query(
      UNSCOPED,
      `SELECT count(*) AS rows, sum(n) AS samples FROM rollup`,
    );
    expect(Number(rows)).toBeLessThan(Number(samples) / 20);
  });

  it('a company-scoped caller reads only its own rollup rows', async () => {
    const companies = (await repo.query(UNSCOPED, `SELECT DISTINCT company_id FROM rollup ORDER BY 1`)).map(
      (r) => r.company_id,
    );
    expect(companies.length).toBeGreaterThan(1);
    const scoped = await repo.query(
      { role: 'engineer', company: String(companies[0]) },
      `SELECT DISTINCT company_id FROM rollup`,
    );
    expect(scoped.map((r) => r.company_id)).toEqual([companies[0]]);
  });
});

describe('report and exposure read from the rollup equal the telemetry scan', () => {
  it('the default thresholds are the rollup’s, so reports use it', () => {
    expect(rollupMatches(resolveReportThresholds())).toBe(true);
    expect(rollupMatches(resolveReportThresholds({ speedingTolerance: 0.2 }))).toBe(false);
    const period = monthPeriod(MONTH);
    expect(rollupServes(db.paths, UNSCOPED, { from: period.from, to: period.to })).toBe(true);
    // Not on a minute: the telemetry must be cut inside a bucket.
    expect(rollupServes(db.paths, UNSCOPED, { from: '2026-09-03T01:02:03Z' })).toBe(false);
  });

  for (const company of ['all', 'plzx']) {
    it(`monthly report (${company}): every figure and table equal`, async () => {
      const a = await report(company, true);
      const b = await report(company, false);
      expect(a.inputs.rollup.length).toBe(b.inputs.rollup.length);
      expect(a.model.exposure.km.autonomous.value).toBeGreaterThan(0);
      expectSame(a.model, b.model);
    });
  }

  it('with mirrors too small for the lake (events and rollup read from their files), the same report and exposure', async () => {
    const small = await LakeDb.open(lake.dataDir, { threads: 2, mirror: { maxRows: 10 } });
    try {
      const direct = new LakeRepository(small);
      const a = await report('all', true);
      const b = await report('all', true, UNSCOPED, direct);
      expect(b.inputs.rollup.length).toBeGreaterThan(0);
      expectSame(b.model, a.model);
      const filter: MetricFilter = { from: '2026-09-01T00:00:00+08:00', to: '2026-09-15T00:00:00+08:00' };
      expectSame(
        await exposure(direct, UNSCOPED, ['company', 'district'], filter),
        await exposure(repo, UNSCOPED, ['company', 'district'], filter),
      );
      const mirrors = await small.all(`SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'mirror_%'`);
      expect(mirrors).toEqual([]);
    } finally {
      await small.close();
    }
  });

  it('exposure by every group key (whole-day filter) equals the telemetry scan', async () => {
    const filter: MetricFilter = { from: '2026-09-01T00:00:00+08:00', to: '2026-09-15T00:00:00+08:00' };
    for (const key of GROUP_KEYS) {
      const t = exposureSql([key], filter, 'telemetry');
      const r = exposureSql([key], filter, 'rollup');
      const [tr, rr] = [await repo.query(UNSCOPED, t.sql, t.params), await repo.query(UNSCOPED, r.sql, r.params)];
      expect(tr.length, key).toBeGreaterThan(0);
      expectSame(rr, tr, key);
    }
    // exposure() picks the rollup here; its answer is the same
    const viaApi = await exposure(repo, UNSCOPED, ['company'], filter);
    const t = exposureSql(['company'], filter, 'telemetry');
    expectSame(
      viaApi.map((e) => e.km.total),
      (await repo.query(UNSCOPED, t.sql, t.params)).map((r) => r.km_total),
    );
  });

  it('a source without a rollup makes readers fall back to the telemetry; the backfill restores it, once', async () => {
    const paths = db.paths;
    const catalog = new Catalog(paths);
    const entry = catalog
      .list()
      .find((e) => e.files.some((f) => f.startsWith('rollup/')) && e.files.some((f) => f.includes(`date=${MONTH}-`)));
    expect(entry).toBeTruthy();
    if (!entry) return;
    const before = (await report('all', true)).model;
    // A lake from before rollups: this source's rollup files and their catalog listing gone.
    for (const f of entry.files.filter((x) => x.startsWith('rollup/'))) fs.rmSync(path.join(paths.lake, f));
    catalog.put({ ...entry, files: entry.files.filter((x) => !x.startsWith('rollup/')) });
    await db.refresh(); // another process changed the lake: rescan now rather than within a second
    const period = monthPeriod(MONTH);
    expect(rollupServes(paths, UNSCOPED, { from: period.from, to: period.to })).toBe(false);
    expectSame((await report('all', true)).model, before);

    expect(await backfillRollups(lake.dataDir)).toMatchObject({ sources: 1 });
    expect(catalog.get(entry.sha256)?.files).toEqual(entry.files);
    await db.refresh();
    expect(rollupServes(paths, UNSCOPED, { from: period.from, to: period.to })).toBe(true);
    expectSame((await report('all', true)).model, before);
    expect(await backfillRollups(lake.dataDir)).toMatchObject({ sources: 0, files: 0 });
  });
});
