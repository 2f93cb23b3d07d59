import type { Rng } from './prng.js';
import { shortestRoute, type RoadGraph } from '../services/reference/roads/graph.js';
import type { OdTrip } from '../services/reference/roads/od.js';

export interface PlannedRoute {
  readonly legs: number[][];
  readonly end: number;
  /** Rough duration, s: enough to place incidents; the simulation decides the real one. */
  readonly expectedSeconds: number;
}

const MAX_LEGS = 24;
/** Share of legs taken from real taxi trips when some are given. */
const OD_SHARE = 0.8;

/** Chooses where a vehicle drives: legs between pickup points until the drive would last about as long as wanted. */
export class RoutePlanner {
  private readonly graph: RoadGraph;
  private readonly trips: readonly OdTrip[];
  private readonly destinations: readonly number[];

  constructor(graph: RoadGraph, trips: readonly OdTrip[]) {
    this.graph = graph;
    this.trips = trips;
    const major = graph.routable.filter(
      (n) =>
        graph.nodes[n]?.junction === true &&
        (graph.outEdges[n] ?? []).some((e) => (graph.edges[e]?.limitMps ?? 0) >= 39 / 3.6),
    );
    const junctions = graph.routable.filter((n) => graph.nodes[n]?.junction === true);
    this.destinations = major.length >= 10 ? major : junctions.length >= 10 ? junctions : graph.routable;
  }

  randomNode(rng: Rng): number {
    return rng.pick(this.destinations);
  }

  plan(rng: Rng, start: number, targetSeconds: number): PlannedRoute {
    const legs: number[][] = [];
    let at = start;
    let expected = 0;
    while (expected < targetSeconds && legs.length < MAX_LEGS) {
      const targets: number[] = [];
      if (this.trips.length > 0 && rng.chance(OD_SHARE)) {
        const trip = rng.pick(this.trips);
        if (trip.from !== at) targets.push(trip.from);
        targets.push(trip.to);
      } else {
        targets.push(this.farNode(rng, at));
      }
      for (const to of targets) {
        const leg = shortestRoute(this.graph, at, to);
        if (leg === null || leg.length === 0) continue;
        legs.push(leg);
        expected += this.legSeconds(leg) + 55;
        at = to;
      }
    }
    return { legs, end: at, expectedSeconds: expected };
  }

  private farNode(rng: Rng, from: number): number {
    const a = this.graph.nodes[from];
    const proj = this.graph.projection;
    let pick = this.randomNode(rng);
    for (let i = 0; i < 10 && a !== undefined; i++) {
      const b = this.graph.nodes[pick];
      if (
        pick !== from &&
        b !== undefined &&
        Math.hypot(proj.x(a.lon) - proj.x(b.lon), proj.y(a.lat) - proj.y(b.lat)) > 1000
      )
        break;
      pick = this.randomNode(rng);
    }
    return pick;
  }

  private legSeconds(leg: readonly number[]): number {
    let s = 0;
    for (const ei of leg) {
      const e = this.graph.edges[ei];
      if (e === undefined) continue;
      s += e.lengthM / (0.7 * e.limitMps);
      if (this.graph.nodes[e.to]?.signal === true) s += 12;
    }
    return s;
  }
}
