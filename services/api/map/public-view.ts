import type { Bbox } from './map-filter.js';

/**
 * What public map viewers get instead of tracks: high-precision vehicle tracks are "important data" under China's
 * automotive data rules (docs/architecture.md, "Public map viewers"). Positions are snapped to the centres of a
 * grid of `cellDeg` degrees, times to `timeS` seconds, drive and vehicle ids are left out.
 */
export const PUBLIC_VIEW = {
  /** 0.002° ≈ 205 m of longitude × 222 m of latitude in Shenzhen (22.5° N). */
  cellDeg: 0.002,
  /** A minute: at 10 m/s a vehicle crosses several cells in that time, so times do not locate a crossing. */
  timeS: 60,
} as const;

export type PublicView = typeof PUBLIC_VIEW;

/** SQL: the centre of the grid cell holding `col` (degrees). */
export const cellCentreSql = (col: string, cellDeg: number): string => `((floor(${col} / ${cellDeg}) + 0.5) * ${cellDeg})`;

/** A box grown outwards to whole grid cells: a query box can then not tell positions apart within a cell. */
export function snapOutward(b: Bbox, cellDeg: number): [number, number, number, number] {
  return [Math.floor(b[0] / cellDeg) * cellDeg, Math.floor(b[1] / cellDeg) * cellDeg, (Math.floor(b[2] / cellDeg) + 1) * cellDeg, (Math.floor(b[3] / cellDeg) + 1) * cellDeg].map(
    (v) => Math.round(v / cellDeg) * cellDeg,
  ) as [number, number, number, number];
}
