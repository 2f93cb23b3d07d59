import { RECORDABLE_KINDS } from '../../vocabulary/event-kinds.js';
import { MODE_CODES } from '../../vocabulary/modes.js';
import type { MonthFacts } from '../facts.js';
import { ROUTE_BUCKET_S } from '../inputs.js';
import type { MapSection } from '../model.js';
import type { BuildContext } from './build-context.js';

const MAP_MAX_POINTS = 40_000;

export function mapSection(ctx: BuildContext): MapSection {
  const { cur, t } = ctx;
  // The mean position of each minute of each drive, in time order, thinned to one point per grid cell entered (a
  // new point when the cell or the mode changes).
  const byDrive = new Map<string, { vehicle: string; rows: MonthFacts['rows'] }>();
  let samples = 0;
  for (const r of cur.rows) {
    if (r.drive_id === null || r.lon === null || r.lat === null || r.t0 === null) continue;
    samples += r.n;
    let d = byDrive.get(r.drive_id);
    if (!d) byDrive.set(r.drive_id, (d = { vehicle: r.vehicle_id, rows: [] }));
    d.rows.push(r);
  }
  const inv = 1 / t.mapCellDeg;
  const routes = [...byDrive]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([drive_id, d]) => {
      d.rows.sort((a, b) => (a.t0 ?? 0) - (b.t0 ?? 0));
      const points: [number, number, number][] = [];
      let last = '';
      d.rows.forEach((r, i) => {
        const lon = r.lon as number;
        const lat = r.lat as number;
        const mode = (MODE_CODES as Readonly<Record<string, number>>)[r.mode] ?? 0;
        const key = `${Math.floor(lon * inv)},${Math.floor(lat * inv)},${mode}`;
        if (key === last && i !== d.rows.length - 1) return;
        last = key;
        points.push([round6(lon), round6(lat), mode]);
      });
      return { drive_id, vehicle_id: d.vehicle, points };
    });
  let total = routes.reduce((a, r) => a + r.points.length, 0);
  if (total > MAP_MAX_POINTS) {
    const stride = Math.ceil(total / MAP_MAX_POINTS);
    for (const r of routes) r.points = r.points.filter((_, i) => i % stride === 0 || i === r.points.length - 1);
    total = routes.reduce((a, r) => a + r.points.length, 0);
  }
  const incidents = ctx.incidents
    .filter((i) => (RECORDABLE_KINDS as readonly string[]).includes(i.kind) && i.lat !== null && i.lon !== null)
    .map((i) => ({
      event_id: i.event_id,
      kind: i.kind,
      severity: i.severity,
      lon: i.lon as number,
      lat: i.lat as number,
    }));
  let bbox: MapSection['bbox'] = null;
  const extend = (x: number, y: number) => {
    bbox = bbox
      ? [Math.min(bbox[0], x), Math.min(bbox[1], y), Math.max(bbox[2], x), Math.max(bbox[3], y)]
      : [x, y, x, y];
  };
  for (const r of routes) for (const [x, y] of r.points) extend(x, y);
  for (const i of incidents) extend(i.lon, i.lat);
  return { bbox, cell_deg: t.mapCellDeg, bucket_s: ROUTE_BUCKET_S, routes, samples, points: total, incidents };
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
