import Fastify, { type FastifyInstance } from 'fastify';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avlogApp } from '../../services/api/app.js';
import { accessLake, OTHER, OWN } from '../api/access-fixture.js';
import { artifact, ensureWebBuild, launchChromium } from './browser.js';

/** The map page's hook (web/src/map-app.ts `testHooks`). */
type Hooks = { __avlog?: { counts(): { points: number } } };

let lake: Awaited<ReturnType<typeof accessLake>>;
let app: FastifyInstance;
let browser: Browser;
let base: string;
const token: Record<'engineer' | 'regulator', string> = { engineer: '', regulator: '' };
const problems: string[] = [];

beforeAll(async () => {
  [lake] = await Promise.all([accessLake(), ensureWebBuild()]);
  app = Fastify({ logger: false });
  await avlogApp(app, { dataDir: lake.dataDir, auth: { mode: 'tokens' } });
  const store = app.access.tokens;
  if (!store) throw new Error('no token store');
  token.engineer = (await store.create({ role: 'engineer', company: OWN, name: 'web' })).token;
  token.regulator = (await store.create({ role: 'regulator' })).token;
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  lake?.cleanup();
});

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // the 401s that open the dialog are logged by Chromium as failed resources: expected, not a problem
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 401/u.test(m.text())) problems.push(`console.error: ${m.text()}`);
  });
  return { context, page };
}

async function signIn(page: Page, value: string): Promise<void> {
  await page.fill('#sign-in input[name=token]', value);
  await page.click('#sign-in button[type=submit]');
}

const incidentOf = async (company: string): Promise<string> => {
  const r = await app.inject({
    url: `/api/incidents?company=${company}&kind=harsh_brake`,
    headers: { authorization: `Bearer ${token.regulator}` },
  });
  const id = r.json<{ items: { event_id: string }[] }>().items[0]?.event_id;
  if (!id) throw new Error(`no harsh brake of ${company}: ${r.body}`);
  return id;
};

describe('the web app with --auth tokens', { timeout: 120_000 }, () => {
  it('asks for a token, refuses a bad one, then loads the engineer’s company only and shows who is signed in', async () => {
    const { context, page } = await newPage();
    const id = await incidentOf(OWN);
    await page.goto(`${base}/?incident=${id}`);
    await page.waitForSelector('dialog#sign-in[open]');
    await signIn(page, 'avlog_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    await page.waitForFunction(() => document.querySelector('[data-testid=sign-in-error]')?.textContent);
    expect(await page.textContent('[data-testid=sign-in-error]')).toMatch(/^Not signed in: .*not valid/u);
    expect(await page.isVisible('dialog#sign-in[open]')).toBe(true);
    await page.screenshot({ path: artifact('sign-in-01-bad-token.png') });

    await signIn(page, token.engineer);
    await page.waitForSelector('dialog#sign-in', { state: 'detached' });
    await page.waitForFunction(() => {
      const c = (window as unknown as Hooks).__avlog?.counts();
      return c !== undefined && c.points > 0;
    });
    await page.waitForSelector('[data-testid=session]:not([hidden])');
    expect(await page.textContent('[data-testid=session] .who')).toBe(`engineer@${OWN}`);
    // the filters offer only the engineer's company: the server scoped the data to it
    expect(await page.$$eval('[data-filter=company] input', (xs) => xs.map((x) => x.getAttribute('value')))).toEqual([
      OWN,
    ]);
    // an engineer triages its company's incidents: the form is there
    await page.waitForSelector('#incident-panel select[name=triage-status]');
    expect(page.url()).not.toContain(token.engineer);
    expect(await page.evaluate(() => sessionStorage.getItem('avlog.token'))).toBe(token.engineer);
    await page.screenshot({ path: artifact('sign-in-02-engineer.png') });

    // the token lives in the tab: a reload asks nothing; signing out forgets it and asks again
    await page.reload();
    await page.waitForSelector('[data-testid=session]:not([hidden])');
    expect(await page.$('dialog#sign-in')).toBeNull();
    await page.click('[data-control=sign-out]');
    await page.waitForSelector('dialog#sign-in[open]');
    expect(await page.evaluate(() => sessionStorage.getItem('avlog.token'))).toBeNull();
    await context.close();
  });

  it('a regulator reads every company’s triage but gets no form to change it; its reports open with its token', async () => {
    const { context, page } = await newPage();
    const id = await incidentOf(OTHER);
    await page.goto(`${base}/?incident=${id}`);
    await page.waitForSelector('dialog#sign-in[open]');
    await signIn(page, token.regulator);
    await page.waitForSelector('#incident-panel [data-testid=triage-status]');
    expect(await page.$('#incident-panel select[name=triage-status]')).toBeNull();
    expect(await page.$('[data-control=triage-save]')).toBeNull();
    expect(await page.textContent('[data-testid=session] .who')).toBe('regulator@all');
    const companies = await page.$$eval('[data-filter=company] input', (xs) => xs.map((x) => x.getAttribute('value')));
    expect(companies.sort()).toEqual([OWN, OTHER].sort());
    await page.screenshot({ path: artifact('sign-in-03-regulator.png') });

    // the reports page keeps the tab's token; a report opens in a new tab fetched with it (a plain link would be a 401)
    await page.goto(`${base}/reports.html`);
    await page.waitForSelector('[data-testid=session]:not([hidden])');
    expect(await page.$('dialog#sign-in')).toBeNull();
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('a[title^="JSON"]')]);
    await popup.waitForURL(/^blob:/u);
    expect(await popup.textContent('body')).toMatch(/"company"/u);
    await context.close();
    expect(problems).toEqual([]);
  });
});
