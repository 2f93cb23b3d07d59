import gcoordModule from 'gcoord';
import type { Crs } from '../schema/vocab.js';

/** gcoord is CommonJS whose typings declare an ES default export; this is the shape it has at run time. */
const gcoord = gcoordModule as unknown as { transform<T>(input: T, from: string, to: string): T };

const FROM: Record<Exclude<Crs, 'wgs84'>, string> = { gcj02: 'GCJ02', bd09: 'BD09' };

/** Converts a position recorded in `crs` to WGS-84 ([lat, lon]). gcoord inverts GCJ-02 iteratively (≈ mm here). */
export function toWgs84(crs: Crs, lat: number, lon: number): [number, number] {
  if (crs === 'wgs84') return [lat, lon];
  const [x, y] = gcoord.transform<[number, number]>([lon, lat], FROM[crs], 'WGS84');
  return [y, x];
}

/** China's extent, for telling a swapped lat/lon pair from a real one. */
export const CHINA_BBOX = { minLon: 73, minLat: 3, maxLon: 136, maxLat: 54 } as const;

export function inChina(lat: number, lon: number): boolean {
  return lon >= CHINA_BBOX.minLon && lon <= CHINA_BBOX.maxLon && lat >= CHINA_BBOX.minLat && lat <= CHINA_BBOX.maxLat;
}
