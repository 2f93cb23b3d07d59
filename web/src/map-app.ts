import { Deck, type PickingInfo } from '@deck.gl/core';
import type { IncidentSet } from './data/incident-set.js';
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
} from './data/map-api.js';
import { routeQuery, stillServes, type RouteQuery } from './data/route-query.js';
import type { RouteSet } from './data/route-set.js';
import { label } from './i18n/labels.js';
import { drawIncidents, drawRoutes, shiftDistricts, shiftRoads } from './layers/prepare.js';
import { sceneLayers, type DrawnIncidents, type DrawnRoutes } from './layers/scene-layers.js';
import { INCIDENT_REPLAY_SPEED, type AppState, type Filters, type ViewState } from './state/app-state.js';
import type { Store } from './state/store.js';
import { UrlWriter } from './state/url-writer.js';
import { runReplay } from './replay/replay-loop.js';
import { listenForMapClicks } from './ui/map-clicks.js';
import { fitView, SHENZHEN } from './view/fit-view.js';
import { byId } from './ui/dom.js';
import { renderSidebar } from './ui/filter-panel.js';
import { IncidentPanel } from './ui/incident-panel.js';
import { renderLegend } from './ui/legend.js';
import { PlaybackBar } from './ui/playback-bar.js';
import { tooltipOf } from './ui/tooltip.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

/**
 * The map page: keeps the store, the URL, the data and the deck.gl layers in step. Data is fetched when the
 * filters or the level of detail change; everything else (colours, layers, replay clock) redraws from memory.
 */
export class MapApp {
  private readonly store: Store<AppState>;
  private readonly deck: Deck;
  private readonly panel: IncidentPanel;
  private readonly playback: PlaybackBar;
  private config: MapConfig | null = null;
  private options: FilterOptions | null = null;
  private districts: { raw: Districts; drawn: Districts } | null = null;
  private roads: { raw: Roads; drawn: Roads } | null = null;
  private routes: DrawnRoutes | null = null;
  private incidents: DrawnIncidents | null = null;
  private focus: { detail: IncidentDetail; routes: DrawnRoutes } | null = null;
  private loadedRoutes: RouteQuery | null = null;
  private routeRequest: { query: RouteQuery; abort: AbortController } | null = null;
  private incidentRequest: AbortController | null = null;
  private focusRequest: AbortController | null = null;
  private view: ViewState = SHENZHEN;
  private viewReady = false;
  private readonly url: UrlWriter;
  private viewTimer = 0;
  private viewStateTimer = 0;
  /** Bumped whenever drawn data changes; `rendered` catches up after deck.gl has drawn it (tests wait on this). */
  private version = 0;
  private rendered = -1;
  private pendingRender = 0;
  /** When the last frames were drawn (performance.now), for the frame-time hook. */
  private readonly frames: number[] = [];

  constructor(store: Store<AppState>) {
    this.store = store;
    this.deck = new Deck({
      parent: byId('map') as HTMLDivElement,
      initialViewState: this.view,
      controller: true,
      layers: [],
      onViewStateChange: ({ viewState }) => {
        this.onViewChange(viewState as ViewState);
        return viewState;
      },
      getTooltip: (info: PickingInfo) => tooltipOf(info, this.store.get().lang, this.routes?.set ?? null, this.incidents?.set ?? null),
      onAfterRender: () => {
        this.frames.push(performance.now());
        if (this.frames.length > 20) this.frames.shift();
        this.rendered = this.pendingRender;
        document.body.dataset.rendered = String(this.rendered);
      },
    });
    this.panel = new IncidentPanel(byId('incident-panel'), { close: () => this.store.set({ incident: null, playing: false }), replay: () => this.replayIncident() });
    this.playback = new PlaybackBar(byId('playback'), {
      togglePlay: () => this.togglePlay(),
      seek: (ms) => this.store.set({ time: ms }),
      setSpeed: (speed) => this.store.set({ speed }),
    });
    this.url = new UrlWriter(() => this.store.get());
    listenForMapClicks(byId('map'), (x, y) => this.pickIncident(x, y));
    store.subscribe((s, prev) => this.onState(s, prev));
    Object.assign(window, { __avlog: this.testHooks() });
  }

  async start(): Promise<void> {
    this.status(label(this.store.get().lang, 'loading'));
    try {
      const [config, options, districts, roads] = await Promise.all([fetchConfig(), fetchFilterOptions(), fetchDistricts(), fetchRoads()]);
      this.config = config;
      this.options = options;
      this.districts = { raw: districts, drawn: districts };
      this.roads = { raw: roads, drawn: roads };
      this.reproject();
    } catch (e) {
      this.fail(e);
      return;
    }
    const s = this.store.get();
    this.view = s.view ?? fitView(this.options?.bbox ?? null, byId('map').clientWidth || window.innerWidth, byId('map').clientHeight || window.innerHeight);
    this.deck.setProps({ initialViewState: { ...this.view } });
    this.viewReady = true;
    if (!s.view) this.store.set({ view: this.view });
    this.renderUi();
    await Promise.all([this.loadRoutes(), this.loadIncidents(), s.incident ? this.loadFocus(s.incident, false) : Promise.resolve()]);
    if (this.store.get().playing) this.startLoop();
  }

  // ---- state → data, UI, layers

  private onState(s: AppState, prev: AppState): void {
    if (!same(s.filters, prev.filters)) {
      void this.loadRoutes();
      void this.loadIncidents(s.filters);
    }
    if (s.colorBy !== prev.colorBy) this.recolor();
    if (s.tiles !== prev.tiles || s.tileCrs !== prev.tileCrs || s.layers.includes('tiles') !== prev.layers.includes('tiles')) this.reproject();
    if (s.incident !== prev.incident) {
      if (s.incident) void this.loadFocus(s.incident, true);
      else this.closeFocus();
    }
    if (s.playing && !prev.playing) this.startLoop();
    if (s.lang !== prev.lang && this.focus) this.panel.show(this.focus.detail, s.lang);
    if (s.lang !== prev.lang || s.layers !== prev.layers || s.colorBy !== prev.colorBy || !same(s.filters, prev.filters)) this.renderUi();
    this.playback.update(s, this.domain(), this.clock());
    if (this.focus) this.panel.redraw(this.clock());
    this.url.schedule();
    this.draw();
  }

  private renderUi(): void {
    const s = this.store.get();
    document.documentElement.lang = s.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = label(s.lang, 'title');
    renderSidebar(byId('sidebar'), s, this.options, {
      setFilters: (patch: Partial<Filters>) => this.store.set({ filters: { ...this.store.get().filters, ...patch } }),
      set: (patch: Partial<AppState>) => this.store.set(patch),
    });
    renderLegend(byId('legend'), s, this.routes?.set ?? null, this.incidents?.set ?? null);
    this.playback.update(s, this.domain(), this.clock());
  }

  private draw(): void {
    const s = this.store.get();
    this.pendingRender = this.version;
    this.deck.setProps({
      layers: sceneLayers({
        state: s,
        tiles: this.tileUrl(),
        districts: this.districts?.drawn ?? null,
        roads: this.roads?.drawn ?? null,
        extent: this.options?.bbox ?? null,
        routes: this.routes,
        incidents: this.incidents,
        focus: this.focus?.routes ?? null,
        time: this.clock(),
      }),
    });
    document.body.dataset.version = String(this.version);
  }

  private changed(): void {
    this.version++;
    renderLegend(byId('legend'), this.store.get(), this.routes?.set ?? null, this.incidents?.set ?? null);
    this.playback.update(this.store.get(), this.domain(), this.clock());
    this.draw();
  }

  // ---- data

  private async loadRoutes(): Promise<void> {
    const canvas = this.deck.getCanvas();
    const q = routeQuery(this.store.get().filters, this.view, canvas?.clientWidth ?? window.innerWidth, canvas?.clientHeight ?? window.innerHeight);
    if (this.routeRequest?.query.key === q.key) return;
    this.routeRequest?.abort.abort();
    const abort = new AbortController();
    this.routeRequest = { query: q, abort };
    try {
      const set = await fetchRoutes(q.params, abort.signal);
      this.routes = drawRoutes(set, this.store.get().colorBy, this.gcj());
      this.loadedRoutes = q;
      this.status(set.length ? '' : label(this.store.get().lang, 'noData'));
      this.changed();
    } catch (e) {
      if (!isAbort(e)) this.fail(e);
    } finally {
      if (this.routeRequest?.abort === abort) this.routeRequest = null;
    }
  }

  private async loadIncidents(filters: Filters = this.store.get().filters): Promise<void> {
    this.incidentRequest?.abort();
    const abort = new AbortController();
    this.incidentRequest = abort;
    try {
      const set: IncidentSet = await fetchIncidents(filters, abort.signal);
      this.incidents = drawIncidents(set, this.gcj());
      this.changed();
    } catch (e) {
      if (!isAbort(e)) this.fail(e);
    }
  }

  /** The open incident: its detail (chart) and its vehicle's samples over the window, at full detail, for the replay. */
  private async loadFocus(id: string, opened: boolean): Promise<void> {
    this.focusRequest?.abort();
    const abort = new AbortController();
    this.focusRequest = abort;
    const lang = this.store.get().lang;
    this.panel.showLoading(lang);
    try {
      const detail = await fetchIncidentDetail(id, abort.signal);
      const q = filterParams({ company: [], vehicle: [detail.incident.vehicle_id], from: null, to: null, mode: [], kind: [] });
      q.set('from', detail.window.from);
      q.set('to', detail.window.to);
      const set: RouteSet = await fetchRoutes(q, abort.signal);
      this.focus = { detail, routes: drawRoutes(set, this.store.get().colorBy, this.gcj()) };
      this.panel.show(detail, this.store.get().lang);
      if (opened) {
        this.flyTo(detail);
        this.store.set({ time: Date.parse(detail.window.from), speed: INCIDENT_REPLAY_SPEED, playing: true });
      }
      this.changed();
    } catch (e) {
      if (isAbort(e)) return;
      this.panel.showError(lang, e instanceof Error ? e.message : String(e));
      console.error(e);
    }
  }

  private closeFocus(): void {
    this.focusRequest?.abort();
    this.focus = null;
    this.panel.hide();
    this.changed();
  }

  private recolor(): void {
    const by = this.store.get().colorBy;
    if (this.routes) this.routes = drawRoutes(this.routes.set, by, this.gcj());
    if (this.focus) this.focus = { ...this.focus, routes: drawRoutes(this.focus.routes.set, by, this.gcj()) };
    this.changed();
  }

  // ---- base map

  private tileUrl(): string | null {
    const s = this.store.get();
    return s.tiles ?? this.config?.tiles?.url ?? null;
  }

  /** Whether our WGS-84 data must be shifted to GCJ-02 to sit on the tiles (AMap, Tencent). */
  private gcj(): boolean {
    const s = this.store.get();
    return s.layers.includes('tiles') && this.tileUrl() !== null && (s.tileCrs ?? this.config?.tiles?.crs ?? 'wgs84') === 'gcj02';
  }

  private reproject(): void {
    const gcj = this.gcj();
    if (this.districts) this.districts.drawn = gcj ? shiftDistricts(this.districts.raw) : this.districts.raw;
    if (this.roads) this.roads.drawn = gcj ? shiftRoads(this.roads.raw) : this.roads.raw;
    const by = this.store.get().colorBy;
    if (this.routes) this.routes = drawRoutes(this.routes.set, by, gcj);
    if (this.incidents) this.incidents = drawIncidents(this.incidents.set, gcj);
    if (this.focus) this.focus = { ...this.focus, routes: drawRoutes(this.focus.routes.set, by, gcj) };
    this.version++;
  }

  // ---- view

  private flyTo(detail: IncidentDetail): void {
    const { lon, lat } = detail.incident;
    if (lon === null || lat === null) return;
    this.view = { ...this.view, longitude: lon, latitude: lat, zoom: Math.max(this.view.zoom, 15) };
    this.deck.setProps({ initialViewState: { ...this.view } });
    this.store.set({ view: this.view });
    this.scheduleRoutes();
  }

  private onViewChange(view: ViewState): void {
    // deck.gl reports its initial view too: ignore views until the start-up one (URL or fit to data) is set
    if (!this.viewReady) return;
    this.view = { longitude: view.longitude, latitude: view.latitude, zoom: view.zoom, pitch: view.pitch ?? 0, bearing: view.bearing ?? 0 };
    this.scheduleRoutes();
    window.clearTimeout(this.viewStateTimer);
    this.viewStateTimer = window.setTimeout(() => this.store.set({ view: this.view }), 300);
  }

  /** Level of detail: refetch when the zoom level changes or the view leaves the fetched box. */
  private scheduleRoutes(): void {
    window.clearTimeout(this.viewTimer);
    this.viewTimer = window.setTimeout(() => {
      const canvas = this.deck.getCanvas();
      const w = canvas?.clientWidth ?? window.innerWidth;
      const h = canvas?.clientHeight ?? window.innerHeight;
      const next = routeQuery(this.store.get().filters, this.view, w, h);
      if (this.loadedRoutes && stillServes(this.loadedRoutes, next, this.view, w, h)) return;
      void this.loadRoutes();
    }, 250);
  }

  // ---- replay

  /** The span the replay runs over: the open incident's window, else the routes' time span. */
  private domain(): [number, number] | null {
    if (this.focus) return [Date.parse(this.focus.detail.window.from), Date.parse(this.focus.detail.window.to)];
    const r = this.routes?.set;
    if (!r?.length) return null;
    return [r.t0Ms, r.t0Ms + r.meta.duration_s * 1000];
  }

  private clock(): number | null {
    const d = this.domain();
    if (!d) return null;
    const t = this.store.get().time;
    return t === null ? d[0] : Math.min(d[1], Math.max(d[0], t));
  }

  private togglePlay(): void {
    const s = this.store.get();
    if (s.playing) {
      this.store.set({ playing: false });
      return;
    }
    const layers = !this.focus && !s.layers.includes('trips') ? [...s.layers, 'trips' as const] : s.layers;
    this.store.set({ playing: true, layers, time: this.clock() });
  }

  private replayIncident(): void {
    if (!this.focus) return;
    this.store.set({ time: Date.parse(this.focus.detail.window.from), playing: true });
  }

  private startLoop(): void {
    runReplay(this.store, { domain: () => this.domain(), clock: () => this.clock(), stopsAtEnd: () => this.focus !== null });
  }

  // ---- interaction

  private pickIncident(x: number, y: number): void {
    const info = this.deck.pickObject({ x, y, radius: 4, layerIds: ['incidents'] });
    const id = info && info.index >= 0 ? this.incidents?.set.ids[info.index] : undefined;
    if (id) this.store.set({ incident: id });
  }

  private status(text: string): void {
    const el = byId('status');
    el.textContent = text;
    el.hidden = !text;
  }

  private fail(e: unknown): void {
    const message = e instanceof Error ? e.message : String(e);
    this.status(`${label(this.store.get().lang, 'error')}: ${message}`);
    console.error(e);
  }

  /** For the browser tests and for debugging from the console: what is drawn and where things are on screen. */
  private testHooks() {
    return {
      version: () => this.version,
      rendered: () => this.rendered,
      counts: () => ({ points: this.routes?.set.length ?? 0, paths: this.routes?.set.startIndices.length ?? 0, incidents: this.incidents?.set.length ?? 0, focusPoints: this.focus?.routes.set.length ?? 0 }),
      clock: () => this.clock(),
      /** Milliseconds between the last frames drawn. */
      frameTimes: () => this.frames.slice(1).map((t, i) => Math.round(t - (this.frames[i] as number))),
      incidentIds: () => this.incidents?.set.ids ?? [],
      /** Screen position (CSS pixels in the map) of incident `i` as drawn. */
      incidentXY: (i: number): [number, number] | null => {
        const p = this.incidents?.positions;
        const vp = this.deck.getViewports()[0];
        if (!p || !vp || 2 * i + 1 >= p.length) return null;
        const [x, y] = vp.project([p[2 * i] as number, p[2 * i + 1] as number]);
        return [x as number, y as number];
      },
    };
  }
}
