import { ipcStream, pairColumn, primitiveColumn } from './arrow-ipc.js';
import type { RouteData } from './route-data.js';
import { ROUTE_COLUMNS, ROUTE_META_KEY, type RoutesJson } from './wire-format.js';

/** Routes as an Arrow IPC stream (see wire-format.ts): the typed arrays go in as they are. */
export function routesToArrow(r: RouteData): Uint8Array {
  return ipcStream(
    [
      pairColumn(ROUTE_COLUMNS.position, r.position),
      primitiveColumn(ROUTE_COLUMNS.t, r.t),
      primitiveColumn(ROUTE_COLUMNS.speed, r.speed),
      primitiveColumn(ROUTE_COLUMNS.mode, r.mode),
      primitiveColumn(ROUTE_COLUMNS.vehicle, r.vehicle),
      primitiveColumn(ROUTE_COLUMNS.drive, r.drive),
      primitiveColumn(ROUTE_COLUMNS.path, r.path),
    ],
    r.length,
    ROUTE_META_KEY,
    r.meta,
  );
}

/** Routes as JSON objects, one per path with absolute [lon, lat] (what a JSON API would send: for comparison). */
export function routesToJson(r: RouteData): RoutesJson {
  const [lon0, lat0] = r.meta.origin;
  const paths: RoutesJson['paths'] = [];
  let current: RoutesJson['paths'][number] | undefined;
  for (let i = 0; i < r.length; i++) {
    if (!current || r.path[i] !== r.path[i - 1]) {
      current = { drive: r.drive[i] as number, vehicle: r.vehicle[i] as number, path: [], timestamps: [], speed_mps: [], mode: [] };
      paths.push(current);
    }
    const speed = r.speed[i] as number;
    current.path.push([lon0 + (r.position[2 * i] as number), lat0 + (r.position[2 * i + 1] as number)]);
    current.timestamps.push(r.t[i] as number);
    current.speed_mps.push(Number.isNaN(speed) ? null : speed);
    current.mode.push(r.mode[i] as number);
  }
  return { meta: r.meta, paths };
}
