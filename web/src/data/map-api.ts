import type { FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import type { Static } from '@sinclair/typebox';
import type { FilterOptions } from '../../../services/api/map/filter-options.js';
import type { MapConfig } from '../../../services/api/map/schemas.js';
import { ARROW_STREAM_MIME } from '../../../services/api/map/wire-format.js';
import type { IncidentDetailResponse } from '../../../services/api/schemas/incidents.js';
import { apiFetch } from '../session/session.js';
import type { Filters } from '../state/app-state.js';
import { decodeIncidents, type IncidentSet } from './incident-set.js';
import { responseBytes } from './response-bytes.js';
import { decodeRoutes, type RouteSet } from './route-set.js';

export type { FilterOptions, MapConfig };

export type Districts = FeatureCollection<Polygon | MultiPolygon, { name: string; label: [number, number] }>;
export type Roads = FeatureCollection<LineString, { name: string; name_en: string; limit_kmh: number }>;

/** `/api/incidents/:id`. */
export type IncidentDetail = Static<typeof IncidentDetailResponse>;

export class ApiRequestError extends Error {}

async function get(url: string, signal?: AbortSignal, accept = 'application/json'): Promise<Response> {
  const res = await apiFetch(url, { headers: { accept }, ...(signal ? { signal } : {}) });
  if (!res.ok) {
    let message = `${res.status} ${res.statusText}`;
    try {
      const body = (await res.json()) as { error?: { message?: string } };
      if (body.error?.message) message = body.error.message;
    } catch {
      // not JSON: keep the status line
    }
    throw new ApiRequestError(`${url.split('?')[0]}: ${message}`);
  }
  return res;
}

const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** Query parameters for the filters shared by routes and incidents (dates are inclusive in the UI, `to` is exclusive in the API). */
export function filterParams(f: Filters): URLSearchParams {
  const q = new URLSearchParams();
  if (f.company.length) q.set('company', f.company.join(','));
  if (f.vehicle.length) q.set('vehicle', f.vehicle.join(','));
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', nextDay(f.to));
  if (f.mode.length) q.set('mode', f.mode.join(','));
  return q;
}

export async function fetchRoutes(params: URLSearchParams, signal?: AbortSignal): Promise<RouteSet> {
  const res = await get(`/api/map/routes?${params}`, signal, ARROW_STREAM_MIME);
  return decodeRoutes(await responseBytes(res));
}

export async function fetchIncidents(f: Filters, signal?: AbortSignal): Promise<IncidentSet> {
  const q = filterParams(f);
  if (f.kind.length) q.set('kind', f.kind.join(','));
  const res = await get(`/api/map/incidents?${q}`, signal, ARROW_STREAM_MIME);
  return decodeIncidents(await responseBytes(res));
}

export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await (await get(url, signal)).json()) as T;
}

export const fetchFilterOptions = () => fetchJson<FilterOptions>('/api/map/filters');
export const fetchConfig = () => fetchJson<MapConfig>('/api/map/config');
export const fetchDistricts = () => fetchJson<Districts>('/api/map/districts');
export const fetchRoads = () => fetchJson<Roads>('/api/map/roads');
export const fetchIncidentDetail = (id: string, signal?: AbortSignal) => fetchJson<IncidentDetail>(`/api/incidents/${encodeURIComponent(id)}`, signal);
