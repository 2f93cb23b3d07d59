import fs from 'node:fs';
import { embeddedRoads } from './embedded.js';
import type { RoadGraph } from './graph.js';
import { parseGraphml } from './graphml.js';
import { UsageError } from '../../core/usage-error.js';

const CELL_M = 50;
/** A sample farther than this from every road gets no limit (GNSS noise plus half a carriageway). */
const MATCH_M = 25;

/** Where a road network comes from: the embedded arterials of Futian and Nanshan, or an OSMnx GraphML file. */
export type RoadsOrigin = { readonly kind: 'embedded' } | { readonly kind: 'graphml'; readonly path: string };

/**
 * The posted speed limit at a position: the limit of the nearest road segment within 25 m. Consecutive samples
 * usually stay on one segment, which is tried first.
 */
export class RoadLimits {
  readonly origin: RoadsOrigin;
  private readonly graph: RoadGraph;
  /** Per segment: ax, ay, bx, by (local metres) and the limit, m/s. */
  private readonly seg: Float64Array;
  private readonly cells = new Map<number, number[]>();
  private last = -1;

  constructor(graph: RoadGraph, origin: RoadsOrigin) {
    this.graph = graph;
    this.origin = origin;
    const p = graph.projection;
    const values: number[] = [];
    for (const edge of graph.edges) {
      for (let i = 1; i < edge.points.length; i++) {
        const a = edge.points[i - 1];
        const b = edge.points[i];
        if (!a || !b) continue;
        const s = values.length / 5;
        const ax = p.x(a[0]);
        const ay = p.y(a[1]);
        const bx = p.x(b[0]);
        const by = p.y(b[1]);
        values.push(ax, ay, bx, by, edge.limitMps);
        const minX = Math.floor((Math.min(ax, bx) - MATCH_M) / CELL_M);
        const maxX = Math.floor((Math.max(ax, bx) + MATCH_M) / CELL_M);
        const minY = Math.floor((Math.min(ay, by) - MATCH_M) / CELL_M);
        const maxY = Math.floor((Math.max(ay, by) + MATCH_M) / CELL_M);
        for (let x = minX; x <= maxX; x++) {
          for (let y = minY; y <= maxY; y++) {
            const k = x * 1_000_003 + y;
            const list = this.cells.get(k);
            if (list) list.push(s);
            else this.cells.set(k, [s]);
          }
        }
      }
    }
    this.seg = Float64Array.from(values);
  }

  static load(origin: RoadsOrigin): RoadLimits {
    if (origin.kind === 'embedded') return new RoadLimits(embeddedRoads(), origin);
    let text: string;
    try {
      text = fs.readFileSync(origin.path, 'utf8');
    } catch (e) {
      throw new UsageError(`--roads ${origin.path}: ${(e as Error).message}`);
    }
    return new RoadLimits(parseGraphml(text, origin.path), origin);
  }

  /** Speed limit in m/s, or NaN when no road is near. */
  limitAt(lat: number, lon: number): number {
    const p = this.graph.projection;
    const x = p.x(lon);
    const y = p.y(lat);
    if (this.last >= 0 && this.distance(this.last, x, y) <= MATCH_M / 2) return this.seg[this.last * 5 + 4] as number;
    const list = this.cells.get(Math.floor(x / CELL_M) * 1_000_003 + Math.floor(y / CELL_M));
    if (!list) return NaN;
    let best = -1;
    let bestD = MATCH_M;
    for (const s of list) {
      const d = this.distance(s, x, y);
      if (d <= bestD) {
        best = s;
        bestD = d;
      }
    }
    this.last = best;
    return best < 0 ? NaN : (this.seg[best * 5 + 4] as number);
  }

  private distance(s: number, px: number, py: number): number {
    const o = s * 5;
    const ax = this.seg[o] as number;
    const ay = this.seg[o + 1] as number;
    const dx = (this.seg[o + 2] as number) - ax;
    const dy = (this.seg[o + 3] as number) - ay;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    return Math.hypot(ax + t * dx - px, ay + t * dy - py);
  }
}
