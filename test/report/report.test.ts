import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { PROXY_AUTH } from '../helpers/auth.js';
import { incidentDetail } from '../../services/lake/incidents/detail.js';
import { searchIncidents } from '../../services/lake/incidents/search.js';
import { LakeDb } from '../../services/lake/lake-db.js';
import { LakeRepository } from '../../services/lake/repository.js';
import { UNSCOPED } from '../../services/lake/scope.js';
import { disengagements } from '../../services/lake/metrics/disengagements.js';
import { eventCounts } from '../../services/lake/metrics/event-counts.js';
import { exposure } from '../../services/lake/metrics/exposure.js';
import { buildReport } from '../../services/report/build.js';
import { fmtInt, fmtKm, fmtNum } from '../../services/report/format.js';
import { SECTION_TITLES } from '../../services/report/i18n.js';
import { SECTION_IDS, type ReportModel } from '../../services/report/model.js';
import { renderCsv } from '../../services/report/render-csv.js';
import { renderHtml } from '../../services/report/render-html.js';
import { renderJson } from '../../services/report/render-json.js';
import { renderReport } from '../../services/report/render.js';
import { RECORDABLE_KINDS } from '../../services/vocabulary/event-kinds.js';
import { reportTables } from '../../services/report/tables.js';
import { main } from '../../services/cli/main.js';
import { runCli } from '../helpers/cli.js';
import { reportLake, type ReportLake } from './report-fixture.js';

const COMPANY = 'plzx';
const MONTH = '2026-09';
const localMonth = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 7);

let lake: ReportLake;
let db: LakeDb;
let repo: LakeRepository;
let report: ReportModel;
let app: FastifyInstance;
/** The same lake behind `--auth proxy`: x-avlog-* headers name the caller. */
let proxied: FastifyInstance;
const ARTIFACTS = path.resolve(import.meta.dirname, '../../test-artifacts/report');

beforeAll(async () => {
  lake = await reportLake();
  db = await LakeDb.open(lake.dataDir, { threads: 2 });
  repo = new LakeRepository(db);
  report = await buildReport(repo, UNSCOPED, { company: COMPANY, period: MONTH });
  app = await buildApp({ dataDir: lake.dataDir });
  proxied = await buildApp({ dataDir: lake.dataDir, auth: PROXY_AUTH });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await app?.close();
  await proxied?.close();
  db?.close();
  lake?.cleanup();
});

/** The manifest's events of the company and month. */
function truth() {
  return lake.manifest.events.filter((e) => e.company_id === COMPANY && localMonth(e.ts) === MONTH);
}

function countBy<T>(xs: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[key(x)] = (out[key(x)] ?? 0) + 1;
  return out;
}

describe('golden monthly report of the demo fleet against the ground-truth manifest', () => {
  it('exposure by mode equals the manifest for the company-month and the previous month', () => {
    const m = lake.manifest.exposure.by_company_month[COMPANY]?.[MONTH];
    const p = lake.manifest.exposure.by_company_month[COMPANY]?.['2026-08'];
    expect(m && p).toBeTruthy();
    for (const mode of ['autonomous', 'manual', 'remote'] as const) {
      const km = report.exposure.km[mode];
      // km from the logged speed (3 decimals in files), as the metrics test allows
      expect(Math.abs((km.value ?? NaN) - (m?.[mode].km_speed ?? NaN))).toBeLessThanOrEqual(
        0.005 + 1e-3 * (km.value ?? 0),
      );
      expect(report.exposure.hours[mode].value).toBeCloseTo(m?.[mode].hours ?? NaN, 4);
      expect(Math.abs((km.previous ?? NaN) - (p?.[mode].km_speed ?? NaN))).toBeLessThanOrEqual(
        0.005 + 1e-3 * (km.previous ?? 0),
      );
      expect(report.exposure.hours[mode].previous).toBeCloseTo(p?.[mode].hours ?? NaN, 4);
    }
    const e = report.exposure.km.autonomous;
    expect(e.delta).toBeCloseTo((e.value ?? 0) - (e.previous ?? 0), 9);
  });

  it('collisions by severity, disengagements by initiator and the incident appendix match the manifest', () => {
    const t = truth();
    const collisions = t.filter((e) => e.kind === 'collision');
    const bySeverity = Object.fromEntries(
      report.accidents.by_severity.filter((r) => r.count > 0).map((r) => [r.key, r.count]),
    );
    expect(bySeverity).toEqual(countBy(collisions, (e) => e.severity ?? 'unspecified'));
    expect(report.accidents.count.value).toBe(collisions.length);

    const dis = t.filter((e) => e.kind === 'disengagement');
    const logged = dis.filter((e) => e.logged);
    expect(report.disengagements.count.value).toBe(dis.length);
    expect(report.disengagements.logged).toBe(logged.length);
    expect(report.disengagements.detected_only).toBe(dis.length - logged.length);
    const byInitiator = Object.fromEntries(
      report.disengagements.by_initiator.filter((r) => r.key !== 'unknown' && r.count > 0).map((r) => [r.key, r.count]),
    );
    expect(byInitiator).toEqual(countBy(logged, (e) => e.initiator ?? 'unknown'));

    const recordable = t.filter((e) => (RECORDABLE_KINDS as readonly string[]).includes(e.kind));
    expect(report.appendix.incidents.length).toBe(recordable.length);
    expect(countBy(report.appendix.incidents, (i) => i.kind)).toEqual(countBy(recordable, (e) => e.kind));
  });

  it('agrees with the metrics functions it summarises (exposure, disengagements, event counts)', async () => {
    const filter = { company: [COMPANY], from: report.header.period.from, to: report.header.period.to };
    const [exp] = await exposure(repo, UNSCOPED, [], filter);
    for (const mode of ['autonomous', 'manual', 'remote', 'total'] as const) {
      expect(report.exposure.km[mode].value).toBeCloseTo(exp?.km[mode] ?? NaN, 6);
      expect(report.exposure.hours[mode].value).toBeCloseTo(exp?.hours[mode] ?? NaN, 6);
    }
    const [dis] = await disengagements(repo, UNSCOPED, [], filter);
    expect(report.disengagements.count.value).toBe(dis?.count);
    expect(report.disengagements.per_1000_km.value).toBeCloseTo(dis?.per_1000_km ?? NaN, 6);
    const [ev] = await eventCounts(repo, UNSCOPED, [], filter);
    for (const row of report.safety_events.rows) expect(row.count, row.kind).toBe(ev?.by_kind[row.kind]?.count ?? 0);
    for (const row of report.system_health.rows) expect(row.count, row.kind).toBe(ev?.by_kind[row.kind]?.count ?? 0);
  });

  it('flags incomplete windows exactly as incidentDetail does, and places each incident in the mode the ASOF join finds', async () => {
    const found = await searchIncidents(repo, UNSCOPED, {
      company: [COMPANY],
      from: report.header.period.from,
      to: report.header.period.to,
      sort: 'ts',
      limit: 5000,
    });
    const modes = new Map(found.items.map((i) => [i.event_id, i.mode]));
    for (const i of report.appendix.incidents) expect(i.mode, `${i.kind} ${i.local_time}`).toBe(modes.get(i.event_id));
    // every incomplete record, and a spread of complete ones (one incidentDetail query each)
    const incomplete = report.appendix.incidents.filter((i) => !i.window?.complete);
    expect(incomplete.length).toBeGreaterThan(0);
    const sample = [
      ...incomplete,
      ...report.appendix.incidents.filter((i) => i.window?.complete).filter((_, k) => k % 6 === 0),
    ];
    for (const i of sample) {
      const d = await incidentDetail(repo, UNSCOPED, i.event_id, report.thresholds.window);
      expect(i.window?.complete, `${i.kind} ${i.local_time}`).toBe(d?.window.complete);
    }
    expect(report.appendix.incomplete).toBe(incomplete.length);
    expect(report.data_compliance.windows.incomplete).toBe(incomplete.length);
  });

  it('reads the fleet reference: plates, permits, driverless vehicles and officers', () => {
    const fleet = JSON.parse(fs.readFileSync(lake.fleetFile, 'utf8')) as {
      companies: { id: string; permits: { number: string }[]; safety_officers: unknown[] }[];
      vehicles: { id: string; company_id: string; plate: string }[];
    };
    const vehicles = fleet.vehicles.filter((v) => v.company_id === COMPANY);
    expect(report.header.vehicles.map((v) => [v.vehicle_id, v.plate])).toEqual(vehicles.map((v) => [v.id, v.plate]));
    expect(report.header.permits?.map((p) => p.number)).toEqual(
      fleet.companies.find((c) => c.id === COMPANY)?.permits.map((p) => p.number),
    );
    expect(report.fleet.officers?.total).toBe(fleet.companies.find((c) => c.id === COMPANY)?.safety_officers.length);
    expect(report.fleet.vehicles_registered).toBe(vehicles.length);
    expect(report.header.fleet_reference).toBe('fleet.json');
  });

  it('carries a fingerprint of its inputs that is stable and changes with the thresholds', async () => {
    expect(report.fingerprint.sha256).toMatch(/^[0-9a-f]{64}$/u);
    expect(report.fingerprint.source_sha256s.every((s) => /^[0-9a-f]{64}$/u.test(s))).toBe(true);
    const again = await buildReport(repo, UNSCOPED, { company: COMPANY, period: MONTH });
    expect(again.fingerprint).toEqual(report.fingerprint);
    const stricter = await buildReport(repo, UNSCOPED, {
      company: COMPANY,
      period: MONTH,
      thresholds: { positionHz: 2 },
    });
    expect(stricter.fingerprint.sha256).not.toBe(report.fingerprint.sha256);
    expect(stricter.fingerprint.source_sha256s).toEqual(report.fingerprint.source_sha256s);
    // every catalog entry whose files hold rows of this company up to the month's end
    const catalog = fs.readdirSync(path.join(lake.dataDir, 'catalog', 'sources')).map(
      (f) =>
        JSON.parse(fs.readFileSync(path.join(lake.dataDir, 'catalog', 'sources', f), 'utf8')) as {
          sha256: string;
          files: string[];
        },
    );
    const expected = catalog
      .filter((c) =>
        c.files.some(
          (f) =>
            f.includes(`company=${COMPANY}/`) &&
            (/date=(\d{4}-\d{2}-\d{2})/u.exec(f)?.[1] ?? '9') <= report.header.period.lastDate,
        ),
      )
      .map((c) => c.sha256);
    expect(report.fingerprint.source_sha256s).toEqual([...new Set(expected)].sort());
  });

  it('builds the fleet-wide report with every company', async () => {
    const all = await buildReport(repo, UNSCOPED, { company: 'all', period: MONTH });
    expect(all.header.scope).toBe('fleet');
    expect(all.header.company_summary.map((c) => c.company_id)).toEqual(['nlzj', 'plzx']);
    const total = Object.values(lake.manifest.exposure.by_company_month).reduce(
      (a, months) => a + (months[MONTH]?.autonomous.hours ?? 0),
      0,
    );
    expect(all.exposure.hours.autonomous.value).toBeCloseTo(total, 3);
    expect(all.gates.gates.length).toBe(2 * all.thresholds.gates.length);
  });
});

describe('renderings', () => {
  it('HTML has all twelve section headings in both languages and is self-contained', () => {
    for (const lang of ['zh', 'en'] as const) {
      const html = renderHtml(report, { lang });
      fs.writeFileSync(path.join(ARTIFACTS, `report-${lang}.html`), html);
      for (const id of SECTION_IDS) {
        expect(html, `${lang} ${id}`).toContain(SECTION_TITLES[id].zh);
        expect(html, `${lang} ${id}`).toContain(SECTION_TITLES[id].en);
      }
      expect(html).toContain(SECTION_TITLES.appendix[lang]);
      expect(html).not.toMatch(/<script|<link|src="http|href="http|url\(/iu);
      expect(html).toContain(report.fingerprint.sha256);
      expect(html).toContain('<svg class="map"');
    }
  });

  it('CSV and JSON contain every table', () => {
    const ids = reportTables(report).map((t) => t.id);
    expect(ids.length).toBeGreaterThan(30);
    const csv = renderCsv(report);
    for (const id of ids) expect(csv).toContain(`# table: ${id} — `);
    const exposureCsv = renderCsv(report, 'exposure.by_vehicle').split('\r\n');
    expect(exposureCsv[0]?.split(',')).toContain('km_autonomous');
    expect(exposureCsv.filter(Boolean).length).toBe(1 + report.exposure.by_vehicle.length);
    const json = JSON.parse(renderJson(report)) as { report: ReportModel; tables: Record<string, { rows: unknown[] }> };
    expect(Object.keys(json.tables)).toEqual(ids);
    expect(json.report.fingerprint.sha256).toBe(report.fingerprint.sha256);
    expect(json.tables['appendix.incidents']?.rows.length).toBe(report.appendix.incidents.length);
    expect(() => renderCsv(report, 'nope')).toThrow(/exposure\.by_vehicle/u);
  });

  it('prints a PDF whose text (pdftotext) has the sections and the key figures', async () => {
    const pdf = (await renderReport(report, 'pdf', { lang: 'en' })) as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const file = path.join(ARTIFACTS, 'report-en.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    for (const id of SECTION_IDS) expect(text, id).toContain(SECTION_TITLES[id].en);
    const squash = text.replace(/\s+/gu, ' ');
    const e = report.exposure;
    // the "By driving mode" table and the month-over-month table, as printed
    expect(squash).toContain(`autonomous ${fmtKm(e.km.autonomous.value)} ${fmtKm(e.km.autonomous.previous)}`);
    expect(squash).toContain(
      `autonomous km km ${fmtNum(e.km.autonomous.value, 2)} ${fmtNum(e.km.autonomous.previous, 2)}`,
    );
    expect(squash).toContain(
      `autonomous hours h ${fmtNum(e.hours.autonomous.value, 2)} ${fmtNum(e.hours.autonomous.previous, 2)}`,
    );
    const d = report.disengagements.count;
    expect(squash).toContain(`disengagements ${fmtInt(d.value)} ${fmtInt(d.previous)}`);
    const c = report.accidents.count;
    expect(squash).toContain(`collisions ${fmtInt(c.value)} ${fmtInt(c.previous)}`);
    expect(squash).toContain(`Appendix: incidents (${report.appendix.incidents.length})`);
    expect(squash).toContain(report.fingerprint.sha256);
    // the same figures as the manifest, as printed
    const m = lake.manifest.exposure.by_company_month[COMPANY]?.[MONTH];
    expect(fmtKm(report.exposure.km.autonomous.value)).toBe(fmtKm(m?.autonomous.km_speed));
    expect(fmtKm(report.exposure.hours.autonomous.value)).toBe(fmtKm(m?.autonomous.hours));
  });
});

describe('the Chinese monthly report as printed', () => {
  it('pdftotext has no snake_case code, a Beijing-time stamp, no path and no JSON', async () => {
    const pdf = (await renderReport(report, 'pdf', { lang: 'zh' })) as Buffer;
    const file = path.join(ARTIFACTS, 'report-zh.pdf');
    fs.writeFileSync(file, pdf);
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    expect(text.match(/[A-Za-z0-9]+_[A-Za-z0-9_]+/gu)).toBeNull();
    expect(text).toMatch(/生成时间\s+\d{4}-\d\d-\d\d \d\d:\d\d 北京时间/u);
    expect(text).not.toContain(path.dirname(lake.dataDir));
    expect(text).not.toMatch(/[{}]/u);
    expect(text).toContain('指标定义与数据来源');
  });
});

describe('GET /api/reports', () => {
  it('lists companies × months with links, as JSON and as an HTML page', async () => {
    const r = await app.inject('/api/reports');
    expect(r.statusCode, r.body).toBe(200);
    const body = r.json<{ reports: { company: string; month: string; links: Record<string, string> }[] }>();
    const keys = body.reports.map((x) => `${x.company}/${x.month}`);
    expect(keys).toEqual(expect.arrayContaining(['all/2026-09', 'plzx/2026-09', 'nlzj/2026-09', 'plzx/2026-08']));
    expect(body.reports.find((x) => x.company === 'plzx')?.links.pdf_en).toBe(
      '/api/reports/plzx/2026-09?format=pdf&lang=en',
    );
    const page = await app.inject('/api/reports?format=html');
    expect(page.headers['content-type']).toMatch(/^text\/html/u);
    expect(page.body).toContain('href="/api/reports/plzx/2026-09?format=html&amp;lang=zh"');
  });

  it('serves one report as JSON, HTML and CSV with its fingerprint', async () => {
    const j = await app.inject(`/api/reports/${COMPANY}/${MONTH}?format=json`);
    expect(j.statusCode, j.body).toBe(200);
    const body = j.json<{ report: ReportModel }>();
    expect(body.report.fingerprint.sha256).toBe(report.fingerprint.sha256);
    expect(j.headers['x-avlog-fingerprint']).toBe(report.fingerprint.sha256);
    const h = await app.inject(`/api/reports/${COMPANY}/${MONTH}?lang=en`);
    expect(h.headers['content-type']).toMatch(/^text\/html/u);
    expect(h.body).toContain(SECTION_TITLES.changes.en);
    const c = await app.inject(`/api/reports/${COMPANY}/${MONTH}?format=csv&table=accidents.list`);
    expect(c.headers['content-type']).toMatch(/^text\/csv/u);
    expect(c.headers['content-disposition']).toContain('attachment');
    expect(c.body.split('\r\n').filter(Boolean).length).toBe(1 + report.accidents.list.length);
  });

  const bad: [string, string][] = [
    ['/api/reports/plzx/2026-13', 'period'],
    ['/api/reports/plzx/Sept', 'period'],
    ['/api/reports/pl%20zx/2026-09', 'company'],
    ['/api/reports/plzx/2026-09?format=docx', 'format'],
    ['/api/reports/plzx/2026-09?lang=fr', 'lang'],
    ['/api/reports/plzx/2026-09?format=csv&table=nope', 'table'],
    ['/api/reports/plzx/2026-09?format=json&table=exposure.by_vehicle', 'table'],
    ['/api/reports/plzx/2026-09?colour=red', 'colour'],
    ['/api/reports?format=pdf', 'format'],
  ];
  for (const [url, parameter] of bad) {
    it(`answers ${url} with a 400 naming ${parameter}`, async () => {
      const r = await app.inject(url);
      expect(r.statusCode, r.body).toBe(400);
      const e = r.json<{ error: { parameter?: string; message: string } }>().error;
      expect(e.parameter).toBe(parameter);
      expect(e.message).toContain(parameter);
    });
  }

  it('answers a month without data, and another company for a scoped caller, with 404', async () => {
    expect((await app.inject('/api/reports/plzx/2025-01')).statusCode).toBe(404);
    expect(
      (
        await proxied.inject({
          url: `/api/reports/${COMPANY}/${MONTH}?format=json`,
          headers: { 'x-avlog-company': 'nlzj' },
        })
      ).statusCode,
    ).toBe(404);
    const own = await proxied.inject({
      url: `/api/reports/nlzj/${MONTH}?format=json`,
      headers: { 'x-avlog-company': 'nlzj' },
    });
    expect(own.statusCode).toBe(200);
    const list = await proxied.inject({ url: '/api/reports', headers: { 'x-avlog-company': 'nlzj' } });
    expect(list.json<{ reports: { company: string }[] }>().reports.every((x) => x.company === 'nlzj')).toBe(true);
  });
});

describe('avlog report', () => {
  it('writes the report as JSON (a real CLI run)', async () => {
    const out = path.join(ARTIFACTS, 'cli.json');
    const r = await runCli([
      'report',
      '--data',
      lake.dataDir,
      '--company',
      COMPANY,
      '--month',
      MONTH,
      '--format',
      'json',
      '--out',
      out,
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`fingerprint sha256:${report.fingerprint.sha256}`);
    expect(
      (JSON.parse(fs.readFileSync(out, 'utf8')) as { report: ReportModel }).report.exposure.km.autonomous.value,
    ).toBeCloseTo(report.exposure.km.autonomous.value ?? NaN, 9);
  });

  it('writes one CSV file per table into a folder, and refuses bad arguments', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const dir = path.join(ARTIFACTS, 'csv') + path.sep;
      fs.rmSync(dir, { recursive: true, force: true });
      expect(
        await main([
          'report',
          '--data',
          lake.dataDir,
          '--company',
          COMPANY,
          '--month',
          MONTH,
          '--format',
          'csv',
          '--out',
          dir,
        ]),
      ).toBe(0);
      expect(fs.readdirSync(dir).length).toBe(reportTables(report).length);
      for (const args of [
        ['--month', MONTH],
        ['--company', COMPANY, '--month', '2026-9'],
        ['--company', COMPANY, '--month', MONTH, '--format', 'docx'],
        ['--company', COMPANY, '--month', MONTH, '--table', 'exposure.by_vehicle'],
      ]) {
        expect(await main(['report', '--data', lake.dataDir, ...args]), args.join(' ')).toBe(2);
      }
      expect(
        await main(['report', '--data', lake.dataDir, '--company', COMPANY, '--month', '2025-01', '--format', 'json']),
      ).toBe(1);
      expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toContain('no telemetry or events');
    } finally {
      stderr.mockRestore();
    }
  });
});
