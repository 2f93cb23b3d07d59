import type { IncidentSet } from '../data/incident-set.js';
import type { MapConfig } from '../data/map-api.js';
import type { RouteSet } from '../data/route-set.js';
import { label } from '../i18n/labels.js';
import { KIND_GROUP_LABELS, MODE_LABELS } from '../../../services/vocabulary/labels.js';
import { GROUP_COLORS, LEGEND_GROUPS, MODE_COLORS, SPEED_STOPS } from '../layers/palette.js';
import { MODES, type AppState } from '../state/app-state.js';
import { h, swatch } from './dom.js';

/** What the colours mean, and how much is drawn (samples after level of detail, incidents). */
export function renderLegend(
  root: HTMLElement,
  s: AppState,
  routes: RouteSet | null,
  incidents: IncidentSet | null,
  publicView: MapConfig['public_view'] = null,
): void {
  const L = (k: Parameters<typeof label>[1]) => label(s.lang, k);
  const routeKey =
    s.colorBy === 'mode'
      ? h(
          'div',
          { class: 'row' },
          ...MODES.filter((m) => m !== 'unknown').map((m) =>
            h('span', { class: 'item' }, swatch(MODE_COLORS[m]), MODE_LABELS[m][s.lang]),
          ),
        )
      : h(
          'div',
          { class: 'row' },
          h('span', {
            class: 'ramp',
            style: `background: linear-gradient(to right, ${SPEED_STOPS.map(([, c]) => `rgb(${c[0]},${c[1]},${c[2]})`).join(', ')})`,
          }),
          `${SPEED_STOPS[0]?.[0]}–${SPEED_STOPS[SPEED_STOPS.length - 1]?.[0]} ${L('speedLegend')}`,
        );
  const kinds = h(
    'div',
    { class: 'row' },
    ...LEGEND_GROUPS.map((g) => h('span', { class: 'item' }, swatch(GROUP_COLORS[g]), KIND_GROUP_LABELS[g][s.lang])),
  );
  const counts = h(
    'div',
    { class: 'counts', 'data-testid': 'counts' },
    routes
      ? `${routes.length.toLocaleString()} ${L('points')}${routes.meta.lod?.zoom != null ? ` (${L('lodNote')} z${routes.meta.lod.zoom})` : ''}`
      : L('loading'),
    ' · ',
    incidents
      ? `${incidents.length.toLocaleString()} ${L('incidents')}${incidents.meta.truncated ? ` (${L('truncated')})` : ''}`
      : '',
  );
  // about the grid's size on the ground in Shenzhen (latitude, rounded to 10 m)
  const note =
    publicView &&
    h(
      'div',
      { class: 'public-note', 'data-testid': 'public-view' },
      L('publicView').replace('{m}', String(Math.round((publicView.cell_deg * 111_320) / 10) * 10)),
    );
  root.replaceChildren(routeKey, kinds, counts, ...(note ? [note] : []));
}
