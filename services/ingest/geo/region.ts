import { UsageError } from '../../core/usage-error.js';

/** The operating region of a fleet: samples outside it are stored but counted (`outside_region`). */
export interface Region {
  readonly name: string;
  readonly minLon: number;
  readonly minLat: number;
  readonly maxLon: number;
  readonly maxLat: number;
}

/** Shenzhen: the bounding box of its ten districts (`shared/data/shenzhen/districts-wgs84.geojson`), WGS-84. */
export const SHENZHEN_REGION: Region = {
  name: 'shenzhen',
  minLon: 113.746,
  minLat: 22.399,
  maxLon: 114.624,
  maxLat: 22.865,
};

export function inRegion(r: Region, lat: number, lon: number): boolean {
  return lat >= r.minLat && lat <= r.maxLat && lon >= r.minLon && lon <= r.maxLon;
}

/** `--region minLon,minLat,maxLon,maxLat` (WGS-84 degrees). */
export function parseRegion(text: string): Region {
  const parts = text.split(',').map((p) => Number(p.trim()));
  const [minLon, minLat, maxLon, maxLat] = parts;
  if (
    parts.length !== 4 ||
    minLon === undefined ||
    minLat === undefined ||
    maxLon === undefined ||
    maxLat === undefined ||
    !parts.every(Number.isFinite) ||
    minLon >= maxLon ||
    minLat >= maxLat ||
    minLat < -90 ||
    maxLat > 90 ||
    minLon < -180 ||
    maxLon > 180
  )
    throw new UsageError(
      `--region must be minLon,minLat,maxLon,maxLat in WGS-84 degrees with min < max, got ${JSON.stringify(text)}`,
    );
  return { name: text, minLon, minLat, maxLon, maxLat };
}
