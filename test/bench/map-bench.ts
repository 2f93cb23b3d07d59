import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchSeed } from '../../seeds/bench.js';
import { buildApp } from '../../services/api/app.js';
import { RoadLimits } from '../../services/reference/roads/road-limits.js';
import { ingestPaths } from '../../services/ingest/ingest.js';
import { ensureWebBuild, launchChromium } from '../web/browser.js';
import { fmt, printTable } from './measure.js';

/** One format's run of the bench page (web/src/bench/bench-main.ts), ms. */
export interface MapBenchRun {
  format: 'arrow' | 'json';
  points: number;
  bytes: number;
  /** Server-Timing: DuckDB query, and encoding to Arrow IPC or JSON text. */
  serverQueryMs: number;
  serverEncodeMs: number;
  /** Request → response headers (query + encode + first byte). */
  responseMs: number;
  transferMs: number;
  /** Of the transfer, the browser's network stack (Resource Timing responseStart → responseEnd). */
  networkMs: number;
  /** Arrow: IPC → typed arrays and colours; JSON: parse. */
  decodeMs: number;
  /** Layer handed to deck.gl → first frame finished (attributes built, GPU done). */
  frameMs: number;
  /** Of the first frame, deck.gl building attributes (CPU). */
  attributesMs: number;
  totalMs: number;
}

export interface MapBenchResult {
  points: number;
  arrow: MapBenchRun;
  json: MapBenchRun;
  /**
   * JSON ÷ Arrow over what the format changes: server encode, transfer, browser decode and deck.gl's attribute
   * building. The DuckDB query and the GPU's drawing are the same work whatever the format.
   */
  ratio: number;
  /** JSON ÷ Arrow, request to first frame, everything included (here dominated by the software GPU). */
  ratioToFrame: number;
}

interface PageResult extends Omit<MapBenchRun, 'serverQueryMs' | 'serverEncodeMs'> {
  serverTiming: string;
  error?: string;
}

const timing = (header: string, name: string) =>
  Number(new RegExp(`${name};dur=([\\d.]+)`, 'u').exec(header)?.[1] ?? NaN);

/**
 * `points` route samples end to end, Arrow against JSON: a demo fleet of that size is generated and ingested,
 * the API serves it without thinning, and headless Chromium fetches, decodes and draws it (deck.gl PathLayer:
 * binary attributes for Arrow, objects with accessors for JSON). Each format runs in a fresh page after warm-up
 * requests of both. Chromium here draws through SwiftShader, so first-frame times are a CPU's, not a GPU's.
 */
export async function benchMap(points = 1_000_000): Promise<MapBenchResult> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'avlog-bench-map-'));
  const browser = await launchChromium();
  try {
    await ensureWebBuild();
    const seeded = await benchSeed(points, path.join(work, 'logs'));
    const dataDir = path.join(work, 'data');
    await ingestPaths([path.join(work, 'logs')], { dataDir, roads: RoadLimits.load({ kind: 'embedded' }) });
    const app = await buildApp({ dataDir });
    try {
      const base = await app.listen({ port: 0, host: '127.0.0.1' });
      const query = `max_points=${Math.max(points * 2, 2_000_000)}`;
      const runs: Partial<Record<'arrow' | 'json', MapBenchRun>> = {};
      // warm both formats before timing either, so that neither measured run meets the app's start-up work
      for (const format of ['arrow', 'json'] as const)
        await fetch(`${base}/api/map/routes?${query}&format=${format}`).then((r) => r.arrayBuffer());
      for (const format of ['arrow', 'json'] as const) {
        const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
        try {
          await page.goto(`${base}/bench.html?format=${format}&query=${encodeURIComponent(query)}`);
          await page.waitForFunction(() => '__bench' in window, null, { timeout: 600_000, polling: 500 });
          const r = await page.evaluate(() => (window as unknown as { __bench: PageResult }).__bench);
          if (r.error) throw new Error(`bench page (${format}): ${r.error}`);
          runs[format] = {
            ...r,
            format,
            serverQueryMs: timing(r.serverTiming, 'query'),
            serverEncodeMs: timing(r.serverTiming, 'encode'),
          };
        } finally {
          await page.close();
        }
      }
      const arrow = runs.arrow as MapBenchRun;
      const json = runs.json as MapBenchRun;
      const formatWork = (r: MapBenchRun) => r.serverEncodeMs + r.transferMs + r.decodeMs + r.attributesMs;
      const result: MapBenchResult = {
        points: arrow.points,
        arrow,
        json,
        ratio: formatWork(json) / formatWork(arrow),
        ratioToFrame: json.totalMs / arrow.totalMs,
      };
      const row = (label: string, pick: (r: MapBenchRun) => number, unit = 'ms'): [string, string] => [
        label,
        `Arrow ${fmt(pick(arrow)).padStart(7)} ${unit}   JSON ${fmt(pick(json)).padStart(7)} ${unit}`,
      ];
      printTable(
        `map: ${fmt(arrow.points)} route points end to end (${fmt(seeded.rows)} rows seeded; headless Chromium, SwiftShader)`,
        [
          row('server query (DuckDB)', (r) => r.serverQueryMs),
          row('server encode', (r) => r.serverEncodeMs),
          row('response size', (r) => r.bytes / 2 ** 20, 'MiB'),
          row('request → headers', (r) => r.responseMs),
          row('transfer', (r) => r.transferMs),
          row('  of which network (Resource Timing)', (r) => r.networkMs),
          row('browser decode', (r) => r.decodeMs),
          row('deck.gl attributes', (r) => r.attributesMs),
          row('encode+transfer+decode+attributes', formatWork),
          row('first frame (incl. attributes, GPU)', (r) => r.frameMs),
          row('request → first frame', (r) => r.totalMs),
          ['JSON ÷ Arrow, format-dependent work', fmt(result.ratio, 1)],
          ['JSON ÷ Arrow, request → first frame', fmt(result.ratioToFrame, 2)],
        ],
      );
      return result;
    } finally {
      await app.close();
    }
  } finally {
    await browser.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
