import { pointSegment } from '../geo/local-projection.js';
import type { RoadGraph } from './graph.js';

const CELL_M = 100;

/** A grid over the network's segments, for "how far is this point from any road" (tests) and snapping. */
export class RoadIndex {
  private readonly graph: RoadGraph;
  private readonly cells = new Map<number, number[]>();
  /** Segment endpoints, planar metres: ax, ay, bx, by per segment. */
  private readonly segments: number[] = [];
  private readonly nodeCells = new Map<number, number[]>();

  constructor(graph: RoadGraph) {
    this.graph = graph;
    const p = graph.projection;
    for (const edge of graph.edges) {
      for (let i = 1; i < edge.points.length; i++) {
        const a = edge.points[i - 1];
        const b = edge.points[i];
        if (a === undefined || b === undefined) continue;
        const seg = this.segments.length / 4;
        const ax = p.x(a[0]);
        const ay = p.y(a[1]);
        const bx = p.x(b[0]);
        const by = p.y(b[1]);
        this.segments.push(ax, ay, bx, by);
        const len = Math.hypot(bx - ax, by - ay);
        const steps = Math.max(1, Math.ceil(len / (CELL_M / 2)));
        const seen = new Set<number>();
        for (let s = 0; s <= steps; s++) {
          const key = cellKey(ax + ((bx - ax) * s) / steps, ay + ((by - ay) * s) / steps);
          if (seen.has(key)) continue;
          seen.add(key);
          push(this.cells, key, seg);
        }
      }
    }
    for (const n of graph.routable) {
      const node = graph.nodes[n];
      if (node !== undefined) push(this.nodeCells, cellKey(p.x(node.lon), p.y(node.lat)), n);
    }
  }

  /** Distance in metres from a WGS-84 point to the nearest road segment (Infinity beyond `maxM`). */
  distanceM(lat: number, lon: number, maxM = 500): number {
    const p = this.graph.projection;
    const x = p.x(lon);
    const y = p.y(lat);
    const r = Math.ceil(maxM / CELL_M);
    const cx = Math.floor(x / CELL_M);
    const cy = Math.floor(y / CELL_M);
    let best = Infinity;
    for (let dx = -r; dx <= r; dx++) {
      for (let dy = -r; dy <= r; dy++) {
        for (const seg of this.cells.get(key(cx + dx, cy + dy)) ?? []) {
          const o = seg * 4;
          const d = pointSegment(
            x,
            y,
            this.segments[o] ?? 0,
            this.segments[o + 1] ?? 0,
            this.segments[o + 2] ?? 0,
            this.segments[o + 3] ?? 0,
          ).d;
          if (d < best) best = d;
        }
      }
    }
    return best <= maxM ? best : Infinity;
  }

  /** The routable node nearest to a WGS-84 point, if one lies within `maxM`. */
  nearestNode(lat: number, lon: number, maxM: number): number | null {
    const p = this.graph.projection;
    const x = p.x(lon);
    const y = p.y(lat);
    const r = Math.ceil(maxM / CELL_M);
    const cx = Math.floor(x / CELL_M);
    const cy = Math.floor(y / CELL_M);
    let best: number | null = null;
    let bestD = maxM;
    for (let dx = -r; dx <= r; dx++) {
      for (let dy = -r; dy <= r; dy++) {
        for (const n of this.nodeCells.get(key(cx + dx, cy + dy)) ?? []) {
          const node = this.graph.nodes[n];
          if (node === undefined) continue;
          const d = Math.hypot(p.x(node.lon) - x, p.y(node.lat) - y);
          if (d <= bestD) {
            bestD = d;
            best = n;
          }
        }
      }
    }
    return best;
  }
}

function key(cx: number, cy: number): number {
  return (cx + 32768) * 65536 + (cy + 32768);
}

function cellKey(x: number, y: number): number {
  return key(Math.floor(x / CELL_M), Math.floor(y / CELL_M));
}

function push(map: Map<number, number[]>, k: number, v: number): void {
  const list = map.get(k);
  if (list === undefined) map.set(k, [v]);
  else list.push(v);
}
