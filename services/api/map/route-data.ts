import { listValue } from '@duckdb/node-api';
import type { LakeRepository } from '../../lake/repository.js';
import { isPublic, type Scope } from '../../lake/scope.js';
import { queryColumns } from './columnar-query.js';
import { mapWhere, type MapFilter } from './map-filter.js';
import { driveTimeOrder } from './drive-order.js';
import { thinToGrid } from './level-of-detail.js';
import { coarsenFilter, PUBLIC_VIEW, snapOutward } from './public-view.js';
import { POINT_COLUMNS, routeDrivesSql, routePointsSql } from './route-sql.js';
import { lodCellDeg, MAP_MODES, type RouteMeta, type VehicleRef } from './wire-format.js';

/** Routes as columns, ready to encode: one entry per sample, `position` interleaved [x0, y0, x1, y1, …]. */
export interface RouteData {
  meta: RouteMeta;
  length: number;
  position: Float32Array;
  t: Float32Array;
  speed: Float32Array;
  mode: Uint8Array;
}

export interface RouteRequest {
  /** Thin for this zoom (level of detail); undefined = every sample. */
  zoom?: number;
  /** Most samples to send: without a zoom, samples are read 1 in k to stay under it; with one, the grid coarsens. */
  maxPoints: number;
}

/** Coarser grids tried when a level of detail still exceeds `maxPoints`. */
const MAX_COARSENING = 4;
/** For a level of detail, read about this many samples per grid cell a path crosses (then thin to one per cell). */
const SAMPLES_PER_CELL = 4;
const METRES_PER_DEGREE = 111_320;

interface DriveRow {
  drive_id: string;
  vehicle_id: string;
  company_id: string;
  n: number;
  t_min_us: number;
  t_max_us: number;
  length_m: number;
  min_lon: number;
  max_lon: number;
  min_lat: number;
  max_lat: number;
}

/**
 * The samples a map filter selects, thinned for a zoom, coded for the wire. A public caller gets them coarsened
 * (see public-view.ts): positions on grid-cell centres, times to the minute, the query box and time range grown
 * to whole cells and minutes, no drive or vehicle ids (one anonymous vehicle per company), and always thinned to
 * at least the grid.
 */
export async function loadRoutes(
  repo: LakeRepository,
  scope: Scope,
  filter: MapFilter,
  req: RouteRequest,
): Promise<RouteData> {
  const coarse = isPublic(scope) ? PUBLIC_VIEW : undefined;
  const where = mapWhere(coarse ? coarsenFilter(filter, coarse) : filter, 'm');
  const drives = (await repo.query(scope, routeDrivesSql(where), where.params)) as unknown as DriveRow[];
  const vehicles = vehicleDictionary(drives, coarse !== undefined);
  const vehicleIndex = new Map(vehicles.map((v, i) => [v.id || v.company, i]));
  const sourcePoints = drives.reduce((a, d) => a + d.n, 0);
  const lengthM = drives.reduce((a, d) => a + d.length_m, 0);
  const extent = extentOf(drives);
  const bbox = coarse && extent ? snapOutward(extent, coarse.cellDeg) : extent;
  // a public origin is a grid corner, so origin + offset is a cell centre
  const origin: [number, number] = !bbox
    ? [0, 0]
    : coarse
      ? [bbox[0], bbox[1]]
      : [round6((bbox[0] + bbox[2]) / 2), round6((bbox[1] + bbox[3]) / 2)];
  const firstUs = drives.reduce((a, d) => Math.min(a, d.t_min_us), Infinity);
  const t0us = coarse ? Math.floor(firstUs / (coarse.timeS * 1e6)) * coarse.timeS * 1e6 : firstUs;
  const t1us = drives.reduce((a, d) => Math.max(a, d.t_max_us), -Infinity);
  const meta: RouteMeta = {
    origin,
    t0: drives.length ? new Date(t0us / 1000).toISOString() : null,
    duration_s: drives.length
      ? coarse
        ? Math.round((t1us - t0us) / (coarse.timeS * 1e6)) * coarse.timeS
        : (t1us - t0us) / 1e6
      : 0,
    vehicles,
    drives: drives.map((d) => (coarse ? '' : d.drive_id)),
    drive_vehicle: drives.map((d) => vehicleIndex.get(coarse ? d.company_id : d.vehicle_id) ?? 0),
    path_starts: [],
    path_drives: [],
    modes: MAP_MODES,
    lod: null,
    stride: 1,
    source_points: sourcePoints,
    bbox,
  };
  if (!drives.length) return { meta, ...emptyColumns() };

  let zoom = req.zoom === undefined ? undefined : Math.floor(req.zoom);
  for (let attempt = 0; ; attempt++) {
    const lodCell = zoom === undefined ? null : lodCellDeg(zoom);
    const cellDeg = coarse ? Math.max(lodCell ?? 0, coarse.cellDeg) : lodCell;
    // read 1 in k: enough for every cell a path crosses, or to stay under max_points
    const wanted =
      cellDeg === null
        ? req.maxPoints / 1.05
        : SAMPLES_PER_CELL * (lengthM / (cellDeg * METRES_PER_DEGREE) + 2 * drives.length);
    const k = Math.max(1, Math.floor(sourcePoints / Math.max(1, wanted)));
    const params = {
      ...where.params,
      r_drives: listValue(drives.map((d) => d.drive_id)),
      r_t_min: listValue(drives.map((d) => d.t_min_us)),
      r_t_max: listValue(drives.map((d) => d.t_max_us)),
      r_lon0: origin[0],
      r_lat0: origin[1],
      r_t0_us: t0us,
    };
    const { length, columns: c } = await queryColumns(
      repo,
      scope,
      routePointsSql(where, k, coarse),
      params,
      POINT_COLUMNS,
    );
    const thinned = thinToGrid(c, length, cellDeg, driveTimeOrder(c.drive, c.t, drives.length));
    if (zoom !== undefined && zoom > 0 && thinned.rows.length > req.maxPoints && attempt < MAX_COARSENING) {
      // a path's samples scale with its length in cells, about 2× per zoom level
      zoom = Math.max(0, zoom - Math.max(1, Math.ceil(Math.log2(thinned.rows.length / req.maxPoints))));
      continue;
    }
    meta.lod = cellDeg === null ? null : { zoom: zoom ?? null, cell_deg: cellDeg };
    meta.stride = k;
    meta.path_starts = thinned.pathStarts;
    meta.path_drives = thinned.pathDrives;
    const r = thinned.rows;
    return {
      meta,
      length: r.length,
      position: gatherPairs(c.x, c.y, r),
      t: gather(c.t, r),
      speed: gather(c.speed, r),
      mode: gather(c.mode, r),
    };
  }
}

/** Vehicles by id; for a public caller one anonymous vehicle (id '') per company. */
function vehicleDictionary(drives: readonly DriveRow[], anonymous: boolean): VehicleRef[] {
  const byId = new Map<string, string>();
  for (const d of drives) byId.set(anonymous ? d.company_id : d.vehicle_id, d.company_id);
  return [...byId]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, company]) => ({ id: anonymous ? '' : id, company }));
}

function extentOf(drives: readonly DriveRow[]): [number, number, number, number] | null {
  if (!drives.length) return null;
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const d of drives) {
    b[0] = Math.min(b[0], d.min_lon);
    b[1] = Math.min(b[1], d.min_lat);
    b[2] = Math.max(b[2], d.max_lon);
    b[3] = Math.max(b[3], d.max_lat);
  }
  return b;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

/** [x, y] of the chosen rows, interleaved. */
function gatherPairs(x: Float32Array, y: Float32Array, rows: Uint32Array): Float32Array {
  const out = new Float32Array(rows.length * 2);
  for (let i = 0; i < rows.length; i++) {
    out[2 * i] = x[rows[i] as number] as number;
    out[2 * i + 1] = y[rows[i] as number] as number;
  }
  return out;
}

function gather<T extends Float32Array | Uint8Array>(values: T, rows: Uint32Array): T {
  const out = new (values.constructor as new (n: number) => T)(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i] as number] as number;
  return out;
}

function emptyColumns(): Omit<RouteData, 'meta'> {
  return {
    length: 0,
    position: new Float32Array(0),
    t: new Float32Array(0),
    speed: new Float32Array(0),
    mode: new Uint8Array(0),
  };
}
