import { Deck, WebMercatorViewport, type Layer } from '@deck.gl/core';
import { PathLayer } from '@deck.gl/layers';
import type { RoutesJson } from '../../../services/api/map/wire-format.js';
import { responseBytes } from '../data/response-bytes.js';
import { decodeRoutes } from '../data/route-set.js';
import { MODE_COLORS } from '../layers/palette.js';
import { routeColors } from '../layers/route-colors.js';
import { routesLayer } from '../layers/route-layers.js';
import { MODES } from '../state/app-state.js';

/**
 * The map bench page (`/bench.html?format=arrow|json&query=…`): fetches routes, decodes them and draws the first
 * frame, timing each step; `window.__bench` holds the result. Arrow goes to deck.gl as binary attributes; JSON
 * as objects with accessors, as a JSON API's client would draw it.
 */
interface BenchResult {
  format: 'arrow' | 'json';
  points: number;
  paths: number;
  bytes: number;
  serverTiming: string;
  /** Request sent → response headers (server query and encode, plus first byte). */
  responseMs: number;
  /** Headers → last byte, as the page's script sees it. */
  transferMs: number;
  /** Of which the network stack took (Resource Timing: responseStart → responseEnd). */
  networkMs: number;
  /** Parse and prepare what deck.gl needs. */
  decodeMs: number;
  /** Layer handed to deck.gl → first frame drawn (attributes built, GPU finished). */
  frameMs: number;
  /** Of which deck.gl spent building attributes (CPU): zero-copy for binary Arrow, accessor calls for JSON. */
  attributesMs: number;
  totalMs: number;
  error?: string;
}

type Bbox = [number, number, number, number];

const q = new URLSearchParams(location.search);
const format = q.get('format') === 'json' ? 'json' : 'arrow';
const query = q.get('query') ?? '';
const parent = document.getElementById('map') as HTMLDivElement;

function viewOf(bbox: Bbox | null) {
  if (!bbox) return { longitude: 114.06, latitude: 22.55, zoom: 11 };
  const vp = new WebMercatorViewport({ width: parent.clientWidth || 800, height: parent.clientHeight || 600 });
  const { longitude, latitude, zoom } = vp.fitBounds(
    [
      [bbox[0], bbox[1]],
      [bbox[2], bbox[3]],
    ],
    { padding: 20 },
  );
  return { longitude, latitude, zoom };
}

async function run(): Promise<BenchResult> {
  let rendered: () => void = () => undefined;
  const deck = new Deck({
    parent,
    initialViewState: viewOf(null),
    controller: false,
    layers: [],
    onAfterRender: () => rendered(),
  });
  const nextFrame = () => new Promise<void>((resolve) => (rendered = resolve));
  await nextFrame();

  const t0 = performance.now();
  const res = await fetch(`/api/map/routes?${query}${query ? '&' : ''}format=${format}`);
  if (!res.ok) throw new Error(`${res.status} ${await res.text()}`);
  const t1 = performance.now();
  const body = format === 'arrow' ? await responseBytes(res) : await res.text();
  const t2 = performance.now();
  let layer: Layer;
  let points: number;
  let paths: number;
  let bbox: Bbox | null;
  if (typeof body !== 'string') {
    const routes = decodeRoutes(body);
    layer = routesLayer({
      routes,
      positions: routes.positions,
      colors: routeColors(routes, 'mode'),
      colorKey: 'mode',
      dimmed: false,
    });
    points = routes.length;
    paths = routes.startIndices.length;
    bbox = routes.meta.bbox;
  } else {
    const json = JSON.parse(body) as RoutesJson;
    const colors = MODES.map((m) => [...MODE_COLORS[m]] as [number, number, number, number]);
    layer = new PathLayer<RoutesJson['paths'][number]>({
      id: 'routes',
      data: json.paths,
      getPath: (d) => d.path,
      getColor: (d) => d.mode.map((m) => colors[m] ?? ([128, 128, 128, 255] as [number, number, number, number])),
      widthUnits: 'pixels',
      getWidth: 2,
      widthMinPixels: 2,
    });
    points = json.paths.reduce((a, p) => a + p.path.length, 0);
    paths = json.paths.length;
    bbox = json.meta.bbox;
  }
  const t3 = performance.now();
  const entry = performance.getEntriesByType('resource').find((e) => e.name.includes('/api/map/routes')) as
    PerformanceResourceTiming | undefined;
  const frame = nextFrame();
  deck.setProps({ initialViewState: viewOf(bbox), layers: [layer] });
  await frame;
  const gl = deck.getCanvas()?.getContext('webgl2');
  gl?.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  const t4 = performance.now();
  // deck.gl's own stats (protected): cumulative time spent updating attributes, all of it for this one layer
  const stats = (deck as unknown as { stats: { get(name: string): { time: number } } }).stats;
  return {
    format,
    points,
    paths,
    bytes: typeof body === 'string' ? new TextEncoder().encode(body).length : body.byteLength,
    serverTiming: res.headers.get('server-timing') ?? '',
    responseMs: t1 - t0,
    transferMs: t2 - t1,
    networkMs: entry ? entry.responseEnd - entry.responseStart : NaN,
    decodeMs: t3 - t2,
    frameMs: t4 - t3,
    attributesMs: stats.get('Update Attributes').time,
    totalMs: t4 - t0,
  };
}

run().then(
  (r) => Object.assign(window, { __bench: r }),
  (e: unknown) => Object.assign(window, { __bench: { error: e instanceof Error ? e.message : String(e) } }),
);
