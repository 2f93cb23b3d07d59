import type { FilterOptions } from '../data/map-api.js';
import { label } from '../i18n/labels.js';
import { MODE_LABELS } from '../../../services/vocabulary/labels.js';
import { kindName } from '../i18n/vocab-names.js';
import { kindColor, MODE_COLORS } from '../layers/palette.js';
import {
  DEFAULT_STATE,
  LAYER_IDS,
  MODES,
  type AppState,
  type Filters,
  type LayerId,
  type Mode,
} from '../state/app-state.js';
import { h, swatch } from './dom.js';

export interface SidebarActions {
  setFilters(patch: Partial<Filters>): void;
  set(patch: Partial<AppState>): void;
}

const toggle = <T>(list: readonly T[], value: T, on: boolean): T[] =>
  on ? [...new Set([...list, value])] : list.filter((v) => v !== value);

function checkList<T extends string>(
  name: string,
  values: readonly { value: T; text: string; color?: readonly number[]; note?: string }[],
  chosen: readonly T[],
  onChange: (next: T[]) => void,
): HTMLElement {
  return h(
    'div',
    { class: 'checks', 'data-filter': name },
    ...values.map((v) =>
      h(
        'label',
        {},
        h('input', {
          type: 'checkbox',
          name,
          value: v.value,
          checked: chosen.includes(v.value),
          onchange: (e: Event) => onChange(toggle(chosen, v.value, (e.target as HTMLInputElement).checked)),
        }),
        v.color ? swatch(v.color) : null,
        v.text,
        v.note ? h('span', { class: 'note' }, v.note) : null,
      ),
    ),
  );
}

function section(title: string, ...body: (Node | null)[]): HTMLElement {
  return h('section', {}, h('h3', {}, title), ...body);
}

/** The sidebar: filters (company, vehicle, dates, mode, incident kind), route colouring, layers, language, who is signed in. */
export function renderSidebar(
  root: HTMLElement,
  s: AppState,
  options: FilterOptions | null,
  act: SidebarActions,
  publicView = false,
  badge: HTMLElement | null = null,
): void {
  const L = (k: Parameters<typeof label>[1]) => label(s.lang, k);
  const f = s.filters;
  const vehicles = (options?.vehicles ?? []).filter((v) => !f.company.length || f.company.includes(v.company));
  const dateInput = (key: 'from' | 'to') =>
    h('input', {
      type: 'date',
      name: key,
      value: f[key] ?? '',
      min: options?.dates?.from,
      max: options?.dates?.to,
      onchange: (e: Event) => act.setFilters({ [key]: (e.target as HTMLInputElement).value || null }),
    });
  root.replaceChildren(
    h(
      'header',
      {},
      h('h2', {}, L('title')),
      publicView
        ? null
        : h(
            'a',
            {
              class: 'reports-link',
              style: 'color: var(--accent)',
              href: s.lang === 'zh' ? '/reports.html?lang=zh' : '/reports.html',
            },
            L('reports'),
          ),
      h(
        'button',
        { class: 'lang', type: 'button', onclick: () => act.set({ lang: s.lang === 'zh' ? 'en' : 'zh' }) },
        L('language'),
      ),
      badge,
    ),
    section(
      L('filters'),
      h('h4', {}, L('company')),
      checkList(
        'company',
        (options?.companies ?? []).map((c) => ({ value: c.id, text: c.id, note: String(c.vehicles) })),
        f.company,
        (company) =>
          act.setFilters({
            company,
            vehicle: f.vehicle.filter(
              (v) => !company.length || company.includes(options?.vehicles.find((x) => x.id === v)?.company ?? ''),
            ),
          }),
      ),
      // public viewers get no vehicle list
      vehicles.length ? h('h4', {}, L('vehicle')) : null,
      vehicles.length
        ? checkList(
            'vehicle',
            vehicles.map((v) => ({ value: v.id, text: v.id })),
            f.vehicle,
            (vehicle) => act.setFilters({ vehicle }),
          )
        : null,
      h(
        'div',
        { class: 'dates' },
        h('label', {}, L('from'), dateInput('from')),
        h('label', {}, L('to'), dateInput('to')),
      ),
      h('h4', {}, L('mode')),
      checkList<Mode>(
        'mode',
        MODES.filter((m) => m !== 'unknown' || options?.modes.includes('unknown')).map((m) => ({
          value: m,
          text: MODE_LABELS[m][s.lang],
          color: MODE_COLORS[m],
        })),
        f.mode,
        (mode) => act.setFilters({ mode }),
      ),
      h('h4', {}, L('kind')),
      checkList(
        'kind',
        (options?.kinds ?? []).map((k) => ({
          value: k.kind,
          text: kindName(k.kind, s.lang),
          color: kindColor(k.kind),
          note: String(k.count),
        })),
        f.kind,
        (kind) => act.setFilters({ kind }),
      ),
      h(
        'button',
        { type: 'button', class: 'reset', onclick: () => act.setFilters(structuredClone(DEFAULT_STATE.filters)) },
        L('reset'),
      ),
    ),
    section(
      L('colorBy'),
      h(
        'div',
        { class: 'radios', 'data-control': 'color' },
        ...(['mode', 'speed'] as const).map((c) =>
          h(
            'label',
            {},
            h('input', {
              type: 'radio',
              name: 'color',
              value: c,
              checked: s.colorBy === c,
              onchange: () => act.set({ colorBy: c }),
            }),
            L(c === 'mode' ? 'byMode' : 'bySpeed'),
          ),
        ),
      ),
    ),
    section(
      L('layers'),
      checkList<LayerId>(
        'layers',
        LAYER_IDS.map((id) => ({ value: id, text: L(`layer_${id}`) })),
        s.layers,
        (layers) => act.set({ layers: LAYER_IDS.filter((id) => layers.includes(id)) }),
      ),
    ),
  );
}
