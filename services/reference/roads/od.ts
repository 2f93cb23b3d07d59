import { readFile } from 'node:fs/promises';
import type { RoadGraph } from './graph.js';
import { RoadIndex } from './spatial.js';

/** A real trip's origin and destination, snapped to road nodes. */
export interface OdTrip {
  readonly from: number;
  readonly to: number;
}

/** Trip ends further than this from any road node are not used, m. */
const SNAP_M = 600;
const MIN_TRIP_M = 800;

/**
 * Reads taxi origin–destination trips (`slon,slat,elon,elat` columns, as in the Shenzhen taxi OD sample) and keeps
 * those whose both ends lie near the road network.
 */
export async function loadOdTrips(file: string, graph: RoadGraph): Promise<OdTrip[]> {
  const text = await readFile(file, 'utf8');
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = (lines[0] ?? '').split(',').map((h) => h.trim().toLowerCase());
  const col = (name: string): number => header.indexOf(name);
  const [sx, sy, ex, ey] = [col('slon'), col('slat'), col('elon'), col('elat')];
  if (sx < 0 || sy < 0 || ex < 0 || ey < 0)
    throw new Error(`${file}: expected columns slon,slat,elon,elat in the header`);
  const index = new RoadIndex(graph);
  const proj = graph.projection;
  const trips: OdTrip[] = [];
  for (let i = 1; i < lines.length; i++) {
    const cells = (lines[i] ?? '').split(',');
    if (cells.length < header.length) continue;
    const [slon, slat, elon, elat] = [sx, sy, ex, ey].map((c) => Number(cells[c]));
    if (slon === undefined || slat === undefined || elon === undefined || elat === undefined) continue;
    if (![slon, slat, elon, elat].every(Number.isFinite)) continue;
    const from = index.nearestNode(slat, slon, SNAP_M);
    const to = index.nearestNode(elat, elon, SNAP_M);
    if (from === null || to === null || from === to) continue;
    const a = graph.nodes[from];
    const b = graph.nodes[to];
    if (a === undefined || b === undefined) continue;
    if (Math.hypot(proj.x(a.lon) - proj.x(b.lon), proj.y(a.lat) - proj.y(b.lat)) < MIN_TRIP_M) continue;
    trips.push({ from, to });
  }
  return trips;
}
