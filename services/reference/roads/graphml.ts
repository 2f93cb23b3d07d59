import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { haversineM } from '../geo/haversine.js';
import { buildGraph, type RoadEdge, type RoadGraph, type RoadNode } from './graph.js';

/** Default limits where OSM has no `maxspeed`, km/h (Chinese urban practice for each road class). */
const DEFAULT_LIMIT_KMH: Readonly<Record<string, number>> = {
  motorway: 100,
  motorway_link: 60,
  trunk: 80,
  trunk_link: 50,
  primary: 60,
  primary_link: 40,
  secondary: 50,
  secondary_link: 40,
  tertiary: 40,
  tertiary_link: 30,
  unclassified: 30,
  residential: 30,
  living_street: 20,
  service: 20,
  road: 30,
};

/**
 * Reads an OSMnx GraphML drive network. Each GraphML edge is already one direction of travel (OSMnx writes both
 * directions of two-way streets); a two-way edge whose reverse is missing gets one. Non-drivable ways
 * (footway, steps, path, cycleway…) are dropped.
 */
export async function graphmlRoads(file: string): Promise<RoadGraph> {
  const text = await readFile(file, 'utf8');
  return parseGraphml(text, path.basename(file));
}

export function parseGraphml(text: string, source: string): RoadGraph {
  const keys = new Map<string, string>();
  for (const m of text.matchAll(/<key\b([^>]*)\/?>/g)) {
    const attrs = m[1] ?? '';
    const id = /\bid="([^"]*)"/.exec(attrs)?.[1];
    const name = /\battr\.name="([^"]*)"/.exec(attrs)?.[1];
    if (id !== undefined && name !== undefined) keys.set(id, name);
  }
  const dataOf = (body: string): Map<string, string> => {
    const out = new Map<string, string>();
    for (const d of body.matchAll(/<data key="([^"]*)">([^<]*)<\/data>/g)) {
      const name = keys.get(d[1] ?? '');
      if (name !== undefined) out.set(name, unescapeXml(d[2] ?? ''));
    }
    return out;
  };

  const nodeIndex = new Map<string, number>();
  const rawNodes: { lat: number; lon: number; streets: number; signal: boolean }[] = [];
  for (const m of text.matchAll(/<node id="([^"]*)"\s*(?:\/>|>([\s\S]*?)<\/node>)/g)) {
    const data = dataOf(m[2] ?? '');
    const lat = Number(data.get('y'));
    const lon = Number(data.get('x'));
    if (!Number.isFinite(lat) || !Number.isFinite(lon)) throw new Error(`${source}: node ${m[1] ?? '?'} has no x/y`);
    nodeIndex.set(m[1] ?? '', rawNodes.length);
    rawNodes.push({
      lat,
      lon,
      streets: Number(data.get('street_count') ?? '0'),
      signal: (data.get('highway') ?? '').includes('traffic_signals'),
    });
  }
  if (rawNodes.length === 0) throw new Error(`${source}: no <node> elements: not an OSMnx GraphML file`);

  const edges: RoadEdge[] = [];
  const seen = new Set<string>();
  const twoWay: RoadEdge[] = [];
  for (const m of text.matchAll(/<edge source="([^"]*)" target="([^"]*)"[^>]*>([\s\S]*?)<\/edge>/g)) {
    const from = nodeIndex.get(m[1] ?? '');
    const to = nodeIndex.get(m[2] ?? '');
    if (from === undefined || to === undefined || from === to) continue;
    const data = dataOf(m[3] ?? '');
    const highway = firstDrivable(listValues(data.get('highway') ?? ''));
    if (highway === null) continue;
    const a = rawNodes[from];
    const b = rawNodes[to];
    if (a === undefined || b === undefined) continue;
    let points = parseLinestring(data.get('geometry')) ?? [
      [a.lon, a.lat],
      [b.lon, b.lat],
    ];
    const first = points[0];
    const last = points[points.length - 1];
    if (
      first !== undefined &&
      last !== undefined &&
      haversineM(first[1], first[0], a.lat, a.lon) > haversineM(last[1], last[0], a.lat, a.lon)
    ) {
      points = [...points].reverse();
    }
    let lengthM = Number(data.get('length'));
    if (!Number.isFinite(lengthM) || lengthM <= 0) {
      lengthM = 0;
      for (let i = 1; i < points.length; i++) {
        const p = points[i - 1];
        const q = points[i];
        if (p !== undefined && q !== undefined) lengthM += haversineM(p[1], p[0], q[1], q[0]);
      }
    }
    const limitKmh = parseMaxspeed(data.get('maxspeed')) ?? DEFAULT_LIMIT_KMH[highway] ?? 30;
    const name = listValues(data.get('name') ?? '')[0] ?? '';
    const edge: RoadEdge = { from, to, name, limitMps: limitKmh / 3.6, lengthM, points };
    edges.push(edge);
    seen.add(`${from}>${to}`);
    if (!/^(true|yes|1)$/i.test(data.get('oneway') ?? 'False')) twoWay.push(edge);
  }
  for (const e of twoWay) {
    if (seen.has(`${e.to}>${e.from}`)) continue;
    seen.add(`${e.to}>${e.from}`);
    edges.push({ ...e, from: e.to, to: e.from, points: [...e.points].reverse() });
  }
  const nodes: RoadNode[] = rawNodes.map((n) => ({
    lat: n.lat,
    lon: n.lon,
    junction: n.streets >= 3,
    signal: n.signal,
  }));
  return buildGraph(source, nodes, edges);
}

/** OSMnx writes merged attributes as Python list literals: `['primary', 'trunk']`. */
function listValues(value: string): string[] {
  const v = value.trim();
  if (!v.startsWith('[')) return v === '' ? [] : [v];
  return [...v.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? '').filter((s) => s !== '');
}

function firstDrivable(classes: readonly string[]): string | null {
  for (const c of classes) if (c in DEFAULT_LIMIT_KMH) return c;
  return null;
}

/** `50`, `50 mph`, `['40', '60']` (the lowest applies), `CN:urban` (no number: default). */
function parseMaxspeed(value: string | undefined): number | null {
  if (value === undefined) return null;
  let best: number | null = null;
  for (const v of listValues(value)) {
    const m = /^(\d+(?:\.\d+)?)\s*(mph)?/.exec(v.trim());
    if (m === null) continue;
    const kmh = Number(m[1]) * (m[2] === 'mph' ? 1.609344 : 1);
    if (kmh > 0 && (best === null || kmh < best)) best = kmh;
  }
  return best;
}

function parseLinestring(wkt: string | undefined): [number, number][] | null {
  if (wkt === undefined) return null;
  const m = /^\s*LINESTRING\s*\(([^)]*)\)\s*$/i.exec(wkt);
  if (m === null) return null;
  const points: [number, number][] = [];
  for (const pair of (m[1] ?? '').split(',')) {
    const [x, y] = pair.trim().split(/\s+/).map(Number);
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) return null;
    points.push([x, y]);
  }
  return points.length >= 2 ? points : null;
}

function unescapeXml(s: string): string {
  return s.includes('&')
    ? s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-f]+);/gi, (_, e: string) => {
        switch (e) {
          case 'lt':
            return '<';
          case 'gt':
            return '>';
          case 'amp':
            return '&';
          case 'quot':
            return '"';
          case 'apos':
            return "'";
          default:
            return String.fromCodePoint(
              e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10),
            );
        }
      })
    : s;
}
