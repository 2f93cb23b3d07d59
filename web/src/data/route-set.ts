import { tableFromIPC } from 'apache-arrow';
import { ROUTE_COLUMNS, ROUTE_META_KEY, type RouteMeta } from '../../../services/api/map/wire-format.js';
import { columnValues, metadata } from './arrow-columns.js';

/** Routes decoded from Arrow: typed arrays straight out of the IPC buffer, and path start indices (deck.gl's binary path layout). */
export interface RouteSet {
  meta: RouteMeta;
  /** Samples. */
  length: number;
  /** Interleaved [dLon, dLat] offsets from `meta.origin`, degrees. */
  positions: Float32Array;
  /** Seconds since `meta.t0`. */
  t: Float32Array;
  speed: Float32Array;
  mode: Uint8Array;
  /** First sample of each path; `startIndices.length` paths (drive of path i: `meta.path_drives[i]`). */
  startIndices: Uint32Array;
  /** ms since the epoch of `t = 0`. */
  t0Ms: number;
}

export function decodeRoutes(buffer: ArrayBuffer | Uint8Array): RouteSet {
  const table = tableFromIPC(buffer instanceof Uint8Array ? buffer : new Uint8Array(buffer));
  const meta = metadata<RouteMeta>(table, ROUTE_META_KEY);
  const length = table.numRows;
  if (length === 0) return emptyRoutes(meta);
  return {
    meta,
    length,
    positions: columnValues(table, ROUTE_COLUMNS.position, Float32Array),
    t: columnValues(table, ROUTE_COLUMNS.t, Float32Array),
    speed: columnValues(table, ROUTE_COLUMNS.speed, Float32Array),
    mode: columnValues(table, ROUTE_COLUMNS.mode, Uint8Array),
    startIndices: Uint32Array.from(meta.path_starts),
    t0Ms: meta.t0 ? Date.parse(meta.t0) : 0,
  };
}

export function emptyRoutes(meta: RouteMeta): RouteSet {
  return {
    meta,
    length: 0,
    positions: new Float32Array(0),
    t: new Float32Array(0),
    speed: new Float32Array(0),
    mode: new Uint8Array(0),
    startIndices: new Uint32Array(0),
    t0Ms: meta.t0 ? Date.parse(meta.t0) : 0,
  };
}
