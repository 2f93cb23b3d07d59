import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { seededLake, type SeededLake } from '../api/fleet-fixture.js';
import { artifact, ensureWebBuild, launchChromium } from './browser.js';

/** The list's hook (web/src/map-app.ts `testHooks`). */
const loadedCount = () => (window as unknown as { __avlog?: { listLoaded(): number } }).__avlog?.listLoaded() ?? 0;

let lake: SeededLake;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
const problems: string[] = [];

beforeAll(async () => {
  [lake] = await Promise.all([seededLake(), ensureWebBuild()]);
  app = await buildApp({ dataDir: lake.dataDir });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(120_000);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => m.type() === 'error' && problems.push(`console.error: ${m.text()}`));
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  lake?.cleanup();
});

/** Waits for the list to draw a page after `action` (a navigation starts a new page, whose count starts at 0). */
async function listed(action: () => Promise<unknown>, navigates = false): Promise<void> {
  const before = navigates ? 0 : await page.evaluate(loadedCount);
  await action();
  await page.waitForFunction(
    (n) => ((window as unknown as { __avlog?: { listLoaded(): number } }).__avlog?.listLoaded() ?? 0) > n,
    before,
    { polling: 100 },
  );
}

const rowIds = () => page.$$eval('#incident-list tbody tr', (rows) => rows.map((r) => r.getAttribute('data-incident')));
const peaks = () =>
  page.$$eval('#incident-list tbody tr td.num', (cells) => cells.map((c) => Math.abs(Number(c.textContent))));

describe('the incident list beside the map', { timeout: 300_000 }, () => {
  it('lists the worst harsh brakes first, with the total, from a link', async () => {
    await listed(() => page.goto(`${base}/?list=1&kind=harsh_brake&sort=-peak`), true);
    const ids = await rowIds();
    expect(ids.length).toBeGreaterThan(1);
    const p = await peaks();
    expect(p).toEqual([...p].sort((a, b) => b - a));
    const api = (await app.inject('/api/incidents?kind=harsh_brake&sort=-peak&limit=20')).json<{
      items: { event_id: string }[];
      total: number;
    }>();
    expect(ids).toEqual(api.items.map((i) => i.event_id));
    expect(await page.textContent('[data-testid=list-total]')).toContain(`${api.total} incidents`);
    expect(await page.textContent('#incident-list thead')).toContain('Beijing time');
    await page.screenshot({ path: artifact('list-01-worst-brakes.png') });
  });

  it('re-sorts from the control and keeps the sort in the URL', async () => {
    await listed(() => page.selectOption('select[name=sort]', 'ts'));
    expect(new URL(page.url()).searchParams.get('sort')).toBe('ts');
    const times = await page.$$eval('#incident-list tbody td.time', (c) => c.map((x) => x.textContent ?? ''));
    expect(times).toEqual([...times].sort());
  });

  it('opens the incident of a chosen row: the panel shows it and the map flies there', async () => {
    const ids = await rowIds();
    const id = ids[1] ?? '';
    const before = new URL(page.url()).searchParams.get('v');
    await page.click(`#incident-list tr[data-incident="${id}"]`);
    await page.waitForFunction(
      (x) => document.querySelector('#incident-panel')?.getAttribute('data-incident') === x,
      id,
    );
    await page.waitForFunction((x) => new URLSearchParams(location.search).get('incident') === x, id);
    await page.waitForFunction((b) => new URLSearchParams(location.search).get('v') !== b, before);
    const detail = (await app.inject(`/api/incidents/${id}`)).json<{ incident: { lon: number; lat: number } }>();
    const [lon, lat] = (new URL(page.url()).searchParams.get('v') ?? '').split(',').map(Number);
    expect(Math.abs((lon ?? 0) - detail.incident.lon)).toBeLessThan(1e-3);
    expect(Math.abs((lat ?? 0) - detail.incident.lat)).toBeLessThan(1e-3);
    expect(await page.getAttribute(`#incident-list tr[data-incident="${id}"]`, 'class')).toBe('selected');
    await page.screenshot({ path: artifact('list-02-selected.png') });
  });

  it('triages the open incident from its panel: status, owner and a note, kept by the API', async () => {
    const id = (await page.getAttribute('#incident-panel', 'data-incident')) ?? '';
    await page.waitForSelector('#incident-panel select[name=triage-status]');
    await page.selectOption('#incident-panel select[name=triage-status]', 'false_positive');
    await page.fill('#incident-panel input[name=triage-owner]', 'li.wei');
    await page.fill('#incident-panel textarea[name=triage-note]', 'pothole, not a brake');
    await page.click('[data-control=triage-save]');
    await page.waitForSelector('#incident-panel .triage-history li');
    expect(await page.textContent('#incident-panel .triage-history')).toContain('pothole, not a brake');
    expect(await page.textContent('#incident-panel .triage-history')).toContain('Beijing time');
    const t = (await app.inject(`/api/incidents/${id}/triage`)).json<{ status: string; owner: string }>();
    expect(t).toMatchObject({ status: 'false_positive', owner: 'li.wei' });
    const listed = (await app.inject('/api/incidents?triage_status=false_positive')).json<{
      items: { event_id: string }[];
    }>();
    expect(listed.items.map((i) => i.event_id)).toEqual([id]);
    await page.screenshot({ path: artifact('list-03-triage.png') });
  });

  it('pages with a cursor the URL keeps, so a link reopens the same page', async () => {
    await listed(() => page.goto(`${base}/?list=1`), true);
    const first = await rowIds();
    expect(first.length).toBe(20);
    await listed(() => page.click('[data-control=list-next]'));
    const second = await rowIds();
    expect(second.some((id) => first.includes(id))).toBe(false);
    const link = page.url();
    expect(new URL(link).searchParams.get('page')).toBeTruthy();
    await listed(() => page.goto(link), true);
    expect(await rowIds()).toEqual(second);
    expect(await page.textContent('[data-testid=list-total]')).toContain('page 2');
    await listed(() => page.click('[data-control=list-prev]'));
    expect(await rowIds()).toEqual(first);
    expect(problems).toEqual([]);
  });
});
