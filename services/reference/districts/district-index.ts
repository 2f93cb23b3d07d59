import booleanPointInPolygon from '@turf/boolean-point-in-polygon';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { readDistricts } from './district-file.js';

interface District {
  readonly name: string;
  readonly feature: Feature<Polygon | MultiPolygon>;
  readonly bbox: readonly [number, number, number, number];
}

/** Cell size of the lookup cache, degrees (≈ 55 m): a cell whose four corners agree is answered without a polygon test. */
const CELL = 0.0005;

/**
 * Named polygons from a user's GeoJSON (e.g. Shenzhen's districts, property `qh`) and a point → name lookup fast
 * enough for every telemetry sample: a per-cell cache in front of bbox-filtered point-in-polygon tests.
 */
export class DistrictIndex {
  readonly names: readonly string[];
  /** Where the polygons came from, so a worker thread can load the same index. */
  readonly origin: { readonly path: string; readonly property: string | undefined } | null;
  private readonly districts: readonly District[];
  private readonly cells = new Map<number, number>();

  constructor(districts: District[], origin: DistrictIndex['origin'] = null) {
    this.districts = districts;
    this.names = districts.map((d) => d.name);
    this.origin = origin;
  }

  static fromFile(path: string, property?: string): DistrictIndex {
    const districts = readDistricts(path, property).map(({ name, geometry }) => ({
      name,
      feature: { type: 'Feature', geometry, properties: {} } satisfies Feature<Polygon | MultiPolygon>,
      bbox: bboxOf(geometry),
    }));
    return new DistrictIndex(districts, { path, property });
  }

  /** Index into `names` of the polygon containing the point, or -1. */
  lookup(lat: number, lon: number): number {
    const cx = Math.floor(lon / CELL);
    const cy = Math.floor(lat / CELL);
    const key = cx * 1_000_003 + cy;
    let cell = this.cells.get(key);
    if (cell === undefined) {
      const x0 = cx * CELL;
      const y0 = cy * CELL;
      const corners = [
        this.exact(y0, x0),
        this.exact(y0, x0 + CELL),
        this.exact(y0 + CELL, x0),
        this.exact(y0 + CELL, x0 + CELL),
      ];
      cell = corners.every((c) => c === corners[0]) ? (corners[0] ?? -1) : -2;
      if (this.cells.size > 1_000_000) this.cells.clear();
      this.cells.set(key, cell);
    }
    return cell === -2 ? this.exact(lat, lon) : cell;
  }

  private exact(lat: number, lon: number): number {
    for (let i = 0; i < this.districts.length; i++) {
      const d = this.districts[i] as District;
      if (lon < d.bbox[0] || lat < d.bbox[1] || lon > d.bbox[2] || lat > d.bbox[3]) continue;
      if (booleanPointInPolygon([lon, lat], d.feature)) return i;
    }
    return -1;
  }
}

function bboxOf(g: Polygon | MultiPolygon): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const rings = g.type === 'Polygon' ? g.coordinates : g.coordinates.flat();
  for (const ring of rings) {
    for (const p of ring) {
      const x = p[0] ?? 0;
      const y = p[1] ?? 0;
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  }
  return b;
}
