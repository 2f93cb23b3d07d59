import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { Browser, ConsoleMessage, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../services/api/app.js';
import { ADMIN, PROXY_AUTH } from '../helpers/auth.js';
import { parseCommandArgs } from '../../services/cli/args.js';
import { SERVER_ARGS, serveOptionsOf } from '../../services/cli/commands/serve.js';
import { MODE_COLORS } from '../../web/src/layers/palette.js';
import { seededLake, type SeededLake } from '../api/fleet-fixture.js';
import { SHARED_DATA } from '../helpers/lake.js';
import { artifact, ensureWebBuild, launchChromium } from './browser.js';
import { decodePng, solidPng } from './png.js';
import { changedPixels, countColors, type Rect } from './pixels.js';

/** The page's test hooks (web/src/map-app.ts `testHooks`). */
interface Hooks {
  version(): number;
  rendered(): number;
  counts(): { points: number; paths: number; incidents: number; focusPoints: number };
  clock(): number | null;
  incidentIds(): string[];
  incidentXY(i: number): [number, number] | null;
}
declare global {
  interface Window {
    __avlog?: Hooks;
  }
}

const ROUTE_COLORS = { autonomous: MODE_COLORS.autonomous, manual: MODE_COLORS.manual };
const OVERLAYS = ['#sidebar', '#legend', '#playback', '#incident-panel', '#status'];

let lake: SeededLake;
let app: FastifyInstance;
let browser: Browser;
let page: Page;
let base: string;
const problems: string[] = [];

beforeAll(async () => {
  [lake] = await Promise.all([seededLake(), ensureWebBuild()]);
  // behind --auth proxy, so that the public viewer below is one by its header; the other pages are admins
  app = await buildApp({
    dataDir: lake.dataDir,
    districtsFile: `${SHARED_DATA}/shenzhen/districts-wgs84.geojson`,
    auth: PROXY_AUTH,
  });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 }, extraHTTPHeaders: ADMIN });
  watch(page);
}, 600_000);
afterAll(async () => {
  await browser?.close();
  await app?.close();
  lake?.cleanup();
});

function watch(p: Page): void {
  // a busy machine can take many seconds a frame, and actions wait for frames
  p.setDefaultTimeout(120_000);
  p.on('console', (m: ConsoleMessage) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  // the app aborts a superseded request itself (a newer view, another incident): ERR_ABORTED is not a failure
  p.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    if (why !== 'net::ERR_ABORTED') problems.push(`request failed: ${r.url()} ${why}`);
  });
}

type Counts = ReturnType<Hooks['counts']>;

/** Waits until the page has at least `min` of each count and deck.gl has drawn the latest data. */
async function settled(p: Page, min: Partial<Counts> = { points: 1 }): Promise<void> {
  await p.waitForFunction(
    (m) => {
      const h = window.__avlog;
      if (!h || h.rendered() !== h.version()) return false;
      const c = h.counts();
      return Object.entries(m).every(([k, v]) => c[k as keyof typeof c] >= (v ?? 0));
    },
    min,
    { timeout: 90_000, polling: 250 },
  );
  // a frame more: deck.gl draws on animation frames
  await p.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

async function overlays(p: Page): Promise<Rect[]> {
  return p.evaluate(
    (selectors) =>
      selectors.flatMap((s) => {
        const el = document.querySelector(s);
        if (!el || (el as HTMLElement).hidden) return [];
        const r = el.getBoundingClientRect();
        return [{ x: r.x, y: r.y, width: r.width, height: r.height }];
      }),
    OVERLAYS,
  );
}

/** Screenshot kept under test-artifacts/web, and the route-coloured pixels on the map (outside the panels). */
async function shot(p: Page, name: string): Promise<Record<keyof typeof ROUTE_COLORS, number>> {
  const png = await p.screenshot({ path: artifact(`${name}.png`) });
  return countColors(decodePng(png), ROUTE_COLORS, await overlays(p));
}

// Software WebGL draws a frame of this scene in about a second, many times that on a busy machine: generous timeouts.
describe('the map page in headless Chromium', { timeout: 300_000 }, () => {
  let all: Record<keyof typeof ROUTE_COLORS, number>;
  /** The view the page fitted to the data on first load. */
  let overview = '';

  it('loads with no console errors and draws routes in mode colours', async () => {
    const response = await page.goto(base);
    expect(response?.status()).toBe(200);
    await settled(page, { points: 1, incidents: 1 });
    await page.waitForFunction(() => new URLSearchParams(location.search).has('v'));
    overview = new URL(page.url()).searchParams.get('v') ?? '';
    const counts = await page.evaluate(() => window.__avlog?.counts());
    expect(counts?.points).toBeGreaterThan(1000);
    expect(counts?.points).toBeLessThan(100_000);
    all = await shot(page, '01-loaded');
    expect(all.autonomous, 'autonomous-coloured pixels').toBeGreaterThan(2000);
    expect(all.manual, 'manual-coloured pixels').toBeGreaterThan(10);
    expect(problems).toEqual([]);
  });

  it('puts the view in the URL', async () => {
    await page.waitForFunction(() => new URLSearchParams(location.search).has('v'));
    expect(new URL(page.url()).searchParams.get('v')).toMatch(/^113\.\d+|^114\.\d+/u);
  });

  it('changing a filter changes what is drawn, and the URL reproduces it', async () => {
    const before = await page.evaluate(() => window.__avlog?.version() ?? 0);
    await page.locator('[data-filter="mode"] input[value="manual"]').check();
    await settled(page);
    await page.waitForFunction((v) => (window.__avlog?.version() ?? 0) > v + 1, before);
    await settled(page);
    const manual = await shot(page, '02-filter-manual');
    expect(manual.autonomous, 'no autonomous routes left').toBeLessThan(all.autonomous * 0.02);
    expect(manual.manual).toBeGreaterThan(10);
    await page.waitForFunction(() => new URLSearchParams(location.search).get('mode') === 'manual');

    const again = await browser.newPage({ viewport: { width: 1280, height: 800 }, extraHTTPHeaders: ADMIN });
    watch(again);
    await again.goto(page.url());
    await settled(again);
    expect(await again.locator('[data-filter="mode"] input[value="manual"]').isChecked()).toBe(true);
    expect(await again.evaluate(() => window.__avlog?.counts().points)).toBe(
      await page.evaluate(() => window.__avlog?.counts().points),
    );
    await again.close();

    await page.locator('[data-filter="mode"] input[value="manual"]').uncheck();
    await settled(page);
    expect(problems).toEqual([]);
  });

  it('colours routes by speed on request', async () => {
    await page.locator('[data-control="color"] input[value="speed"]').check();
    await settled(page);
    const bySpeed = await shot(page, '03-colour-by-speed');
    expect(bySpeed.autonomous).toBeLessThan(all.autonomous * 0.2);
    await page.locator('[data-control="color"] input[value="mode"]').check();
    await settled(page);
  });

  it('clicking an incident opens its panel with a chart, and replays the drive around it', async () => {
    const target = await page.evaluate(() => {
      const h = window.__avlog;
      const ids = h?.incidentIds() ?? [];
      const map = document.getElementById('map')?.getBoundingClientRect();
      const blocked = ['#sidebar', '#legend', '#playback'].map((s) =>
        document.querySelector(s)?.getBoundingClientRect(),
      );
      const points = ids.map((_, i) => h?.incidentXY(i));
      for (let i = 0; i < ids.length; i++) {
        const xy = points[i];
        if (!xy || !map) continue;
        const [x, y] = xy;
        // a marker another incident overlaps would open whichever deck.gl picks first
        const crowded = points.some((q, j) => j !== i && q && Math.hypot(q[0] - x, q[1] - y) < 16);
        if (crowded) continue;
        const inside = x > 5 && y > 5 && x < map.width - 5 && y < map.height - 5;
        if (
          inside &&
          !blocked.some((r) => r && x >= r.left - 8 && x <= r.right + 8 && y >= r.top - 8 && y <= r.bottom + 8)
        )
          return { id: ids[i] as string, x, y };
      }
      return null;
    });
    expect(target, 'an incident on screen').not.toBeNull();
    if (!target) return;
    await page.mouse.click(target.x, target.y);
    const panel = page.locator('#incident-panel');
    await panel.locator('canvas.chart').waitFor({ state: 'visible', timeout: 60_000 });
    expect(await panel.getAttribute('data-incident')).toBe(target.id);
    await page.waitForFunction(() => new URLSearchParams(location.search).has('incident'));
    const inked = await panel.locator('canvas.chart').evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if ((d[i] ?? 0) > 0) n++;
      return n;
    });
    expect(inked, 'chart pixels drawn').toBeGreaterThan(500);
    // the drive's window is loaded (not `settled`: the replay started on opening redraws every frame until it ends)
    await page.waitForFunction(() => (window.__avlog?.counts().focusPoints ?? 0) > 0, null, { polling: 250 });
    // replay it and watch the clock move; clicks while it animates skip Playwright's wait for two equal frames
    await panel.locator('[data-control="replay-incident"]').click({ force: true });
    const start = await page.evaluate(() => window.__avlog?.clock() ?? 0);
    await page.waitForFunction((t) => (window.__avlog?.clock() ?? 0) > t + 1000, start, {
      timeout: 120_000,
      polling: 250,
    });
    // pause for the screenshot: a still frame is taken at once, a software-rendered animation frame is slow
    await page.locator('[data-control="play"]').click({ force: true });
    await expect.poll(() => page.locator('[data-control="play"]').textContent()).toContain('Play');
    await settled(page, { focusPoints: 1 });
    await shot(page, '04-incident-panel');
    expect(problems).toEqual([]);
    await panel.locator('button.close').click();
    await panel.waitFor({ state: 'hidden' });
  });

  it('replay advances time with play, and pauses; a URL with a time restores the clock', async () => {
    // back to the overview, at the first incident's time, where vehicles are driving
    const first = await page.evaluate(() => window.__avlog?.incidentIds()[0]);
    const incident = (await app.inject({ url: `/api/incidents/${first}`, headers: ADMIN })).json<{
      incident: { ts: string };
    }>().incident;
    const at = Date.parse(incident.ts) - 60_000;
    await page.goto(`${base}/?v=${overview}&t=${new Date(at).toISOString()}&speed=10`);
    await settled(page);
    const clock = page.locator('[data-control="clock"]');
    expect(Number(await clock.getAttribute('data-ms'))).toBe(at);
    await page.locator('[data-control="play"]').click();
    await page.waitForFunction(
      (t) => Number(document.querySelector('[data-control="clock"]')?.getAttribute('data-ms')) > t + 10_000,
      at,
      { timeout: 120_000 },
    );
    expect(new URL(page.url()).searchParams.get('layers') ?? '').toContain('trips');
    // while it animates: no wait for two equal frames (see above)
    await page.locator('[data-control="play"]').click({ force: true });
    const paused = Number(await clock.getAttribute('data-ms'));
    await page.waitForTimeout(1000);
    expect(Number(await clock.getAttribute('data-ms'))).toBe(paused);
    await settled(page);
    const png = await page.screenshot({ path: artifact('05-replay.png') });
    const px = decodePng(png);
    const masks = await overlays(page);
    expect(
      countColors(px, { head: [255, 255, 255] }, masks, 0.92).head,
      'moving vehicles drawn (white dots)',
    ).toBeGreaterThan(20);
    expect(countColors(px, { trail: MODE_COLORS.autonomous }, masks).trail, 'trails drawn').toBeGreaterThan(100);
    await page.waitForFunction(
      (t) => new URLSearchParams(location.search).get('t') === new Date(t).toISOString().replace('.000Z', 'Z'),
      paused,
    );
    expect(problems).toEqual([]);
  });

  it('draws the incident hexbin, and switches to Chinese labels', async () => {
    const before = decodePng(await page.screenshot());
    await page.locator('[data-filter="layers"] input[value="hexbin"]').check();
    await settled(page);
    const after = decodePng(await page.screenshot({ path: artifact('06-hexbin.png') }));
    expect(changedPixels(before, after, await overlays(page)), 'hexagons drawn').toBeGreaterThan(2000);
    await page.locator('button.lang').click();
    await settled(page);
    await page.screenshot({ path: artifact('07-zh.png') });
    expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
    expect(await page.locator('[data-control="play"]').textContent()).toContain('播放');
    expect(await page.locator('[data-filter="mode"]').textContent()).toContain('自动驾驶');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('lang') === 'zh');
    expect(problems).toEqual([]);
  });

  it('keeps its screenshots as test artifacts', () => {
    for (const name of ['01-loaded', '02-filter-manual', '04-incident-panel', '05-replay'])
      expect(fs.existsSync(artifact(`${name}.png`))).toBe(true);
  });
});

describe('a public map viewer (x-avlog-role: public from the proxy)', { timeout: 300_000 }, () => {
  let viewer: Page;
  const refused: string[] = [];
  beforeAll(async () => {
    viewer = await browser.newPage({
      viewport: { width: 1280, height: 800 },
      extraHTTPHeaders: { 'x-avlog-role': 'public' },
    });
    watch(viewer);
    viewer.on('response', (r) => {
      if (r.status() >= 400) refused.push(`${r.status()} ${r.url()}`);
    });
  });
  afterAll(async () => {
    await viewer?.close();
  });

  it('draws the coarsened routes and incidents, says the view is public, lists no vehicles, and opens no incident details', async () => {
    // a link an engineer shared, naming a vehicle: the public page drops that filter rather than asking for it
    await viewer.goto(`${base}?vehicle=plzx-v01`);
    await settled(viewer, { points: 1, incidents: 1 });
    await expect
      .poll(() => viewer.locator('[data-testid="public-view"]').textContent())
      .toMatch(/Public view: positions to a 2\d0 m grid/u);
    expect(await viewer.locator('[data-filter="vehicle"]').count()).toBe(0);
    expect(await viewer.locator('.reports-link').count(), 'no link to reports, which public viewers cannot open').toBe(
      0,
    );
    const drawn = await shot(viewer, '09-public');
    expect(drawn.autonomous, 'autonomous-coloured pixels').toBeGreaterThan(1000);
    // an incident's tooltip names the company only; a click opens nothing and asks for no details
    const xy = await viewer.evaluate(() => {
      const h = window.__avlog;
      const map = document.getElementById('map')?.getBoundingClientRect();
      const blocked = ['#sidebar', '#legend', '#playback'].map((q) =>
        document.querySelector(q)?.getBoundingClientRect(),
      );
      for (let i = 0; i < (h?.counts().incidents ?? 0); i++) {
        const p = h?.incidentXY(i);
        if (!p || !map) continue;
        const [x, y] = p;
        if (
          x > 5 &&
          y > 5 &&
          x < map.width - 5 &&
          y < map.height - 5 &&
          !blocked.some((r) => r && x >= r.left - 8 && x <= r.right + 8 && y >= r.top - 8 && y <= r.bottom + 8)
        )
          return p;
      }
      return null;
    });
    expect(xy, 'an incident on screen').not.toBeNull();
    const [x = 0, y = 0] = xy ?? [];
    await viewer.mouse.move(x, y);
    await viewer.locator('.avlog-tooltip').waitFor({ state: 'visible' });
    const companies = await viewer.evaluate(() =>
      Array.from(document.querySelectorAll('[data-filter="company"] input'), (i) => (i as HTMLInputElement).value),
    );
    const tooltip = (await viewer.locator('.avlog-tooltip').textContent()) ?? '';
    expect(companies.some((c) => tooltip.includes(c))).toBe(true);
    expect(tooltip).not.toMatch(/-v\d\d/u);
    await viewer.mouse.click(x, y);
    await settled(viewer);
    expect(await viewer.locator('#incident-panel').isHidden()).toBe(true);
    expect(refused).toEqual([]);
    expect(problems).toEqual([]);
  });
});

describe('a deployment served with --tiles URL --tiles-crs gcj02 and no districts file', { timeout: 300_000 }, () => {
  const TILE: [number, number, number] = [40, 80, 40];
  let tiled: FastifyInstance;
  let url: string;
  let tilePage: Page;

  beforeAll(async () => {
    // the options `avlog serve` and `avlog start` build from their flags
    const {
      port: _port,
      host: _host,
      ...options
    } = serveOptionsOf(
      parseCommandArgs(
        ['--data', lake.dataDir, '--tiles', '/tiles/{z}/{x}/{y}.png', '--tiles-crs', 'gcj02'],
        SERVER_ARGS,
        false,
      ).values,
    );
    tiled = await buildApp(options);
    const png = solidPng(256, 256, TILE);
    tiled.get('/tiles/:z/:x/:y', async (_req, reply) => reply.type('image/png').send(png));
    url = await tiled.listen({ port: 0, host: '127.0.0.1' });
    tilePage = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    watch(tilePage);
  });
  afterAll(async () => {
    await tilePage?.close();
    await tiled?.close();
  });

  it('draws the tiles under the data, the roads and the lake’s extent as the base, and shifts the data onto the tiles', async () => {
    await tilePage.goto(url);
    await settled(tilePage, { points: 1, incidents: 1 });
    await tilePage.waitForFunction(() => new URLSearchParams(location.search).has('v'));
    const view = new URL(tilePage.url()).searchParams.get('v');
    await tilePage.waitForTimeout(2000);
    await settled(tilePage);
    const png = await tilePage.screenshot({ path: artifact('08-tiles-gcj02.png') });
    const px = decodePng(png);
    const masks = await overlays(tilePage);
    expect(countColors(px, { tile: TILE }, masks, 0.95).tile, 'tile pixels').toBeGreaterThan(200_000);
    expect(countColors(px, { autonomous: MODE_COLORS.autonomous }, masks).autonomous).toBeGreaterThan(1000);
    const shifted = await tilePage.evaluate(() => window.__avlog?.incidentXY(0));

    // the same view with the tiles declared WGS-84: our data is drawn where it was recorded
    await tilePage.goto(`${url}/?v=${view}&crs=wgs84`);
    await settled(tilePage, { points: 1, incidents: 1 });
    const plain = await tilePage.evaluate(() => window.__avlog?.incidentXY(0));
    expect(shifted && plain).toBeTruthy();
    const [sx = 0, sy = 0] = shifted ?? [];
    const [px0 = 0, py0 = 0] = plain ?? [];
    const metresPerPixel = (40_075_016 * Math.cos((22.54 * Math.PI) / 180)) / (512 * 2 ** Number(view?.split(',')[2]));
    const shiftM = Math.hypot(sx - px0, sy - py0) * metresPerPixel;
    expect(shiftM, 'GCJ-02 shift on screen, metres').toBeGreaterThan(300);
    expect(shiftM).toBeLessThan(800);
    expect(problems).toEqual([]);
  });
});
