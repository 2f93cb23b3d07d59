import type { Rng } from './prng.js';
import type { RoadGraph } from '../services/reference/roads/graph.js';

/** Lateral acceleration normal driving plans corners for, m/s² (harsh-lateral threshold is 3.5). */
export const A_LAT_COMFORT = 1.8;
/** A turn's arc may leave the drawn road by at most this much, m. */
const MAX_CORNER_OFFSET_M = 5;
/** A corner too tight to round into an arc this big is taken stopped, turning on the spot, m. */
const MIN_RADIUS_M = 3;
/** Deflections above this (rad, ~115°) are taken stopped: a turnaround. */
const TURNAROUND_RAD = 2.0;

export type ConstraintReason =
  'corner' | 'sharp_turn' | 'limit' | 'signal' | 'junction' | 'pickup' | 'turnaround' | 'end';

/** Something ahead the driver must slow for: a speed `v` from `s` to `sEnd`, or a stop (`v` 0) lasting `dwell` s. */
export interface Constraint {
  readonly s: number;
  readonly sEnd: number;
  v: number;
  readonly stop: boolean;
  readonly dwell: number;
  reason: ConstraintReason;
  /** For an injected sharp turn: the lateral acceleration aimed at, m/s². */
  sharpTarget: number;
  /** Arc radius, m (corners only). */
  readonly radius: number;
  served: boolean;
}

/** Where the vehicle is at arc length `s`: planar metres, unit heading, signed curvature (+ left), limit m/s. */
export interface PathSample {
  x: number;
  y: number;
  hx: number;
  hy: number;
  kappa: number;
  limit: number;
  road: string;
}

interface Primitive {
  readonly s0: number;
  readonly len: number;
  readonly limit: number;
  readonly road: string;
  /** Line: start and unit direction. Arc: centre, radius, start angle, turn sign. */
  readonly x0: number;
  readonly y0: number;
  readonly ux: number;
  readonly uy: number;
  readonly radius: number;
  readonly sign: number;
}

interface Vertex {
  x: number;
  y: number;
  node: number;
  legEnd: boolean;
}

export interface PathOptions {
  readonly stopAtSignal: number;
  readonly stopAtJunction: number;
  readonly pickupDwell: readonly [number, number];
  readonly endDwell: readonly [number, number];
}

/** A drive's route: road polylines joined leg after leg, corners rounded into arcs a car can follow. */
export class RoutePath {
  readonly length: number;
  readonly constraints: Constraint[];
  private readonly prims: Primitive[];
  private cursor = 0;

  constructor(graph: RoadGraph, legs: readonly (readonly number[])[], rng: Rng, options: PathOptions) {
    const { vertices, limits, names } = verticesOf(graph, legs);
    if (vertices.length < 2) throw new Error('route has fewer than two points');
    const n = vertices.length;
    const tangent = new Float64Array(n);
    const radius = new Float64Array(n);
    const stopKind: (ConstraintReason | null)[] = new Array<ConstraintReason | null>(n).fill(null);
    const segLen = new Float64Array(n - 1);
    const ux = new Float64Array(n - 1);
    const uy = new Float64Array(n - 1);
    for (let i = 0; i < n - 1; i++) {
      const a = vertices[i] as Vertex;
      const b = vertices[i + 1] as Vertex;
      const len = Math.hypot(b.x - a.x, b.y - a.y);
      segLen[i] = len;
      ux[i] = (b.x - a.x) / len;
      uy[i] = (b.y - a.y) / len;
    }
    const sign = new Float64Array(n);
    for (let i = 1; i < n - 1; i++) {
      const v = vertices[i] as Vertex;
      const cross = (ux[i - 1] ?? 0) * (uy[i] ?? 0) - (uy[i - 1] ?? 0) * (ux[i] ?? 0);
      const dot = (ux[i - 1] ?? 0) * (ux[i] ?? 0) + (uy[i - 1] ?? 0) * (uy[i] ?? 0);
      const theta = Math.atan2(Math.abs(cross), dot);
      sign[i] = cross >= 0 ? 1 : -1;
      if (v.legEnd) {
        stopKind[i] = 'pickup';
        continue;
      }
      if (theta > TURNAROUND_RAD) {
        stopKind[i] = 'turnaround';
        continue;
      }
      const node = v.node >= 0 ? graph.nodes[v.node] : undefined;
      if (node?.junction === true) {
        const p = node.signal ? options.stopAtSignal : options.stopAtJunction;
        if (rng.chance(p)) stopKind[i] = node.signal ? 'signal' : 'junction';
      }
      if (theta < 0.002) continue;
      const turn = node?.junction === true && theta > 0.35;
      let r = turn ? rng.range(12, 22) : 300;
      r = Math.min(r, MAX_CORNER_OFFSET_M / (1 - Math.cos(theta / 2)));
      const half = Math.tan(theta / 2);
      const t = Math.min(r * half, 0.45 * (segLen[i - 1] ?? 0), 0.45 * (segLen[i] ?? 0));
      if (t / half < MIN_RADIUS_M) {
        stopKind[i] = 'turnaround';
        continue;
      }
      tangent[i] = t;
      radius[i] = t / half;
    }

    const prims: Primitive[] = [];
    const constraints: Constraint[] = [];
    let s = 0;
    const addConstraint = (c: Omit<Constraint, 'served' | 'sharpTarget' | 'radius'> & { radius?: number }): void => {
      constraints.push({ ...c, radius: c.radius ?? 0, served: false, sharpTarget: 0 });
    };
    let prevLimit = limits[0] ?? 10;
    for (let i = 0; i < n - 1; i++) {
      const a = vertices[i] as Vertex;
      const limit = limits[i] ?? 10;
      const road = names[i] ?? '';
      if (limit < prevLimit - 0.1)
        addConstraint({ s, sEnd: s, v: 0.95 * limit, stop: false, dwell: 0, reason: 'limit' });
      prevLimit = limit;
      const t0 = tangent[i] ?? 0;
      const t1 = tangent[i + 1] ?? 0;
      const lineLen = (segLen[i] ?? 0) - t0 - t1;
      const dx = ux[i] ?? 0;
      const dy = uy[i] ?? 0;
      if (lineLen > 1e-6) {
        prims.push({
          s0: s,
          len: lineLen,
          limit,
          road,
          x0: a.x + dx * t0,
          y0: a.y + dy * t0,
          ux: dx,
          uy: dy,
          radius: 0,
          sign: 0,
        });
        s += lineLen;
      }
      const j = i + 1;
      if (j >= n - 1) continue;
      const kind = stopKind[j] ?? null;
      const r = radius[j] ?? 0;
      if (kind !== null) {
        const dwell =
          kind === 'pickup'
            ? rng.range(...options.pickupDwell)
            : kind === 'turnaround'
              ? rng.range(2, 5)
              : rng.range(5, 45);
        addConstraint({ s, sEnd: s, v: 0, stop: true, dwell, reason: kind });
      }
      if (r > 0) {
        const sg = sign[j] ?? 1;
        const tx = (vertices[j] as Vertex).x - dx * (tangent[j] ?? 0);
        const ty = (vertices[j] as Vertex).y - dy * (tangent[j] ?? 0);
        const cx = tx - sg * r * dy;
        const cy = ty + sg * r * dx;
        const theta = Math.atan2(
          Math.abs(dx * (uy[j] ?? 0) - dy * (ux[j] ?? 0)),
          dx * (ux[j] ?? 0) + dy * (uy[j] ?? 0),
        );
        const arcLen = r * theta;
        const arcLimit = Math.min(limit, limits[j] ?? limit);
        prims.push({
          s0: s,
          len: arcLen,
          limit: arcLimit,
          road,
          x0: cx,
          y0: cy,
          ux: Math.atan2(ty - cy, tx - cx),
          uy: 0,
          radius: r,
          sign: sg,
        });
        const vc = Math.min(Math.sqrt(A_LAT_COMFORT * r), 0.95 * arcLimit);
        if (vc < 0.95 * limit)
          addConstraint({ s, sEnd: s + arcLen, v: vc, stop: false, dwell: 0, reason: 'corner', radius: r });
        s += arcLen;
      }
    }
    addConstraint({ s, sEnd: s, v: 0, stop: true, dwell: rng.range(...options.endDwell), reason: 'end' });
    constraints.sort((p, q) => p.s - q.s);
    this.length = s;
    this.prims = prims;
    this.constraints = constraints;
  }

  /**
   * Marks up to `count` corners to be taken fast enough for |a_lat| ≥ 3.5 m/s² (an injected sharp turn). Only corners
   * whose arc is long enough for the episode to last and whose target speed stays well under the limit qualify.
   */
  injectSharpTurns(count: number, rng: Rng): number {
    if (count <= 0) return 0;
    const candidates = this.constraints.filter((c) => {
      if (c.reason !== 'corner' || c.radius < 8 || c.radius > 60) return false;
      const vTarget = Math.sqrt(4.4 * c.radius);
      const limit = this.limitAt(c.s);
      return (
        vTarget < 0.85 * limit &&
        c.sEnd - c.s > 1.5 * vTarget &&
        !this.constraints.some((o) => o.stop && Math.abs(o.s - c.s) < 60)
      );
    });
    let made = 0;
    for (let i = 0; i < count && candidates.length > 0; i++) {
      const idx = rng.int(0, candidates.length - 1);
      const c = candidates[idx];
      candidates.splice(idx, 1);
      if (c === undefined) continue;
      c.sharpTarget = rng.range(3.9, 4.4);
      c.v = Math.sqrt(c.sharpTarget * c.radius);
      c.reason = 'sharp_turn';
      made++;
    }
    return made;
  }

  limitAt(s: number): number {
    const sample = this.emptySample();
    this.at(s, sample);
    return sample.limit;
  }

  emptySample(): PathSample {
    return { x: 0, y: 0, hx: 1, hy: 0, kappa: 0, limit: 0, road: '' };
  }

  /** Fills `out` for arc length `s` (clamped to the path). Fast when `s` only grows between calls. */
  at(s: number, out: PathSample): void {
    const prims = this.prims;
    let i = this.cursor;
    if ((prims[i]?.s0 ?? 0) > s) i = 0;
    while (i < prims.length - 1 && (prims[i + 1]?.s0 ?? Infinity) <= s) i++;
    this.cursor = i;
    const p = prims[i];
    if (p === undefined) return;
    const u = Math.min(Math.max(s - p.s0, 0), p.len);
    out.limit = p.limit;
    out.road = p.road;
    if (p.radius === 0) {
      out.x = p.x0 + p.ux * u;
      out.y = p.y0 + p.uy * u;
      out.hx = p.ux;
      out.hy = p.uy;
      out.kappa = 0;
      return;
    }
    const angle = p.ux + (p.sign * u) / p.radius;
    const c = Math.cos(angle);
    const sn = Math.sin(angle);
    out.x = p.x0 + p.radius * c;
    out.y = p.y0 + p.radius * sn;
    out.hx = -p.sign * sn;
    out.hy = p.sign * c;
    out.kappa = p.sign / p.radius;
  }
}

function verticesOf(
  graph: RoadGraph,
  legs: readonly (readonly number[])[],
): { vertices: Vertex[]; limits: number[]; names: string[] } {
  const proj = graph.projection;
  const vertices: Vertex[] = [];
  const limits: number[] = [];
  const names: string[] = [];
  for (let l = 0; l < legs.length; l++) {
    const leg = legs[l] ?? [];
    for (let k = 0; k < leg.length; k++) {
      const edge = graph.edges[leg[k] ?? -1];
      if (edge === undefined) continue;
      edge.points.forEach(([lon, lat], p) => {
        const x = proj.x(lon);
        const y = proj.y(lat);
        const node = p === 0 ? edge.from : p === edge.points.length - 1 ? edge.to : -1;
        const last = vertices[vertices.length - 1];
        if (last !== undefined && Math.hypot(last.x - x, last.y - y) < 0.5) {
          if (node >= 0) last.node = node;
          return;
        }
        if (last !== undefined) {
          limits.push(edge.limitMps);
          names.push(edge.name);
        }
        vertices.push({ x, y, node, legEnd: false });
      });
    }
    const end = vertices[vertices.length - 1];
    if (end !== undefined && l < legs.length - 1 && leg.length > 0) end.legEnd = true;
  }
  return { vertices, limits, names };
}
