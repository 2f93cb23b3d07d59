import { LocalProjection } from '../geo/local-projection.js';

export interface RoadNode {
  readonly lat: number;
  readonly lon: number;
  /** Three or more streets meet here. */
  readonly junction: boolean;
  /** Traffic lights: vehicles stop here often. */
  readonly signal: boolean;
}

/** A directed, drivable stretch between two nodes. `points` run from `from` to `to`, `[lon, lat]` WGS-84. */
export interface RoadEdge {
  readonly from: number;
  readonly to: number;
  readonly name: string;
  readonly limitMps: number;
  readonly lengthM: number;
  readonly points: readonly (readonly [number, number])[];
}

export interface RoadGraph {
  /** `embedded` or the road file's base name. */
  readonly source: string;
  readonly nodes: readonly RoadNode[];
  readonly edges: readonly RoadEdge[];
  /** Edge indices leaving each node. */
  readonly outEdges: readonly (readonly number[])[];
  /** Nodes of the largest strongly connected component: any can be routed to any other. */
  readonly routable: readonly number[];
  readonly projection: LocalProjection;
  readonly bbox: { readonly minLat: number; readonly minLon: number; readonly maxLat: number; readonly maxLon: number };
}

export function buildGraph(source: string, nodes: readonly RoadNode[], edges: readonly RoadEdge[]): RoadGraph {
  if (nodes.length === 0 || edges.length === 0) throw new Error(`road network ${source} has no drivable roads`);
  const outEdges: number[][] = nodes.map(() => []);
  edges.forEach((e, i) => outEdges[e.from]?.push(i));
  let minLat = Infinity;
  let minLon = Infinity;
  let maxLat = -Infinity;
  let maxLon = -Infinity;
  for (const e of edges) {
    for (const [lon, lat] of e.points) {
      if (lat < minLat) minLat = lat;
      if (lat > maxLat) maxLat = lat;
      if (lon < minLon) minLon = lon;
      if (lon > maxLon) maxLon = lon;
    }
  }
  const projection = new LocalProjection((minLat + maxLat) / 2, (minLon + maxLon) / 2);
  const routable = largestStronglyConnected(nodes.length, edges, outEdges);
  if (routable.length < 2) throw new Error(`road network ${source} has no two nodes connected both ways`);
  return { source, nodes, edges, outEdges, routable, projection, bbox: { minLat, minLon, maxLat, maxLon } };
}

/** Tarjan's algorithm, iterative (road graphs are deep enough to overflow a recursive one). */
function largestStronglyConnected(
  n: number,
  edges: readonly RoadEdge[],
  outEdges: readonly (readonly number[])[],
): number[] {
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  let counter = 0;
  let best: number[] = [];
  const work: { node: number; next: number }[] = [];
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    work.push({ node: root, next: 0 });
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1];
      if (frame === undefined) break;
      const out = outEdges[frame.node] ?? [];
      if (frame.next < out.length) {
        const edge = edges[out[frame.next++] ?? -1];
        if (edge === undefined) continue;
        const w = edge.to;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push({ node: w, next: 0 });
        } else if (onStack[w] === 1) {
          low[frame.node] = Math.min(low[frame.node] ?? 0, index[w] ?? 0);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent.node] = Math.min(low[parent.node] ?? 0, low[frame.node] ?? 0);
      if (low[frame.node] === index[frame.node]) {
        const component: number[] = [];
        for (;;) {
          const w = stack.pop();
          if (w === undefined) break;
          onStack[w] = 0;
          component.push(w);
          if (w === frame.node) break;
        }
        if (component.length > best.length) best = component;
      }
    }
  }
  return best.sort((a, b) => a - b);
}

/** Fastest route (travel time at the limit, plus a few seconds per junction) as a list of edge indices. */
export function shortestRoute(graph: RoadGraph, from: number, to: number): number[] | null {
  if (from === to) return [];
  const n = graph.nodes.length;
  const dist = new Float64Array(n).fill(Infinity);
  const via = new Int32Array(n).fill(-1);
  const heap = new MinHeap();
  dist[from] = 0;
  heap.push(0, from);
  while (heap.size > 0) {
    const cost = heap.topKey();
    const u = heap.pop();
    if (cost > (dist[u] ?? Infinity)) continue;
    if (u === to) break;
    for (const ei of graph.outEdges[u] ?? []) {
      const e = graph.edges[ei];
      if (e === undefined) continue;
      const junctionPenalty = graph.nodes[e.to]?.signal === true ? 8 : 1;
      const c = cost + e.lengthM / e.limitMps + junctionPenalty;
      if (c < (dist[e.to] ?? Infinity)) {
        dist[e.to] = c;
        via[e.to] = ei;
        heap.push(c, e.to);
      }
    }
  }
  if (via[to] === -1) return null;
  const route: number[] = [];
  for (let v = to; v !== from;) {
    const ei = via[v] ?? -1;
    const e = graph.edges[ei];
    if (e === undefined) return null;
    route.push(ei);
    v = e.from;
  }
  return route.reverse();
}

class MinHeap {
  private keys: number[] = [];
  private values: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  topKey(): number {
    return this.keys[0] ?? Infinity;
  }

  push(key: number, value: number): void {
    const keys = this.keys;
    const values = this.values;
    let i = keys.length;
    keys.push(key);
    values.push(value);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pk = keys[p] ?? -Infinity;
      if (pk <= key) break;
      keys[i] = pk;
      values[i] = values[p] ?? 0;
      i = p;
    }
    keys[i] = key;
    values[i] = value;
  }

  pop(): number {
    const keys = this.keys;
    const values = this.values;
    const top = values[0] ?? -1;
    const lastKey = keys.pop() ?? 0;
    const lastValue = values.pop() ?? 0;
    const n = keys.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && (keys[r] ?? 0) < (keys[l] ?? 0) ? r : l;
      const ck = keys[c] ?? 0;
      if (ck >= lastKey) break;
      keys[i] = ck;
      values[i] = values[c] ?? 0;
      i = c;
    }
    keys[i] = lastKey;
    values[i] = lastValue;
    return top;
  }
}
