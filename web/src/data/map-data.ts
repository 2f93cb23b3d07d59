import { drawIncidents, drawRoutes, shiftDistricts, shiftRoads } from '../layers/prepare.js';
import type { DrawnIncidents, DrawnRoutes } from '../layers/scene-layers.js';
import type { AppState, ViewState } from '../state/app-state.js';
import type { Store } from '../state/store.js';
import {
  fetchConfig,
  fetchDistricts,
  fetchFilterOptions,
  fetchIncidentDetail,
  fetchIncidents,
  fetchRoads,
  fetchRoutes,
  filterParams,
  type Districts,
  type FilterOptions,
  type IncidentDetail,
  type MapConfig,
  type Roads,
} from './map-api.js';
import { routeQuery, stillServes, type RouteQuery } from './route-query.js';

const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

export interface MapDataEvents {
  /** Drawn data changed. */
  changed(): void;
  fail(e: unknown): void;
  /** The current view and map size, for the routes' level of detail. */
  viewport(): { view: ViewState; width: number; height: number };
}

/**
 * What the map draws, fetched and kept ready to draw: the base map, the routes for the view's level of detail,
 * the incidents, and the open incident's drive. A newer request for the same thing aborts the older one.
 * Positions are shifted to GCJ-02 when drawn on GCJ-02 tiles; colours follow the state's colouring.
 */
export class MapData {
  config: MapConfig | null = null;
  options: FilterOptions | null = null;
  districts: Districts | null = null;
  roads: Roads | null = null;
  routes: DrawnRoutes | null = null;
  incidents: DrawnIncidents | null = null;
  focus: { detail: IncidentDetail; routes: DrawnRoutes } | null = null;
  private base: { districts: Districts; roads: Roads } | null = null;
  private loadedRoutes: RouteQuery | null = null;
  private routeRequest: { query: RouteQuery; abort: AbortController } | null = null;
  private incidentRequest: AbortController | null = null;
  private focusRequest: AbortController | null = null;
  private readonly store: Store<AppState>;
  private readonly on: MapDataEvents;

  constructor(store: Store<AppState>, on: MapDataEvents) {
    this.store = store;
    this.on = on;
  }

  async loadBase(): Promise<void> {
    const [config, options, districts, roads] = await Promise.all([fetchConfig(), fetchFilterOptions(), fetchDistricts(), fetchRoads()]);
    this.config = config;
    this.options = options;
    this.base = { districts, roads };
    this.reproject();
  }

  /** Fetches routes unless the loaded ones still serve the view (same filters and zoom level, view inside their box). */
  async loadRoutes(force = true): Promise<void> {
    const { view, width, height } = this.on.viewport();
    const q = routeQuery(this.store.get().filters, view, width, height);
    if (!force && this.loadedRoutes && stillServes(this.loadedRoutes, q, view, width, height)) return;
    if (this.routeRequest?.query.key === q.key) return;
    this.routeRequest?.abort.abort();
    const abort = new AbortController();
    this.routeRequest = { query: q, abort };
    try {
      const set = await fetchRoutes(q.params, abort.signal);
      this.routes = drawRoutes(set, this.store.get().colorBy, this.gcj());
      this.loadedRoutes = q;
      this.on.changed();
    } catch (e) {
      if (!isAbort(e)) this.on.fail(e);
    } finally {
      if (this.routeRequest?.abort === abort) this.routeRequest = null;
    }
  }

  async loadIncidents(): Promise<void> {
    this.incidentRequest?.abort();
    const abort = new AbortController();
    this.incidentRequest = abort;
    try {
      this.incidents = drawIncidents(await fetchIncidents(this.store.get().filters, abort.signal), this.gcj());
      this.on.changed();
    } catch (e) {
      if (!isAbort(e)) this.on.fail(e);
    }
  }

  /** The incident's detail (for the chart) and its vehicle's samples over the window at full detail (for the replay); null if superseded. */
  async loadFocus(id: string): Promise<IncidentDetail | null> {
    this.focusRequest?.abort();
    const abort = new AbortController();
    this.focusRequest = abort;
    try {
      const detail = await fetchIncidentDetail(id, abort.signal);
      const q = filterParams({ company: [], vehicle: [detail.incident.vehicle_id], from: null, to: null, mode: [], kind: [] });
      q.set('from', detail.window.from);
      q.set('to', detail.window.to);
      const set = await fetchRoutes(q, abort.signal);
      this.focus = { detail, routes: drawRoutes(set, this.store.get().colorBy, this.gcj()) };
      this.on.changed();
      return detail;
    } catch (e) {
      if (isAbort(e)) return null;
      throw e;
    }
  }

  closeFocus(): void {
    this.focusRequest?.abort();
    this.focus = null;
    this.on.changed();
  }

  recolor(): void {
    const by = this.store.get().colorBy;
    if (this.routes) this.routes = drawRoutes(this.routes.set, by, this.gcj());
    if (this.focus) this.focus = { ...this.focus, routes: drawRoutes(this.focus.routes.set, by, this.gcj()) };
    this.on.changed();
  }

  tileUrl(): string | null {
    return this.store.get().tiles ?? this.config?.tiles?.url ?? null;
  }

  /** Whether our WGS-84 data must be shifted to GCJ-02 to sit on the tiles (AMap, Tencent). */
  gcj(): boolean {
    const s = this.store.get();
    return s.layers.includes('tiles') && this.tileUrl() !== null && (s.tileCrs ?? this.config?.tiles?.crs ?? 'wgs84') === 'gcj02';
  }

  /** Redraws everything in the datum the tiles need. */
  reproject(): void {
    const gcj = this.gcj();
    if (this.base) {
      this.districts = gcj ? shiftDistricts(this.base.districts) : this.base.districts;
      this.roads = gcj ? shiftRoads(this.base.roads) : this.base.roads;
    }
    const by = this.store.get().colorBy;
    if (this.routes) this.routes = drawRoutes(this.routes.set, by, gcj);
    if (this.incidents) this.incidents = drawIncidents(this.incidents.set, gcj);
    if (this.focus) this.focus = { ...this.focus, routes: drawRoutes(this.focus.routes.set, by, gcj) };
    this.on.changed();
  }
}
