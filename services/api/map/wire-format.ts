/**
 * The map's wire format, shared by the server that encodes it and the web app that decodes it (pure constants and
 * types: the browser bundle imports this file).
 *
 * Routes travel as one Arrow IPC stream record batch, one row per sample, ordered by path then time, with the
 * columns below (17 bytes a sample) and a JSON `RouteMeta` in the schema metadata under `ROUTE_META_KEY`: where
 * each path starts and which drive it is, the drive and vehicle dictionaries. Positions are Float32 offsets in
 * degrees from `origin` (deck.gl's LNGLAT_OFFSETS coordinate system): Float32 alone is only good to ~1 m at
 * Shenzhen's longitudes, an offset from a nearby origin to a few centimetres.
 */
import { EVENT_KINDS, MODES, SEVERITIES } from '../../ingest/schema/vocab.js';

export const ARROW_STREAM_MIME = 'application/vnd.apache.arrow.stream';

export const ROUTE_META_KEY = 'avlog:routes';
export const INCIDENT_META_KEY = 'avlog:incidents';

/** Route columns: name → Arrow type. */
export const ROUTE_COLUMNS = {
  /** FixedSizeList<2, Float32>: [lon − origin lon, lat − origin lat], degrees. */
  position: 'position',
  /** Float32: seconds since `t0`. */
  t: 't',
  /** Float32: m/s, NaN when unknown. */
  speed: 'speed_mps',
  /** Uint8: index into `MAP_MODES`. */
  mode: 'mode',
} as const;

/** Incident columns: one row per incident. */
export const INCIDENT_ARROW_COLUMNS = {
  /** Utf8: event id, for `/api/incidents/:id` ('' for public callers, who get positions on grid-cell centres and times to the minute). */
  id: 'event_id',
  /** FixedSizeList<2, Float64>: [lon, lat] WGS-84 (few rows: absolute positions keep aggregation layers simple). */
  position: 'position',
  /** Float64: ms since the Unix epoch. */
  ts: 'ts_ms',
  /** Uint8: index into `MAP_KINDS`. */
  kind: 'kind',
  /** Uint8: index into `MAP_SEVERITIES`, `NO_CODE` when none. */
  severity: 'severity',
  /** Uint8: index into `MAP_MODES` (mode of the vehicle at the incident), `NO_CODE` when unknown. */
  mode: 'mode',
  /** Uint16: index into `IncidentMeta.vehicles`. */
  vehicle: 'vehicle',
  /** Float32: m/s, NaN when unknown. */
  speed: 'speed_mps',
} as const;

export const MAP_MODES = MODES;
export const MAP_KINDS = EVENT_KINDS;
export const MAP_SEVERITIES = SEVERITIES;
export const NO_CODE = 255;

export interface VehicleRef {
  id: string;
  company: string;
}

export interface RouteMeta {
  /** [lon, lat] that positions are offsets from. */
  origin: [number, number];
  /** ISO instant that `t` counts from; null when there are no rows. */
  t0: string | null;
  /** Seconds from t0 to the last sample. */
  duration_s: number;
  vehicles: VehicleRef[];
  /** Drive ids; `vehicles[drive_vehicle[i]]` drove `drives[i]`. Public callers get '' for drive ids and one vehicle per company with id ''. */
  drives: string[];
  drive_vehicle: number[];
  /**
   * Paths: contiguous pieces of drives (deck.gl's binary `startIndices`). Path i is rows `path_starts[i]` up to
   * the next start, of drive `path_drives[i]`; a drive splits where the filters cut samples out of it.
   */
  path_starts: number[];
  path_drives: number[];
  modes: readonly string[];
  /** Level of detail: the zoom it was thinned for (null: none asked, a public caller's grid) and the grid cell, degrees; null = every sample. */
  lod: { zoom: number | null; cell_deg: number } | null;
  /** About 1 sample in `stride` was read (by a hash of vehicle and time; drive ends always): for the level of detail, or to stay under `max_points`. 1 = all. */
  stride: number;
  /** Samples matching the filters before thinning. */
  source_points: number;
  /** [minLon, minLat, maxLon, maxLat] of the samples sent, or null. */
  bbox: [number, number, number, number] | null;
}

export interface IncidentMeta {
  vehicles: VehicleRef[];
  kinds: readonly string[];
  severities: readonly string[];
  modes: readonly string[];
  /** More incidents matched than `limit`: the earliest `limit` were sent. */
  truncated: boolean;
}

/** `?format=json` of /api/map/routes: the deck.gl TripsLayer example's shape, one object per path. */
export interface RoutesJson {
  meta: RouteMeta;
  paths: {
    drive: number;
    vehicle: number;
    path: [number, number][];
    timestamps: number[];
    speed_mps: (number | null)[];
    mode: number[];
  }[];
}

/** Grid cell of the level-of-detail thinning at a zoom: `LOD_PIXELS` screen pixels of 512-px web-mercator tiles. */
export const LOD_PIXELS = 2;
export function lodCellDeg(zoom: number): number {
  return (LOD_PIXELS * 360) / (512 * 2 ** zoom);
}
