import { LocalProjection, pointSegment } from '../geo/local-projection.js';
import { buildGraph, type RoadEdge, type RoadGraph, type RoadNode } from './graph.js';

/** A road as drawn by hand: a WGS-84 polyline, `[lon, lat]`, with its posted limit. */
export interface RoadLine {
  readonly name: string;
  readonly nameEn: string;
  readonly limitKmh: number;
  readonly oneway?: boolean;
  readonly points: readonly (readonly [number, number])[];
}

/** Crossings closer than this merge into one junction, m. */
const MERGE_M = 25;
/** A road ending this close to another road is joined to it (a T-junction), m. */
const SNAP_M = 300;

interface Station {
  /** Segment index and parameter along the road's polyline. */
  seg: number;
  t: number;
  x: number;
  y: number;
  junction: number;
}

/**
 * Turns hand-drawn polylines into a routable graph: where two roads cross (or one ends near another) a shared
 * junction node is made, and each road is cut into two-way edges between its junctions and ends.
 */
export function graphFromLines(source: string, lines: readonly RoadLine[]): RoadGraph {
  const all = lines.flatMap((l) => l.points);
  const lat0 = all.reduce((s, p) => s + p[1], 0) / all.length;
  const lon0 = all.reduce((s, p) => s + p[0], 0) / all.length;
  const proj = new LocalProjection(lat0, lon0);
  const xy = lines.map((l) => l.points.map(([lon, lat]) => [proj.x(lon), proj.y(lat)] as [number, number]));
  const junctions: { x: number; y: number; roads: Set<number> }[] = [];
  const stations: Station[][] = lines.map(() => []);

  const junctionAt = (x: number, y: number, road: number): number => {
    for (let j = 0; j < junctions.length; j++) {
      const jn = junctions[j];
      if (jn !== undefined && Math.hypot(jn.x - x, jn.y - y) < MERGE_M) {
        jn.roads.add(road);
        return j;
      }
    }
    junctions.push({ x, y, roads: new Set([road]) });
    return junctions.length - 1;
  };
  const addStation = (road: number, seg: number, t: number, x: number, y: number, j: number): void => {
    const list = stations[road];
    if (list === undefined) return;
    if (list.some((s) => s.junction === j)) return;
    list.push({ seg, t, x, y, junction: j });
    junctions[j]?.roads.add(road);
  };

  for (let a = 0; a < xy.length; a++) {
    for (let b = a + 1; b < xy.length; b++) {
      const pa = xy[a] ?? [];
      const pb = xy[b] ?? [];
      for (let i = 1; i < pa.length; i++) {
        for (let k = 1; k < pb.length; k++) {
          const hit = intersect(pa[i - 1], pa[i], pb[k - 1], pb[k]);
          if (hit === null) continue;
          const j = junctionAt(hit.x, hit.y, a);
          addStation(a, i - 1, hit.t, hit.x, hit.y, j);
          addStation(b, k - 1, hit.u, hit.x, hit.y, j);
        }
      }
    }
  }
  // T-junctions: extend a road's loose end onto the nearest other road.
  for (let a = 0; a < xy.length; a++) {
    const pa = xy[a];
    if (pa === undefined || pa.length < 2) continue;
    for (const end of [0, pa.length - 1]) {
      const p = pa[end];
      if (p === undefined) continue;
      if ((stations[a] ?? []).some((s) => Math.hypot(s.x - p[0], s.y - p[1]) < SNAP_M)) continue;
      let best: { road: number; seg: number; t: number; d: number } | null = null;
      for (let b = 0; b < xy.length; b++) {
        if (b === a) continue;
        const pb = xy[b] ?? [];
        for (let k = 1; k < pb.length; k++) {
          const q0 = pb[k - 1];
          const q1 = pb[k];
          if (q0 === undefined || q1 === undefined) continue;
          const hit = pointSegment(p[0], p[1], q0[0], q0[1], q1[0], q1[1]);
          if (hit.d < SNAP_M && (best === null || hit.d < best.d)) best = { road: b, seg: k - 1, t: hit.t, d: hit.d };
        }
      }
      if (best === null) continue;
      const q0 = xy[best.road]?.[best.seg];
      const q1 = xy[best.road]?.[best.seg + 1];
      if (q0 === undefined || q1 === undefined) continue;
      const x = q0[0] + (q1[0] - q0[0]) * best.t;
      const y = q0[1] + (q1[1] - q0[1]) * best.t;
      const j = junctionAt(x, y, a);
      addStation(best.road, best.seg, best.t, x, y, j);
      if (end === 0) {
        pa.unshift([x, y]);
        for (const s of stations[a] ?? []) s.seg += 1;
        addStation(a, 0, 0, x, y, j);
      } else {
        pa.push([x, y]);
        addStation(a, pa.length - 2, 1, x, y, j);
      }
    }
  }

  const nodes: RoadNode[] = junctions.map((j) => ({
    lat: proj.lat(j.y),
    lon: proj.lon(j.x),
    junction: j.roads.size >= 2,
    signal: j.roads.size >= 2,
  }));
  const edges: RoadEdge[] = [];
  lines.forEach((line, r) => {
    const pts = xy[r] ?? [];
    const first = pts[0];
    const last = pts[pts.length - 1];
    if (first === undefined || last === undefined) return;
    const list = [...(stations[r] ?? [])];
    if (!list.some((s) => s.seg === 0 && s.t === 0)) {
      nodes.push({ lat: proj.lat(first[1]), lon: proj.lon(first[0]), junction: false, signal: false });
      list.push({ seg: 0, t: 0, x: first[0], y: first[1], junction: nodes.length - 1 });
    }
    if (!list.some((s) => s.seg === pts.length - 2 && s.t === 1)) {
      nodes.push({ lat: proj.lat(last[1]), lon: proj.lon(last[0]), junction: false, signal: false });
      list.push({ seg: pts.length - 2, t: 1, x: last[0], y: last[1], junction: nodes.length - 1 });
    }
    list.sort((p, q) => p.seg - q.seg || p.t - q.t);
    const limitMps = line.limitKmh / 3.6;
    for (let i = 1; i < list.length; i++) {
      const a = list[i - 1];
      const b = list[i];
      if (a === undefined || b === undefined || a.junction === b.junction) continue;
      const geom: [number, number][] = [[a.x, a.y]];
      for (let v = a.seg + 1; v <= b.seg; v++) {
        const p = pts[v];
        if (p !== undefined) geom.push(p);
      }
      geom.push([b.x, b.y]);
      const clean = geom.filter(
        (p, k) => k === 0 || Math.hypot(p[0] - (geom[k - 1]?.[0] ?? 0), p[1] - (geom[k - 1]?.[1] ?? 0)) > 0.5,
      );
      let lengthM = 0;
      for (let k = 1; k < clean.length; k++)
        lengthM += Math.hypot(
          (clean[k]?.[0] ?? 0) - (clean[k - 1]?.[0] ?? 0),
          (clean[k]?.[1] ?? 0) - (clean[k - 1]?.[1] ?? 0),
        );
      if (lengthM < 1) continue;
      const points = clean.map(([x, y]) => [proj.lon(x), proj.lat(y)] as const);
      edges.push({ from: a.junction, to: b.junction, name: line.name, limitMps, lengthM, points });
      if (line.oneway !== true)
        edges.push({
          from: b.junction,
          to: a.junction,
          name: line.name,
          limitMps,
          lengthM,
          points: [...points].reverse(),
        });
    }
  });
  return buildGraph(source, nodes, edges);
}

function intersect(
  a0: readonly [number, number] | undefined,
  a1: readonly [number, number] | undefined,
  b0: readonly [number, number] | undefined,
  b1: readonly [number, number] | undefined,
): { x: number; y: number; t: number; u: number } | null {
  if (a0 === undefined || a1 === undefined || b0 === undefined || b1 === undefined) return null;
  const rx = a1[0] - a0[0];
  const ry = a1[1] - a0[1];
  const sx = b1[0] - b0[0];
  const sy = b1[1] - b0[1];
  const den = rx * sy - ry * sx;
  if (Math.abs(den) < 1e-9) return null;
  const qx = b0[0] - a0[0];
  const qy = b0[1] - a0[1];
  const t = (qx * sy - qy * sx) / den;
  const u = (qx * ry - qy * rx) / den;
  if (t < 0 || t > 1 || u < 0 || u > 1) return null;
  return { x: a0[0] + t * rx, y: a0[1] + t * ry, t, u };
}
