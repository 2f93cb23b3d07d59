import { ipcStream, pairColumn, primitiveColumn } from './arrow-ipc.js';
import type { RouteData } from './route-data.js';
import { ROUTE_COLUMNS, ROUTE_META_KEY, type RoutesJson } from './wire-format.js';

/** Routes as an Arrow IPC stream's chunks (see wire-format.ts): the typed arrays go in as they are. */
export function routesToArrow(r: RouteData): Promise<Uint8Array[]> {
  return ipcStream(
    [
      pairColumn(ROUTE_COLUMNS.position, r.position),
      primitiveColumn(ROUTE_COLUMNS.t, r.t),
      primitiveColumn(ROUTE_COLUMNS.speed, r.speed),
      primitiveColumn(ROUTE_COLUMNS.mode, r.mode),
    ],
    r.length,
    ROUTE_META_KEY,
    r.meta,
  );
}

/** Routes as JSON objects, one per path with absolute [lon, lat] (what a JSON API would send: for comparison). */
export function routesToJson(r: RouteData): RoutesJson {
  const { origin, path_starts: starts, path_drives: drives, drive_vehicle: vehicles } = r.meta;
  const [lon0, lat0] = origin;
  const paths: RoutesJson['paths'] = starts.map((start, p) => {
    const end = starts[p + 1] ?? r.length;
    const drive = drives[p] as number;
    const path: RoutesJson['paths'][number] = {
      drive,
      vehicle: vehicles[drive] as number,
      path: [],
      timestamps: [],
      speed_mps: [],
      mode: [],
    };
    for (let i = start; i < end; i++) {
      const speed = r.speed[i] as number;
      path.path.push([lon0 + (r.position[2 * i] as number), lat0 + (r.position[2 * i + 1] as number)]);
      path.timestamps.push(r.t[i] as number);
      path.speed_mps.push(Number.isNaN(speed) ? null : speed);
      path.mode.push(r.mode[i] as number);
    }
    return path;
  });
  // the JSON carries paths itself: leave the start indices out of its copy of the metadata
  return { meta: { ...r.meta, path_starts: [], path_drives: [] }, paths };
}
