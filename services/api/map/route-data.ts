import { listValue } from '@duckdb/node-api';
import type { LakeRepository } from '../lake/repository.js';
import type { Scope } from '../lake/scope.js';
import { queryColumns } from './columnar-query.js';
import { mapWhere, type MapFilter } from './map-filter.js';
import { driveTimeOrder, permute } from './drive-order.js';
import { POINT_COLUMNS, routeDrivesSql, routePointsOrdered, routePointsSql, type PointsPlan } from './route-sql.js';
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
  /** Most samples to send: without a zoom a stride keeps under it; with one, the grid coarsens (zoom levels down). */
  maxPoints: number;
}

/** Coarser grids tried when a level of detail still exceeds `maxPoints`. */
const MAX_COARSENING = 4;

interface DriveRow {
  drive_id: string;
  vehicle_id: string;
  company_id: string;
  n: number;
  t_min_us: number;
  t_max_us: number;
  min_lon: number;
  max_lon: number;
  min_lat: number;
  max_lat: number;
}

/** The samples a map filter selects, thinned for a zoom, coded for the wire. */
export async function loadRoutes(repo: LakeRepository, scope: Scope, filter: MapFilter, req: RouteRequest): Promise<RouteData> {
  const where = mapWhere(filter, 'm');
  const drives = (await repo.query(scope, routeDrivesSql(where), where.params)) as unknown as DriveRow[];
  const vehicles = vehicleDictionary(drives);
  const vehicleIndex = new Map(vehicles.map((v, i) => [v.id, i]));
  const sourcePoints = drives.reduce((a, d) => a + d.n, 0);
  const bbox = extentOf(drives);
  const origin: [number, number] = bbox ? [round6((bbox[0] + bbox[2]) / 2), round6((bbox[1] + bbox[3]) / 2)] : [0, 0];
  const t0us = drives.reduce((a, d) => Math.min(a, d.t_min_us), Infinity);
  const t1us = drives.reduce((a, d) => Math.max(a, d.t_max_us), -Infinity);
  const meta: RouteMeta = {
    origin,
    t0: drives.length ? new Date(t0us / 1000).toISOString() : null,
    duration_s: drives.length ? (t1us - t0us) / 1e6 : 0,
    vehicles,
    drives: drives.map((d) => d.drive_id),
    drive_vehicle: drives.map((d) => vehicleIndex.get(d.vehicle_id) ?? 0),
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
    const plan: PointsPlan = zoom === undefined ? { cellDeg: null, stride: Math.max(1, Math.ceil(sourcePoints / req.maxPoints)) } : { cellDeg: lodCellDeg(zoom), stride: 1 };
    const params = {
      ...where.params,
      r_drives: listValue(meta.drives),
      r_lon0: origin[0],
      r_lat0: origin[1],
      r_t0_us: t0us,
      ...(plan.cellDeg !== null ? { r_inv_cell: 1 / plan.cellDeg } : {}),
    };
    const { length, columns } = await queryColumns(repo, scope, routePointsSql(where, plan), params, POINT_COLUMNS);
    const order = routePointsOrdered(where, plan) ? null : driveTimeOrder(columns.drive, columns.t, drives.length);
    const c = order ? reorder(columns, order) : columns;
    if (zoom !== undefined && zoom > 0 && length > req.maxPoints && attempt < MAX_COARSENING) {
      // a path's samples scale with its length in cells, about 2× per zoom level
      zoom = Math.max(0, zoom - Math.max(1, Math.ceil(Math.log2(length / req.maxPoints))));
      continue;
    }
    meta.lod = zoom === undefined || plan.cellDeg === null ? null : { zoom, cell_deg: plan.cellDeg };
    meta.stride = plan.stride;
    Object.assign(meta, pathsOf(c.drive, c.brk));
    return { meta, length, position: interleave(c.x, c.y), t: c.t, speed: c.speed, mode: c.mode };
  }
}

function reorder<C extends { x: Float32Array; y: Float32Array; t: Float32Array; speed: Float32Array; mode: Uint8Array; drive: Uint32Array; brk: Uint8Array }>(c: C, order: Uint32Array): C {
  return { ...c, x: permute(c.x, order), y: permute(c.y, order), t: permute(c.t, order), speed: permute(c.speed, order), mode: permute(c.mode, order), drive: permute(c.drive, order), brk: permute(c.brk, order) };
}

function vehicleDictionary(drives: readonly DriveRow[]): VehicleRef[] {
  const byId = new Map<string, string>();
  for (const d of drives) byId.set(d.vehicle_id, d.company_id);
  return [...byId].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([id, company]) => ({ id, company }));
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

function interleave(x: Float32Array, y: Float32Array): Float32Array {
  const out = new Float32Array(x.length * 2);
  for (let i = 0; i < x.length; i++) {
    out[2 * i] = x[i] as number;
    out[2 * i + 1] = y[i] as number;
  }
  return out;
}

/** Paths: a new one starts at every new drive and wherever the filter cut samples out of one. */
function pathsOf(drive: Uint32Array, brk: Uint8Array): Pick<RouteMeta, 'path_starts' | 'path_drives'> {
  const starts: number[] = [];
  const drives: number[] = [];
  for (let i = 0; i < drive.length; i++) {
    if (i === 0 || drive[i] !== drive[i - 1] || brk[i] === 1) {
      starts.push(i);
      drives.push(drive[i] as number);
    }
  }
  return { path_starts: starts, path_drives: drives };
}

function emptyColumns(): Omit<RouteData, 'meta'> {
  return { length: 0, position: new Float32Array(0), t: new Float32Array(0), speed: new Float32Array(0), mode: new Uint8Array(0) };
}
