import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportList } from '../../services/api/routes/reports.js';
import { buildApp } from '../../services/api/app.js';
import { PERIOD_WORDS } from '../../services/report/i18n.js';
import { reportLake, type ReportLake } from '../report/report-fixture.js';
import { artifact, ensureWebBuild, launchChromium, ROOT } from './browser.js';

/** The web app's reports page (web/reports.html) in real Chromium over a small demo lake: September and October 2026. */
let lake: ReportLake;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
let list: ReportList['reports'];
const problems: string[] = [];

beforeAll(async () => {
  [lake] = await Promise.all([
    reportLake({ start: '2026-09-22', days: 14, drivesPerDay: 0.4, hz: 2 }),
    ensureWebBuild(),
  ]);
  // a build from before the reports page had its entry
  if (!fs.existsSync(path.join(ROOT, 'web', 'dist', 'reports.html'))) {
    const { build } = await import('vite');
    await build({ configFile: path.join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn' });
  }
  app = await buildApp({ dataDir: lake.dataDir });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  list = (await app.inject('/api/reports')).json<ReportList>().reports;
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(60_000);
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
  lake?.cleanup();
});

describe('the reports page', () => {
  it('lists every company × period of the lake with links to each rendering', async () => {
    expect(list.some((r) => r.kind === 'month')).toBe(true);
    await page.goto(`${base}/reports.html`);
    await page.waitForSelector('section[data-kind="month"] tbody tr');
    // every row the API lists is a cell of the page, with its six links
    const cells = await page.$$eval('td[data-company]', (tds) =>
      tds.map((td) => ({
        period: td.closest('tr')?.getAttribute('data-period') ?? '',
        company: td.getAttribute('data-company') ?? '',
        kind: td.closest('section')?.getAttribute('data-kind') ?? '',
        hrefs: Array.from(td.querySelectorAll('a'), (a) => a.getAttribute('href')),
      })),
    );
    expect(cells.map((c) => `${c.kind}/${c.period}/${c.company}`).sort()).toEqual(
      list.map((r) => `${r.kind}/${r.period}/${r.company}`).sort(),
    );
    for (const r of list) {
      const c = cells.find((x) => x.kind === r.kind && x.period === r.period && x.company === r.company);
      expect(c?.hrefs).toEqual([
        r.links.html_zh,
        r.links.html_en,
        r.links.pdf_zh,
        r.links.pdf_en,
        r.links.csv,
        r.links.json,
      ]);
    }
    // the demo lake: both companies and the fleet, September and October, their quarter and the whole test
    const months = await page.$$eval('section[data-kind="month"] tbody tr', (trs) =>
      trs.map((tr) => tr.getAttribute('data-period')),
    );
    expect(months).toEqual(['2026-10', '2026-09']);
    const companies = await page.$$eval('section[data-kind="month"] thead th[data-company]', (ths) =>
      ths.map((th) => th.getAttribute('data-company')),
    );
    expect(companies).toEqual(['all', ...Object.keys(lake.manifest.exposure.by_company_month).sort()]);
    expect(
      await page.$$eval('section[data-kind="quarter"] tbody tr', (trs) =>
        trs.map((tr) => tr.getAttribute('data-period')),
      ),
    ).toEqual(['2026-Q4', '2026-Q3']);
    expect(
      await page.$$eval('section[data-kind="range"] tbody tr', (trs) =>
        trs.map((tr) => tr.getAttribute('data-period')),
      ),
    ).toEqual(['2026-09..2026-10']);
    expect(await page.getAttribute('a.map-link', 'href')).toBe('/');
    await page.screenshot({ path: artifact('reports-page.png'), fullPage: true });
    expect(problems).toEqual([]);
  });

  it('switches to Chinese as the map does (?lang=zh)', async () => {
    await page.click('button.lang');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-CN');
    expect(new URL(page.url()).searchParams.get('lang')).toBe('zh');
    expect(await page.textContent('h1')).toBe('道路测试报告');
    expect(await page.textContent('section[data-kind="quarter"] h2')).toBe('季度阶段报告');
    expect(await page.getAttribute('a.map-link', 'href')).toBe('/?lang=zh');
    // and a fresh load with ?lang=zh stays Chinese
    await page.reload();
    await page.waitForSelector('section[data-kind="month"] tbody tr');
    expect(await page.textContent('h1')).toBe('道路测试报告');
  });

  it('follows a quarter’s HTML link to the report itself', async () => {
    const q = list.find((r) => r.kind === 'quarter' && r.company !== 'all');
    expect(q).toBeDefined();
    const link = page.locator(
      `section[data-kind="quarter"] tr[data-period="${q?.period}"] td[data-company="${q?.company}"] a[href="${q?.links.html_en}"]`,
    );
    const [report] = await Promise.all([page.waitForEvent('popup'), link.click()]);
    await report.waitForLoadState();
    expect(report.url()).toBe(`${base}${q?.links.html_en}`);
    expect(await report.textContent('h1')).toBe(PERIOD_WORDS.quarter.title.en);
    expect(await report.title()).toContain(q?.period);
    expect(await report.$$eval('section[id^="s-"] h2', (hs) => hs.length)).toBeGreaterThanOrEqual(12);
    await report.close();
    expect(problems).toEqual([]);
  });
});
