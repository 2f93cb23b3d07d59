import { Deck, type PickingInfo } from '@deck.gl/core';
import type { IncidentDetail } from './data/map-api.js';
import { MapData } from './data/map-data.js';
import { label } from './i18n/labels.js';
import { sceneLayers } from './layers/scene-layers.js';
import { runReplay } from './replay/replay-loop.js';
import { INCIDENT_REPLAY_SPEED, type AppState, type Filters, type ViewState } from './state/app-state.js';
import type { Store } from './state/store.js';
import { UrlWriter } from './state/url-writer.js';
import { byId } from './ui/dom.js';
import { renderSidebar } from './ui/filter-panel.js';
import { IncidentList } from './ui/incident-list.js';
import { IncidentPanel } from './ui/incident-panel.js';
import { renderLegend } from './ui/legend.js';
import { listenForMapClicks } from './ui/map-clicks.js';
import { PlaybackBar } from './ui/playback-bar.js';
import { tooltipOf } from './ui/tooltip.js';
import { fitView, SHENZHEN } from './view/fit-view.js';
import { sessionBadge } from './session/session-badge.js';

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The map page: keeps the store, the URL, the data and the deck.gl layers in step. Data is fetched when the
 * filters or the level of detail change; everything else (colours, layers, replay clock) redraws from memory.
 */
export class MapApp {
  private readonly store: Store<AppState>;
  private readonly deck: Deck;
  private readonly data: MapData;
  private readonly panel: IncidentPanel;
  private readonly list: IncidentList;
  private readonly playback: PlaybackBar;
  private readonly url: UrlWriter;
  /** Who is signed in: one element the sidebar re-places on every render. */
  private readonly session = sessionBadge();
  private view: ViewState = SHENZHEN;
  /** deck.gl reports its initial view too: views are ignored until the start-up one (URL or fit to data) is set. */
  private viewReady = false;
  private viewTimer = 0;
  private viewStateTimer = 0;
  /** Bumped whenever drawn data changes; `rendered` catches up once deck.gl has drawn it (tests wait on this). */
  private version = 0;
  private rendered = -1;
  private pendingRender = 0;
  /** When the last frames were drawn (performance.now), for the frame-time hook. */
  private readonly frames: number[] = [];

  constructor(store: Store<AppState>) {
    this.store = store;
    const map = byId('map');
    this.data = new MapData(store, {
      changed: () => this.changed(),
      fail: (e) => this.fail(e),
      viewport: () => ({
        view: this.view,
        width: map.clientWidth || window.innerWidth,
        height: map.clientHeight || window.innerHeight,
      }),
    });
    this.deck = new Deck({
      parent: map as HTMLDivElement,
      initialViewState: this.view,
      controller: true,
      layers: [],
      onViewStateChange: ({ viewState }) => {
        this.onViewChange(viewState as ViewState);
        return viewState;
      },
      getTooltip: (info: PickingInfo) =>
        tooltipOf(info, this.store.get().lang, this.data.routes?.set ?? null, this.data.incidents?.set ?? null),
      onAfterRender: () => {
        this.frames.push(performance.now());
        if (this.frames.length > 20) this.frames.shift();
        this.rendered = this.pendingRender;
      },
    });
    this.panel = new IncidentPanel(byId('incident-panel'), {
      close: () => this.store.set({ incident: null, playing: false }),
      replay: () =>
        this.data.focus && this.store.set({ time: Date.parse(this.data.focus.detail.window.from), playing: true }),
    });
    this.list = new IncidentList(byId('incident-list'), {
      setList: (patch) => this.store.set({ list: { ...this.store.get().list, ...patch } }),
      // a row chosen in the list opens like a click on the map: fly there and show the panel
      select: (id) =>
        id === this.store.get().incident ? void this.openIncident(id, true) : this.store.set({ incident: id }),
    });
    this.playback = new PlaybackBar(byId('playback'), {
      togglePlay: () => this.togglePlay(),
      seek: (ms) => this.store.set({ time: ms }),
      setSpeed: (speed) => this.store.set({ speed }),
    });
    this.url = new UrlWriter(() => this.store.get());
    listenForMapClicks(map, (x, y) => this.pickIncident(x, y));
    store.subscribe((s, prev) => this.onState(s, prev));
    Object.assign(window, { __avlog: this.testHooks() });
  }

  async start(): Promise<void> {
    this.status(label(this.store.get().lang, 'loading'));
    try {
      await this.data.loadBase();
    } catch (e) {
      this.fail(e);
      return;
    }
    const s = this.store.get();
    const map = byId('map');
    this.view =
      s.view ??
      fitView(
        this.data.options?.bbox ?? null,
        map.clientWidth || window.innerWidth,
        map.clientHeight || window.innerHeight,
      );
    this.deck.setProps({ initialViewState: { ...this.view } });
    this.viewReady = true;
    if (!s.view) this.store.set({ view: this.view });
    this.renderUi();
    void this.list.update(s, this.data.options);
    // A shared link may name vehicles; public viewers cannot filter by one (the API refuses it). Dropping the
    // filter changes the state, whose listener loads routes and incidents.
    if (this.data.config?.public_view && s.filters.vehicle.length)
      this.store.set({ filters: { ...s.filters, vehicle: [] } });
    else
      await Promise.all([
        this.data.loadRoutes(),
        this.data.loadIncidents(),
        s.incident ? this.openIncident(s.incident, false) : Promise.resolve(),
      ]);
    if (this.store.get().playing) this.startReplay();
  }

  private onState(s: AppState, prev: AppState): void {
    const filtersChanged = !same(s.filters, prev.filters);
    if (filtersChanged) {
      void this.data.loadRoutes();
      void this.data.loadIncidents();
    }
    if (filtersChanged || s.list !== prev.list || s.lang !== prev.lang || s.incident !== prev.incident)
      void this.list.update(s, this.data.options);
    if (s.colorBy !== prev.colorBy) this.data.recolor();
    if (
      s.tiles !== prev.tiles ||
      s.tileCrs !== prev.tileCrs ||
      s.layers.includes('tiles') !== prev.layers.includes('tiles')
    )
      this.data.reproject();
    if (s.incident !== prev.incident) {
      if (s.incident) void this.openIncident(s.incident, true);
      else this.closeIncident();
    }
    if (s.playing && !prev.playing) this.startReplay();
    if (s.lang !== prev.lang && this.data.focus) this.panel.show(this.data.focus.detail, s.lang);
    if (filtersChanged || s.lang !== prev.lang || s.layers !== prev.layers || s.colorBy !== prev.colorBy)
      this.renderUi();
    this.playback.update(s, this.domain(), this.clock());
    if (this.data.focus) this.panel.redraw(this.clock());
    this.url.schedule();
    this.draw();
  }

  private renderUi(): void {
    const s = this.store.get();
    document.documentElement.lang = s.lang === 'zh' ? 'zh-CN' : 'en';
    document.title = label(s.lang, 'title');
    renderSidebar(
      byId('sidebar'),
      s,
      this.data.options,
      {
        // new filters make the list's page cursors meaningless: back to its first page
        setFilters: (patch: Partial<Filters>) => {
          const now = this.store.get();
          this.store.set({ filters: { ...now.filters, ...patch }, list: { ...now.list, cursors: [] } });
        },
        set: (patch: Partial<AppState>) => this.store.set(patch),
      },
      this.data.config?.public_view != null,
      this.session,
    );
    renderLegend(
      byId('legend'),
      s,
      this.data.routes?.set ?? null,
      this.data.incidents?.set ?? null,
      this.data.config?.public_view ?? null,
    );
    this.playback.update(s, this.domain(), this.clock());
  }

  private draw(): void {
    const d = this.data;
    this.pendingRender = this.version;
    this.deck.setProps({
      layers: sceneLayers({
        state: this.store.get(),
        tiles: d.tileUrl(),
        districts: d.districts,
        roads: d.roads,
        extent: d.options?.bbox ?? null,
        routes: d.routes,
        incidents: d.incidents,
        focus: d.focus?.routes ?? null,
        time: this.clock(),
      }),
    });
  }

  private changed(): void {
    this.version++;
    if (this.data.routes) this.status(this.data.routes.set.length ? '' : label(this.store.get().lang, 'noData'));
    renderLegend(
      byId('legend'),
      this.store.get(),
      this.data.routes?.set ?? null,
      this.data.incidents?.set ?? null,
      this.data.config?.public_view ?? null,
    );
    this.playback.update(this.store.get(), this.domain(), this.clock());
    this.draw();
  }

  // ---- the incident panel

  /** Opens the panel; when the user opened it (not a link), flies to the incident and replays its window. */
  private async openIncident(id: string, opened: boolean): Promise<void> {
    const lang = this.store.get().lang;
    // a public viewer's incidents carry no ids, and their details are not served to them
    if (this.data.config?.public_view) return;
    this.panel.showLoading(lang);
    let detail: IncidentDetail | null;
    try {
      detail = await this.data.loadFocus(id);
    } catch (e) {
      this.panel.showError(lang, e instanceof Error ? e.message : String(e));
      console.error(e);
      return;
    }
    if (!detail) return;
    this.panel.show(detail, this.store.get().lang);
    if (!opened) return;
    const { lon, lat } = detail.incident;
    if (lon !== null && lat !== null)
      this.moveTo({ ...this.view, longitude: lon, latitude: lat, zoom: Math.max(this.view.zoom, 15) });
    this.store.set({ time: Date.parse(detail.window.from), speed: INCIDENT_REPLAY_SPEED, playing: true });
  }

  private closeIncident(): void {
    this.data.closeFocus();
    this.panel.hide();
  }

  private pickIncident(x: number, y: number): void {
    const info = this.deck.pickObject({ x, y, radius: 4, layerIds: ['incidents'] });
    const id = info && info.index >= 0 ? this.data.incidents?.set.ids[info.index] : undefined;
    if (id) this.store.set({ incident: id });
  }

  // ---- view and level of detail

  private moveTo(view: ViewState): void {
    this.view = view;
    this.deck.setProps({ initialViewState: { ...view } });
    this.store.set({ view });
    this.scheduleRoutes();
  }

  private onViewChange(view: ViewState): void {
    if (!this.viewReady) return;
    this.view = {
      longitude: view.longitude,
      latitude: view.latitude,
      zoom: view.zoom,
      pitch: view.pitch ?? 0,
      bearing: view.bearing ?? 0,
    };
    this.scheduleRoutes();
    window.clearTimeout(this.viewStateTimer);
    this.viewStateTimer = window.setTimeout(() => this.store.set({ view: this.view }), 300);
  }

  /** Level of detail: refetch when the zoom level changes or the view leaves the fetched box. */
  private scheduleRoutes(): void {
    window.clearTimeout(this.viewTimer);
    this.viewTimer = window.setTimeout(() => void this.data.loadRoutes(false), 250);
  }

  // ---- replay

  /** The span the replay runs over: the open incident's window, else the routes' time span. */
  private domain(): [number, number] | null {
    const focus = this.data.focus;
    if (focus) return [Date.parse(focus.detail.window.from), Date.parse(focus.detail.window.to)];
    const r = this.data.routes?.set;
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
    const layers = !this.data.focus && !s.layers.includes('trips') ? [...s.layers, 'trips' as const] : s.layers;
    this.store.set({ playing: true, layers, time: this.clock() });
  }

  private startReplay(): void {
    runReplay(this.store, {
      domain: () => this.domain(),
      clock: () => this.clock(),
      stopsAtEnd: () => this.data.focus !== null,
    });
  }

  // ---- status

  private status(text: string): void {
    const el = byId('status');
    el.textContent = text;
    el.hidden = !text;
  }

  private fail(e: unknown): void {
    this.status(`${label(this.store.get().lang, 'error')}: ${e instanceof Error ? e.message : String(e)}`);
    console.error(e);
  }

  /** For the browser tests and for debugging from the console: what is drawn and where things are on screen. */
  private testHooks() {
    return {
      version: () => this.version,
      rendered: () => this.rendered,
      counts: () => ({
        points: this.data.routes?.set.length ?? 0,
        paths: this.data.routes?.set.startIndices.length ?? 0,
        incidents: this.data.incidents?.set.length ?? 0,
        focusPoints: this.data.focus?.routes.set.length ?? 0,
      }),
      clock: () => this.clock(),
      listLoaded: () => this.list.loaded,
      incidentIds: () => this.data.incidents?.set.ids ?? [],
      /** Screen position (CSS pixels in the map) of incident `i` as drawn. */
      incidentXY: (i: number): [number, number] | null => {
        const p = this.data.incidents?.positions;
        const vp = this.deck.getViewports()[0];
        if (!p || !vp || 2 * i + 1 >= p.length) return null;
        const [x, y] = vp.project([p[2 * i] as number, p[2 * i + 1] as number]);
        return [x as number, y as number];
      },
      /** Milliseconds between the last frames drawn. */
      frameTimes: () => this.frames.slice(1).map((t, i) => Math.round(t - (this.frames[i] as number))),
    };
  }
}
