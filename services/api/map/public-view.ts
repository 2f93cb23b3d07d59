import { ApiError } from '../errors.js';
import type { Bbox, MapFilter } from './map-filter.js';

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

/**
 * A public caller's filter, coarsened so that it cannot probe below the grid: the box grown to whole cells, the
 * time range to whole steps (else scanning `to` second by second would time each cell change, and place the
 * vehicle on a cell's edge at that instant). A vehicle filter is refused: one vehicle's cells are its track, and
 * an empty answer would confirm a guessed id or plate.
 */
export function coarsenFilter<F extends MapFilter>(f: F, view: PublicView): F {
  if (f.vehicle?.length)
    throw new ApiError(
      'forbidden',
      'public map viewers (x-avlog-role: public) cannot filter by vehicle: they see fleet-level data only',
      'vehicle',
    );
  const out: F = { ...f };
  if (f.bbox) out.bbox = snapOutward(f.bbox, view.cellDeg);
  const stepMs = view.timeS * 1000;
  if (f.from !== undefined) out.from = new Date(Math.floor(Date.parse(f.from) / stepMs) * stepMs).toISOString();
  if (f.to !== undefined) out.to = new Date(Math.ceil(Date.parse(f.to) / stepMs) * stepMs).toISOString();
  return out;
}

/** SQL: the centre of the grid cell holding `col` (degrees). */
export const cellCentreSql = (col: string, cellDeg: number): string =>
  `((floor(${col} / ${cellDeg}) + 0.5) * ${cellDeg})`;

/** A box grown outwards to whole grid cells: a query box can then not tell positions apart within a cell. */
export function snapOutward(b: Bbox, cellDeg: number): [number, number, number, number] {
  return [
    Math.floor(b[0] / cellDeg) * cellDeg,
    Math.floor(b[1] / cellDeg) * cellDeg,
    (Math.floor(b[2] / cellDeg) + 1) * cellDeg,
    (Math.floor(b[3] / cellDeg) + 1) * cellDeg,
  ].map((v) => Math.round(v / cellDeg) * cellDeg) as [number, number, number, number];
}
