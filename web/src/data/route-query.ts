import { WebMercatorViewport } from '@deck.gl/core';
import type { Filters, ViewState } from '../state/app-state.js';
import { filterParams } from './map-api.js';

type Bbox = [number, number, number, number];

/** From this zoom on, routes are fetched for the neighbourhood of the view rather than the whole extent. */
export const BBOX_FROM_ZOOM = 13;
/** The fetched box is the view widened by this much of its size on each side, so small pans need no refetch. */
const MARGIN = 0.5;

/** A routes request for a view: level of detail by whole zoom levels, a box when zoomed in. */
export interface RouteQuery {
  key: string;
  params: URLSearchParams;
  zoom: number;
  bbox: Bbox | null;
}

export function viewBounds(view: ViewState, width: number, height: number): Bbox {
  const vp = new WebMercatorViewport({ ...view, width: Math.max(1, width), height: Math.max(1, height) });
  const [w, s, e, n] = vp.getBounds();
  return [w, s, e, n];
}

export function routeQuery(filters: Filters, view: ViewState, width: number, height: number): RouteQuery {
  const zoom = Math.max(0, Math.min(20, Math.floor(view.zoom)));
  const params = filterParams(filters);
  params.set('zoom', String(zoom));
  let bbox: Bbox | null = null;
  if (zoom >= BBOX_FROM_ZOOM) {
    const [w, s, e, n] = viewBounds(view, width, height);
    const dx = (e - w) * MARGIN;
    const dy = (n - s) * MARGIN;
    bbox = [w - dx, s - dy, e + dx, n + dy].map((v) => Number(v.toFixed(5))) as Bbox;
    params.set('bbox', bbox.join(','));
  }
  return { key: params.toString(), params, zoom, bbox };
}

/** Whether routes fetched for `loaded` still serve `next`: same filters and zoom level, and the view inside the box. */
export function stillServes(loaded: RouteQuery, next: RouteQuery, view: ViewState, width: number, height: number): boolean {
  const base = (q: RouteQuery) => {
    const p = new URLSearchParams(q.params);
    p.delete('bbox');
    return p.toString();
  };
  if (base(loaded) !== base(next)) return false;
  if (loaded.bbox === null) return next.bbox === null;
  if (next.bbox === null) return false;
  const [w, s, e, n] = viewBounds(view, width, height);
  return w >= loaded.bbox[0] && s >= loaded.bbox[1] && e <= loaded.bbox[2] && n <= loaded.bbox[3];
}
