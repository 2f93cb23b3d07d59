import { MAP_MODES } from '../../../services/api/map/wire-format.js';
import type { Lang } from '../../../services/vocabulary/label.js';

export type Mode = (typeof MAP_MODES)[number];
export type { Lang };
export type ColorBy = 'mode' | 'speed';
export type TileCrs = 'wgs84' | 'gcj02';

/** Layers a user can switch on and off, bottom to top. */
export const LAYER_IDS = ['tiles', 'districts', 'roads', 'routes', 'hexbin', 'trips', 'incidents'] as const;
export type LayerId = (typeof LAYER_IDS)[number];

export interface ViewState {
  longitude: number;
  latitude: number;
  zoom: number;
  pitch: number;
  bearing: number;
}

/** What the data queries select. Dates are local (Asia/Shanghai) calendar days, both inclusive. */
export interface Filters {
  company: string[];
  vehicle: string[];
  from: string | null;
  to: string | null;
  mode: Mode[];
  kind: string[];
}

/** Sorts the incident list offers (a subset of the API's `sort`), the first the default. */
export const LIST_SORTS = ['-ts', 'ts', '-severity', '-peak', '-speed'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

/** The incident list: open or not, its order, the filters it adds to the map's, and the page (API cursor). */
export interface ListState {
  open: boolean;
  sort: ListSort;
  severity: string[];
  district: string[];
  ads_version: string[];
  /** Cursors of the pages before this one, so Back works and a link reopens the same page. */
  cursors: string[];
}

/** The whole view: everything the URL holds, so a link reproduces it. */
export interface AppState {
  /** null until the first fit to the data. */
  view: ViewState | null;
  filters: Filters;
  colorBy: ColorBy;
  layers: LayerId[];
  /** Replay clock, ms since the epoch; null = start of the data. */
  time: number | null;
  /** Replay speed: simulated seconds per second. */
  speed: number;
  playing: boolean;
  list: ListState;
  /** The incident whose panel is open. */
  incident: string | null;
  lang: Lang;
  /** A tile URL template overriding the server's, e.g. `https://tiles.example/{z}/{x}/{y}.png`. */
  tiles: string | null;
  tileCrs: TileCrs | null;
}

export const DEFAULT_LAYERS: LayerId[] = ['tiles', 'districts', 'roads', 'routes', 'incidents'];
export const REPLAY_SPEEDS = [1, 2, 5, 10, 60, 300, 1800, 3600] as const;
/** Replay speed when an incident opens: its two-minute window plays in about half a minute. */
export const INCIDENT_REPLAY_SPEED = 5;

export const DEFAULT_STATE: AppState = {
  view: null,
  filters: { company: [], vehicle: [], from: null, to: null, mode: [], kind: [] },
  colorBy: 'mode',
  layers: DEFAULT_LAYERS,
  time: null,
  speed: 60,
  playing: false,
  list: { open: false, sort: '-ts', severity: [], district: [], ads_version: [], cursors: [] },
  incident: null,
  lang: 'en',
  tiles: null,
  tileCrs: null,
};

export const MODES: readonly Mode[] = MAP_MODES;
