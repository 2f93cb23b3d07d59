import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import { readDistricts } from '../../reference/districts/district-file.js';
import { simplifyLine } from './simplify-line.js';

/** Properties of a district as the map serves it. */
export interface DistrictProperties {
  name: string;
  /** Where to draw the name: the centroid of the largest ring, [lon, lat]. */
  label: [number, number];
}

export type DistrictOutlines = FeatureCollection<Polygon | MultiPolygon, DistrictProperties>;

/** Outlines are simplified to this, degrees (≈ 5 m): invisible on a city map, a third of the vertices to draw. */
const TOLERANCE_DEG = 0.00005;

/**
 * District polygons from a user's GeoJSON (WGS-84), reduced to a name and a label point. Read once at start-up:
 * a file that cannot be read stops the server with the reason rather than a map without districts.
 */
export function loadDistrictOutlines(file: string, property?: string): DistrictOutlines {
  const features = readDistricts(file, property).map(
    ({ name, geometry }): Feature<Polygon | MultiPolygon, DistrictProperties> => ({
      type: 'Feature',
      geometry: simplified(geometry),
      properties: { name, label: labelPoint(geometry) },
    }),
  );
  return { type: 'FeatureCollection', features };
}

function simplified(g: Polygon | MultiPolygon): Polygon | MultiPolygon {
  const polygon = (rings: Position[][]) =>
    rings.map((r) => simplifyLine(r, TOLERANCE_DEG)).filter((r) => r.length >= 4);
  return g.type === 'Polygon'
    ? { type: 'Polygon', coordinates: polygon(g.coordinates) }
    : { type: 'MultiPolygon', coordinates: g.coordinates.map(polygon).filter((p) => p.length > 0) };
}

/** Area-weighted centroid of the largest outer ring (shoelace formula in degrees: fine at city scale). */
function labelPoint(g: Polygon | MultiPolygon): [number, number] {
  const rings = g.type === 'Polygon' ? [g.coordinates[0]] : g.coordinates.map((p) => p[0]);
  let best: { area: number; c: [number, number] } = { area: -1, c: [0, 0] };
  for (const ring of rings) {
    if (!ring) continue;
    const r = ringCentroid(ring);
    if (r.area > best.area) best = r;
  }
  return best.c;
}

function ringCentroid(ring: readonly Position[]): { area: number; c: [number, number] } {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < ring.length - 1; i++) {
    const [x0 = 0, y0 = 0] = ring[i] ?? [];
    const [x1 = 0, y1 = 0] = ring[i + 1] ?? [];
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (a === 0) {
    const [x = 0, y = 0] = ring[0] ?? [];
    return { area: 0, c: [x, y] };
  }
  return { area: Math.abs(a / 2), c: [cx / (3 * a), cy / (3 * a)] };
}
