import type { Layer } from '@deck.gl/core';
import type { IncidentSet } from '../data/incident-set.js';
import type { Districts, Roads } from '../data/map-api.js';
import type { RouteSet } from '../data/route-set.js';
import type { AppState } from '../state/app-state.js';
import { districtLabelsLayer, districtsLayer, extentLayer, roadsLayer, tilesLayer } from './base-layers.js';
import { hexbinLayer, incidentsLayer } from './incident-layers.js';
import { headPositions, headsLayer } from './replay-heads.js';
import { routesLayer, tripsLayer } from './route-layers.js';

/** Routes ready to draw: positions (shifted to GCJ-02 when the tiles need it) and per-sample colours. */
export interface DrawnRoutes {
  set: RouteSet;
  positions: Float32Array;
  colors: Uint8Array;
  colorKey: string;
}

export interface DrawnIncidents {
  set: IncidentSet;
  positions: Float64Array;
  style: { colors: Uint8Array; radii: Float32Array };
}

/** Everything a frame shows. */
export interface Scene {
  state: AppState;
  tiles: string | null;
  districts: Districts | null;
  roads: Roads | null;
  extent: [number, number, number, number] | null;
  routes: DrawnRoutes | null;
  incidents: DrawnIncidents | null;
  /** The open incident's drive around it, replayed on its own. */
  focus: DrawnRoutes | null;
  /** Replay clock, ms since the epoch. */
  time: number | null;
}

/** Hexagon radius for a zoom: about 30 screen pixels, in metres, per whole zoom level (re-aggregating on every frame of a zoom would be wasted). */
function hexRadius(zoom: number, latitude: number): number {
  const metresPerPixel = (40_075_016 * Math.cos((latitude * Math.PI) / 180)) / (512 * 2 ** Math.floor(zoom));
  const r = 30 * metresPerPixel;
  const step = 10 ** Math.floor(Math.log10(r));
  return Math.round(r / step) * step;
}

/** Trail of the fleet replay: a fixed share of the span, at least two minutes. */
const trailOf = (r: RouteSet) => Math.max(120, r.meta.duration_s / 50);

export function sceneLayers(sc: Scene): Layer[] {
  const on = (id: AppState['layers'][number]) => sc.state.layers.includes(id);
  const layers: Layer[] = [];
  if (on('tiles') && sc.tiles) layers.push(tilesLayer(sc.tiles));
  if (on('districts') && sc.districts?.features.length) layers.push(districtsLayer(sc.districts));
  if (on('districts') && !sc.districts?.features.length && sc.extent) layers.push(extentLayer(sc.extent));
  if (on('roads') && sc.roads) layers.push(roadsLayer(sc.roads));
  const replaying = sc.focus !== null || on('trips');
  if (on('routes') && sc.routes?.set.length)
    layers.push(
      routesLayer({
        routes: sc.routes.set,
        positions: sc.routes.positions,
        colors: sc.routes.colors,
        colorKey: sc.routes.colorKey,
        dimmed: replaying,
      }),
    );
  if (on('hexbin') && sc.incidents?.set.length)
    layers.push(
      hexbinLayer(
        sc.incidents.set,
        sc.incidents.positions,
        hexRadius(sc.state.view?.zoom ?? 11, sc.state.view?.latitude ?? 22.5),
      ),
    );
  // names above the routes and the hexbin, under the incidents and the replay
  if (on('districts') && sc.districts?.features.length) layers.push(districtLabelsLayer(sc.districts, sc.state.lang));
  const heads: Layer[] = [];
  const fleet = sc.routes;
  if (sc.focus === null && on('trips') && fleet?.set.length && sc.time !== null) {
    const t = (sc.time - fleet.set.t0Ms) / 1000;
    layers.push(
      tripsLayer({
        routes: fleet.set,
        positions: fleet.positions,
        colors: fleet.colors,
        colorKey: fleet.colorKey,
        dimmed: false,
        currentTime: t,
        trailLength: trailOf(fleet.set),
      }),
    );
    heads.push(headsLayer(fleet.set, headPositions(fleet.set, fleet.positions, t)));
  }
  if (sc.focus?.set.length && sc.time !== null) {
    const f = sc.focus;
    const t = (sc.time - f.set.t0Ms) / 1000;
    layers.push(
      tripsLayer({
        id: 'focus-trips',
        routes: f.set,
        positions: f.positions,
        colors: f.colors,
        colorKey: f.colorKey,
        dimmed: false,
        currentTime: t,
        trailLength: 60,
        width: 7,
      }),
    );
    heads.push(headsLayer(f.set, headPositions(f.set, f.positions, t), 'focus-head'));
  }
  if (on('incidents') && sc.incidents?.set.length) {
    const selected = sc.state.incident === null ? -1 : sc.incidents.set.ids.indexOf(sc.state.incident);
    layers.push(incidentsLayer(sc.incidents.set, sc.incidents.positions, sc.incidents.style, selected));
  }
  // the moving vehicles on top of everything
  layers.push(...heads);
  return layers;
}
