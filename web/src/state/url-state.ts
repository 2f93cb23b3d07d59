import {
  DEFAULT_STATE,
  LAYER_IDS,
  LIST_SORTS,
  MODES,
  type AppState,
  type LayerId,
  type ListSort,
  type Mode,
  type ViewState,
} from './app-state.js';

const DATE = /^\d{4}-\d{2}-\d{2}$/u;
const list = (v: string | null) => (v ? v.split(',').filter(Boolean) : []);
const round = (v: number, digits: number) => Number(v.toFixed(digits));

/** The state a URL's query describes; anything missing or malformed takes its default. */
export function stateFromUrl(search: string): AppState {
  const q = new URLSearchParams(search);
  const s: AppState = structuredClone(DEFAULT_STATE);
  const v = list(q.get('v')).map(Number);
  if (v.length >= 3 && v.every(Number.isFinite)) {
    s.view = {
      longitude: v[0] as number,
      latitude: v[1] as number,
      zoom: v[2] as number,
      pitch: v[3] ?? 0,
      bearing: v[4] ?? 0,
    };
  }
  s.filters.company = list(q.get('company'));
  s.filters.vehicle = list(q.get('vehicle'));
  const from = q.get('from');
  const to = q.get('to');
  if (from && DATE.test(from)) s.filters.from = from;
  if (to && DATE.test(to)) s.filters.to = to;
  s.filters.mode = list(q.get('mode')).filter((m): m is Mode => (MODES as readonly string[]).includes(m));
  s.filters.kind = list(q.get('kind')).filter((k) => /^[a-z_]+$/u.test(k));
  if (q.get('color') === 'speed') s.colorBy = 'speed';
  if (q.has('layers'))
    s.layers = list(q.get('layers')).filter((l): l is LayerId => (LAYER_IDS as readonly string[]).includes(l));
  const t = q.get('t');
  if (t && Number.isFinite(Date.parse(t))) s.time = Date.parse(t);
  const speed = Number(q.get('speed'));
  if (q.has('speed') && Number.isFinite(speed) && speed > 0) s.speed = speed;
  s.playing = q.get('play') === '1';
  s.list.open = q.get('list') === '1';
  const sort = q.get('sort');
  if (sort && (LIST_SORTS as readonly string[]).includes(sort)) s.list.sort = sort as ListSort;
  s.list.severity = list(q.get('severity')).filter((v) => /^[a-z]+$/u.test(v));
  s.list.district = list(q.get('district'));
  s.list.ads_version = list(q.get('ads'));
  s.list.cursors = list(q.get('page')).filter((c) => /^[A-Za-z0-9_-]{1,512}$/u.test(c));
  const incident = q.get('incident');
  if (incident && /^[0-9a-f]{8,64}$/u.test(incident)) s.incident = incident;
  if (q.get('lang') === 'zh') s.lang = 'zh';
  const tiles = q.get('tiles');
  if (tiles) s.tiles = tiles;
  const crs = q.get('crs');
  if (crs === 'gcj02' || crs === 'wgs84') s.tileCrs = crs;
  return s;
}

function viewText(v: ViewState): string {
  const parts = [round(v.longitude, 5), round(v.latitude, 5), round(v.zoom, 2)];
  if (v.pitch || v.bearing) parts.push(round(v.pitch, 1), round(v.bearing, 1));
  return parts.join(',');
}

/** The query string for a state: only what differs from the defaults. */
export function urlFromState(s: AppState): string {
  const q = new URLSearchParams();
  const d = DEFAULT_STATE;
  if (s.view) q.set('v', viewText(s.view));
  const f = s.filters;
  if (f.company.length) q.set('company', f.company.join(','));
  if (f.vehicle.length) q.set('vehicle', f.vehicle.join(','));
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (f.mode.length) q.set('mode', f.mode.join(','));
  if (f.kind.length) q.set('kind', f.kind.join(','));
  if (s.colorBy !== d.colorBy) q.set('color', s.colorBy);
  if (s.layers.join(',') !== d.layers.join(',')) q.set('layers', s.layers.join(','));
  if (s.time !== null) q.set('t', new Date(s.time).toISOString().replace('.000Z', 'Z'));
  if (s.speed !== d.speed) q.set('speed', String(s.speed));
  if (s.playing) q.set('play', '1');
  const l = s.list;
  if (l.open) q.set('list', '1');
  if (l.sort !== d.list.sort) q.set('sort', l.sort);
  if (l.severity.length) q.set('severity', l.severity.join(','));
  if (l.district.length) q.set('district', l.district.join(','));
  if (l.ads_version.length) q.set('ads', l.ads_version.join(','));
  if (l.cursors.length) q.set('page', l.cursors.join(','));
  if (s.incident) q.set('incident', s.incident);
  if (s.lang !== d.lang) q.set('lang', s.lang);
  if (s.tiles) q.set('tiles', s.tiles);
  if (s.tileCrs) q.set('crs', s.tileCrs);
  const text = q.toString().replaceAll('%2C', ',');
  return text ? `?${text}` : '';
}
