import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { LakeDb } from '../../services/lake/lake-db.js';
import { LakeRepository } from '../../services/lake/repository.js';
import { UNSCOPED } from '../../services/lake/scope.js';
import { main } from '../../services/cli/main.js';
import { buildReport, wholeTestPeriod } from '../../services/report/build.js';
import { PERIOD_WORDS, SECTION_TITLES } from '../../services/report/i18n.js';
import type { ByMode, ReportModel } from '../../services/report/model.js';
import { renderCsv } from '../../services/report/render-csv.js';
import { renderHtml } from '../../services/report/render-html.js';
import { renderReport } from '../../services/report/render.js';
import { fmtInt, fmtKm } from '../../services/report/format.js';
import { runCli } from '../helpers/cli.js';
import { reportLake, type ReportLake } from './report-fixture.js';

/**
 * Roll-ups of the monthly report: a quarter (Guangdong's stage report) and a whole test (its summary report) over a
 * lake with data from late June to early October 2026, so that Q3 has three months of data and Q2 some.
 */
const COMPANY = 'plzx';
const QUARTER = '2026-Q3';
const MONTHS = ['2026-07', '2026-08', '2026-09'];

let lake: ReportLake;
let db: LakeDb;
let repo: LakeRepository;
let app: FastifyInstance;
let quarter: ReportModel;
let monthly: ReportModel[];
const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts/report');

beforeAll(async () => {
  lake = await reportLake({ start: '2026-06-24', days: 100, drivesPerDay: 0.2, hz: 2, vehicles: 4 });
  db = await LakeDb.open(lake.dataDir, { threads: 2 });
  repo = new LakeRepository(db);
  monthly = [];
  for (const m of MONTHS) monthly.push(await buildReport(repo, UNSCOPED, { company: COMPANY, period: m }));
  quarter = await buildReport(repo, UNSCOPED, { company: COMPANY, period: QUARTER });
  app = await buildApp({ dataDir: lake.dataDir });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 600_000);

afterAll(async () => {
  await app?.close();
  db?.close();
  lake?.cleanup();
});

/** First and last month of the company's data in the ground truth: its whole test. */
const testSpan = () => {
  const months = Object.keys(lake.manifest.exposure.by_company_month[COMPANY] ?? {}).sort();
  return {
    first: months[0] as string,
    last: months[months.length - 1] as string,
    months,
    id: `${months[0]}..${months[months.length - 1]}`,
  };
};
const sum = (xs: (number | null)[]) => xs.reduce<number>((a, x) => a + (x ?? 0), 0);
const MODES = ['autonomous', 'manual', 'remote', 'total'] as const;

describe('a quarter is the sum of its three monthly reports', () => {
  it('every month of the quarter has data (the test would prove little otherwise)', () => {
    expect(monthly.map((m) => m.has_data)).toEqual([true, true, true]);
    expect(monthly.every((m) => (m.exposure.km.autonomous.value ?? 0) > 0)).toBe(true);
    expect(sum(monthly.map((m) => m.disengagements.count.value))).toBeGreaterThan(0);
    expect(quarter).toMatchObject({ period: QUARTER, period_kind: 'quarter' });
    expect(quarter.header.period.months).toEqual(MONTHS);
  });

  it('exposure km and hours by mode add up', () => {
    for (const mode of MODES) {
      expect(quarter.exposure.km[mode].value, `km ${mode}`).toBeCloseTo(
        sum(monthly.map((m) => m.exposure.km[mode].value)),
        6,
      );
      expect(quarter.exposure.hours[mode].value, `h ${mode}`).toBeCloseTo(
        sum(monthly.map((m) => m.exposure.hours[mode].value)),
        6,
      );
    }
    expect(quarter.fleet.vehicle_days.value).toBe(sum(monthly.map((m) => m.fleet.vehicle_days.value)));
    // vehicles are counted once, not once a month
    expect(quarter.fleet.vehicles_active.value).toBe(
      new Set(monthly.flatMap((m) => m.exposure.by_vehicle.map((v) => v.vehicle_id))).size,
    );
  });

  it('disengagements, accidents, violations and events add up; incidents are the months’ incidents', () => {
    expect(quarter.disengagements.count.value).toBe(sum(monthly.map((m) => m.disengagements.count.value)));
    expect(quarter.disengagements.logged).toBe(sum(monthly.map((m) => m.disengagements.logged)));
    expect(quarter.accidents.count.value).toBe(sum(monthly.map((m) => m.accidents.count.value)));
    expect(quarter.violations.recorded.value).toBe(sum(monthly.map((m) => m.violations.recorded.value)));
    expect(quarter.violations.speeding.episodes.value).toBe(
      sum(monthly.map((m) => m.violations.speeding.episodes.value)),
    );
    expect(quarter.safety_events.total.value).toBe(sum(monthly.map((m) => m.safety_events.total.value)));
    expect(quarter.system_health.total.value).toBe(sum(monthly.map((m) => m.system_health.total.value)));
    expect(quarter.appendix.incidents.map((i) => i.event_id)).toEqual(
      monthly.flatMap((m) => m.appendix.incidents.map((i) => i.event_id)),
    );
    expect(quarter.appendix.incomplete).toBe(sum(monthly.map((m) => m.appendix.incomplete)));
  });

  it('rates are recomputed from the sums, not summed', () => {
    const n = quarter.disengagements.count.value ?? 0;
    const km = quarter.exposure.km.autonomous.value ?? 0;
    expect(quarter.disengagements.per_1000_km.value).toBeCloseTo((n / km) * 1000, 9);
    expect(quarter.disengagements.km_per_disengagement.value).toBeCloseTo(km / n, 9);
    const summed = sum(monthly.map((m) => m.disengagements.per_1000_km.value));
    expect(Math.abs(summed - (quarter.disengagements.per_1000_km.value ?? 0))).toBeGreaterThan(1e-6);
  });

  it('the month-by-month breakdown shows each monthly report’s figures and sums to the quarter', () => {
    const rows = quarter.months.rows;
    expect(rows.map((r) => r.month)).toEqual(MONTHS);
    rows.forEach((r, i) => {
      const m = monthly[i] as ReportModel;
      expect(r.km.autonomous).toBeCloseTo(m.exposure.km.autonomous.value ?? NaN, 9);
      expect(r.hours.total).toBeCloseTo(m.exposure.hours.total.value ?? NaN, 9);
      expect(r.disengagements).toBe(m.disengagements.count.value);
      expect(r.collisions).toBe(m.accidents.count.value);
      expect(r.violations).toBe(m.violations.recorded.value);
      expect(r.vehicles_active).toBe(m.fleet.vehicles_active.value);
    });
    const t = quarter.months.total;
    for (const k of ['autonomous', 'total'] as (keyof ByMode)[])
      expect(t.km[k]).toBeCloseTo(sum(rows.map((r) => r.km[k])), 9);
    expect(t.disengagements).toBe(sum(rows.map((r) => r.disengagements)));
    expect(t.per_1000_km).toBeCloseTo(quarter.disengagements.per_1000_km.value ?? NaN, 9);
    const csv = renderCsv(quarter, 'months').trim().split('\r\n');
    expect(csv.map((l) => l.split(',')[0])).toEqual(['month', ...MONTHS, QUARTER]);
  });

  it('matches the ground-truth manifest summed over the months', () => {
    const truth = lake.manifest.exposure.by_company_month[COMPANY] ?? {};
    for (const mode of ['autonomous', 'manual', 'remote'] as const) {
      const hours = sum(MONTHS.map((m) => truth[m]?.[mode].hours ?? 0));
      expect(quarter.exposure.hours[mode].value).toBeCloseTo(hours, 4);
    }
  });

  it('compares with the previous quarter: Q2 holds only late June', async () => {
    const june = await buildReport(repo, UNSCOPED, { company: COMPANY, period: '2026-06' });
    expect(june.has_data).toBe(true);
    expect(quarter.header.previous_period).toBe('2026-Q2');
    expect(quarter.exposure.km.autonomous.previous).toBeCloseTo(june.exposure.km.autonomous.value ?? NaN, 6);
    expect(quarter.disengagements.count.previous).toBe(june.disengagements.count.value);
    // the gates' "previous" mark is the end of Q2, i.e. of June
    for (const g of quarter.gates.gates)
      expect(g.previous_progress).toBeCloseTo(june.gates.gates.find((x) => x.id === g.id)?.progress ?? NaN, 9);
  });

  it('renders as a quarterly stage report in both languages, with the months listed', () => {
    const zh = renderHtml(quarter, { lang: 'zh' });
    const en = renderHtml(quarter, { lang: 'en' });
    fs.writeFileSync(path.join(ARTIFACTS, `quarter-${QUARTER}-zh.html`), zh);
    expect(zh).toContain(PERIOD_WORDS.quarter.title.zh);
    expect(zh).toContain(SECTION_TITLES.months.zh);
    expect(zh).toContain('上季度');
    expect(en).toContain(PERIOD_WORDS.quarter.title.en);
    expect(en).toContain(PERIOD_WORDS.quarter.changes.en);
    for (const m of MONTHS) expect(en).toContain(`<td class="id">${m}</td>`);
    expect(en).not.toContain('this month');
  });
});

describe('the quarter as a PDF', () => {
  it('prints the stage report with its months and their total (pdftotext)', async () => {
    const pdf = (await renderReport(quarter, 'pdf', { lang: 'zh' })) as Buffer;
    const file = path.join(ARTIFACTS, `quarter-${QUARTER}-zh.pdf`);
    fs.writeFileSync(file, pdf);
    const squash = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/gu, ' ');
    expect(squash).toContain(PERIOD_WORDS.quarter.title.zh);
    expect(squash).toContain(SECTION_TITLES.months.zh);
    // each month's row and the quarter's: month, autonomous km, …
    for (const r of [...quarter.months.rows, quarter.months.total])
      expect(squash, r.month).toContain(`${r.month} 完整 ${fmtKm(r.km.autonomous)}`);
    expect(squash).toContain(`${QUARTER} 完整 ${fmtKm(quarter.exposure.km.autonomous.value)}`);
    expect(fmtInt(quarter.months.total.disengagements)).toBe(fmtInt(quarter.disengagements.count.value));
  });
});

describe('the whole test', () => {
  it('runs from the first to the last month with data, and sums every month', async () => {
    const p = wholeTestPeriod(repo, UNSCOPED, COMPANY);
    expect(testSpan().first).toBe('2026-06');
    expect(p?.id).toBe(testSpan().id);
    const test = await buildReport(repo, UNSCOPED, { company: COMPANY, period: p ?? '' });
    const truth = lake.manifest.exposure.by_company_month[COMPANY] ?? {};
    for (const mode of ['autonomous', 'manual', 'remote'] as const) {
      expect(test.exposure.hours[mode].value).toBeCloseTo(sum(Object.values(truth).map((x) => x[mode].hours)), 4);
    }
    // nothing before the first data to compare with
    expect(test.changes.previous_has_data).toBe(false);
    expect(test.months.rows.map((r) => r.month)).toEqual(testSpan().months);
    const html = renderHtml(test, { lang: 'zh' });
    expect(html).toContain(PERIOD_WORDS.range.title.zh);
    expect(html).toContain('上期无数据');
  });
});

describe('GET /api/reports for quarters and whole tests', () => {
  it('lists months, quarters and each whole test', async () => {
    const r = await app.inject('/api/reports');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json<{
      reports: { company: string; period: string; kind: string; month?: string; links: Record<string, string> }[];
    }>();
    const keys = body.reports.map((x) => `${x.company}/${x.period}/${x.kind}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'all/2026-Q3/quarter',
        'plzx/2026-Q3/quarter',
        'plzx/2026-Q2/quarter',
        `plzx/${testSpan().id}/range`,
        'plzx/2026-07/month',
      ]),
    );
    expect(keys.filter((k) => k.startsWith(`${COMPANY}/`) && k.endsWith('/range'))).toEqual([
      `${COMPANY}/${testSpan().id}/range`,
    ]);
    expect(body.reports.find((x) => x.period === '2026-07')?.month).toBe('2026-07');
    expect(body.reports.find((x) => x.company === COMPANY && x.period === QUARTER)?.links.html_en).toBe(
      `/api/reports/${COMPANY}/${QUARTER}?format=html&lang=en`,
    );
    const quarters = await app.inject('/api/reports?kind=quarter');
    expect(quarters.json<{ reports: { kind: string }[] }>().reports.every((x) => x.kind === 'quarter')).toBe(true);
  });

  it('serves a quarter, a span and the whole test', async () => {
    const q = await app.inject(`/api/reports/${COMPANY}/${QUARTER}?format=json`);
    expect(q.statusCode, q.body).toBe(200);
    expect(q.json<{ report: ReportModel }>().report.fingerprint.sha256).toBe(quarter.fingerprint.sha256);
    const span = await app.inject(`/api/reports/${COMPANY}/2026-08..2026-09?format=html&lang=zh`);
    expect(span.statusCode, span.body).toBe(200);
    expect(span.body).toContain(PERIOD_WORDS.range.title.zh);
    const test = await app.inject(`/api/reports/${COMPANY}/test?format=json`);
    expect(test.json<{ report: ReportModel }>().report.period).toBe(testSpan().id);
    const pdfName = await app.inject(`/api/reports/${COMPANY}/2026-08..2026-09?format=csv&table=months`);
    expect(pdfName.headers['content-disposition']).toContain(`avlog-report-${COMPANY}-2026-08_2026-09-months.csv`);
  });

  for (const url of [
    '/api/reports/plzx/2026-Q5',
    '/api/reports/plzx/2026-09..2026-08',
    '/api/reports/plzx/2026-07..',
    '/api/reports/plzx/Q3',
    '/api/reports/plzx/1990-01..2026-12',
    '/api/reports/plzx/0099-01',
    '/api/reports/plzx/0999-Q4',
    '/api/reports/plzx/0099-01..0099-02',
  ]) {
    it(`answers ${url} with a 400 naming the period`, async () => {
      const r = await app.inject(url);
      expect(r.statusCode, r.body).toBe(400);
      expect(r.json<{ error: { parameter?: string } }>().error.parameter).toBe('period');
    });
  }

  it('answers a quarter without data with 404', async () => {
    expect((await app.inject(`/api/reports/${COMPANY}/2025-Q1`)).statusCode).toBe(404);
  });

  it('answers the first month and quarter it accepts (whose previous period is before 1970) with 404, not an error', async () => {
    for (const p of ['1970-01', '1970-Q1', '1970-01..1970-02'])
      expect((await app.inject(`/api/reports/${COMPANY}/${p}`)).statusCode, p).toBe(404);
  });
});

describe('avlog report --quarter / --from --to / --test', () => {
  it('writes the quarter (a real CLI run) with the same figures', async () => {
    const out = path.join(ARTIFACTS, 'cli-quarter.json');
    const r = await runCli([
      'report',
      '--data',
      lake.dataDir,
      '--company',
      COMPANY,
      '--quarter',
      QUARTER,
      '--format',
      'json',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`fingerprint sha256:${quarter.fingerprint.sha256}`);
    const model = (JSON.parse(fs.readFileSync(out, 'utf8')) as { report: ReportModel }).report;
    expect(model.disengagements.count.value).toBe(quarter.disengagements.count.value);
  });

  it('writes a span and the whole test, and refuses ambiguous or malformed periods', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const stdout = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const span = path.join(ARTIFACTS, 'cli-span.json');
      expect(
        await main([
          'report',
          '--data',
          lake.dataDir,
          '--company',
          COMPANY,
          '--from',
          '2026-08',
          '--to',
          '2026-09',
          '--format',
          'json',
          '--out',
          span,
        ]),
      ).toBe(0);
      expect((JSON.parse(fs.readFileSync(span, 'utf8')) as { report: ReportModel }).report.period).toBe(
        '2026-08..2026-09',
      );
      const test = path.join(ARTIFACTS, 'cli-test.json');
      expect(
        await main([
          'report',
          '--data',
          lake.dataDir,
          '--company',
          COMPANY,
          '--test',
          '--format',
          'json',
          '--out',
          test,
        ]),
      ).toBe(0);
      expect((JSON.parse(fs.readFileSync(test, 'utf8')) as { report: ReportModel }).report.period).toBe(testSpan().id);
      const open = path.join(ARTIFACTS, 'cli-open.json');
      expect(
        await main([
          'report',
          '--data',
          lake.dataDir,
          '--company',
          COMPANY,
          '--from',
          '2026-09',
          '--format',
          'json',
          '--out',
          open,
        ]),
      ).toBe(0);
      expect((JSON.parse(fs.readFileSync(open, 'utf8')) as { report: ReportModel }).report.period).toBe(
        `2026-09..${testSpan().last}`,
      );
      for (const args of [
        ['--month', '2026-09', '--quarter', QUARTER],
        ['--quarter', '2026-Q0'],
        ['--from', '2026-09', '--to', '2026-08'],
        ['--quarter', QUARTER, '--test'],
        [],
      ]) {
        expect(await main(['report', '--data', lake.dataDir, '--company', COMPANY, ...args]), args.join(' ')).toBe(2);
      }
    } finally {
      stderr.mockRestore();
      stdout.mockRestore();
    }
  });
});
