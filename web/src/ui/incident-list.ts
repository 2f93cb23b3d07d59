import type { Static } from '@sinclair/typebox';
import type { IncidentsResponse } from '../../../services/api/schemas/incidents.js';
import { fetchJson, filterParams, type FilterOptions } from '../data/map-api.js';
import { listLabel, sortName } from '../i18n/list-labels.js';
import { districtName, kindName, severityName } from '../i18n/vocab-names.js';
import { kindColor } from '../layers/palette.js';
import { LIST_SORTS, type AppState, type ListSort, type ListState } from '../state/app-state.js';
import { h, swatch } from './dom.js';
import { localTime } from './time-format.js';

type Page = Static<typeof IncidentsResponse>;

/** Rows per page of the list. */
export const LIST_PAGE = 20;

/** Severities in the order the list offers them (the vocabulary's, most common first). */
const SEVERITY_CHOICES = ['high', 'medium', 'low', 'info', 'fatal', 'serious', 'moderate', 'minor', 'none'] as const;

export interface IncidentListActions {
  setList(patch: Partial<ListState>): void;
  select(id: string): void;
}

/** The `/api/incidents` query for the map's filters plus the list's own. */
export function listQuery(s: AppState): URLSearchParams {
  const q = filterParams(s.filters);
  const l = s.list;
  if (s.filters.kind.length) q.set('kind', s.filters.kind.join(','));
  if (l.severity.length) q.set('severity', l.severity.join(','));
  if (l.district.length) q.set('district', l.district.join(','));
  if (l.ads_version.length) q.set('ads_version', l.ads_version.join(','));
  q.set('sort', l.sort);
  q.set('limit', String(LIST_PAGE));
  const cursor = l.cursors[l.cursors.length - 1];
  if (cursor) q.set('cursor', cursor);
  return q;
}

/**
 * The incident list beside the map: sorted and filtered by the API (`/api/incidents`), one page at a time; a row
 * opens the incident (the map flies to it). Its state lives in the URL like the rest of the view.
 */
export class IncidentList {
  private readonly root: HTMLElement;
  private readonly act: IncidentListActions;
  private page: Page | null = null;
  private error: string | null = null;
  private query = '';
  private abort: AbortController | null = null;
  /** Bumped when a page has been drawn (the browser tests wait on it). */
  loaded = 0;

  constructor(root: HTMLElement, act: IncidentListActions) {
    this.root = root;
    this.act = act;
  }

  /** Fetches the page the state asks for (when it changed) and draws the list. */
  async update(s: AppState, options: FilterOptions | null): Promise<void> {
    this.root.classList.toggle('closed', !s.list.open);
    if (!s.list.open) {
      this.root.replaceChildren(
        h(
          'button',
          { type: 'button', 'data-control': 'list-open', onclick: () => this.act.setList({ open: true }) },
          `☰ ${listLabel(s.lang, 'incidentList')}`,
        ),
      );
      return;
    }
    const query = listQuery(s).toString();
    if (query !== this.query) {
      this.query = query;
      this.abort?.abort();
      const abort = new AbortController();
      this.abort = abort;
      this.draw(s, options, true);
      try {
        this.page = await fetchJson<Page>(`/api/incidents?${query}`, abort.signal);
        this.error = null;
      } catch (e) {
        if (abort.signal.aborted) return;
        this.page = null;
        this.error = e instanceof Error ? e.message : String(e);
      }
    }
    this.draw(s, options, false);
    this.loaded++;
  }

  private draw(s: AppState, options: FilterOptions | null, loading: boolean): void {
    const lang = s.lang;
    const l = s.list;
    const select = (
      name: string,
      any: string,
      values: readonly string[],
      chosen: readonly string[],
      text: (v: string) => string,
      set: (v: string[]) => void,
    ) =>
      h(
        'select',
        {
          name,
          'data-list-filter': name,
          onchange: (e: Event) => {
            const v = (e.target as HTMLSelectElement).value;
            set(v ? [v] : []);
          },
        },
        h('option', { value: '' }, any),
        ...values.map((v) => h('option', { value: v, selected: chosen[0] === v }, text(v))),
      );
    const reset = { cursors: [] as string[] };
    const controls = h(
      'div',
      { class: 'list-controls' },
      h(
        'label',
        {},
        `${listLabel(lang, 'sortBy')} `,
        h(
          'select',
          {
            name: 'sort',
            'data-list-filter': 'sort',
            onchange: (e: Event) => {
              const v = (e.target as HTMLSelectElement).value;
              const sort = LIST_SORTS.find((x): x is ListSort => x === v);
              if (sort) this.act.setList({ sort, ...reset });
            },
          },
          ...LIST_SORTS.map((v) => h('option', { value: v, selected: l.sort === v }, sortName(v, lang))),
        ),
      ),
      select(
        'severity',
        listLabel(lang, 'allSeverities'),
        SEVERITY_CHOICES,
        l.severity,
        (v) => severityName(v, lang),
        (severity) => this.act.setList({ severity, ...reset }),
      ),
      select(
        'district',
        listLabel(lang, 'allDistricts'),
        options?.districts ?? [],
        l.district,
        (v) => districtName(v, lang),
        (district) => this.act.setList({ district, ...reset }),
      ),
      select(
        'ads',
        listLabel(lang, 'allVersions'),
        options?.ads_versions ?? [],
        l.ads_version,
        (v) => v,
        (ads_version) => this.act.setList({ ads_version, ...reset }),
      ),
    );
    const page = this.page;
    const body: (HTMLElement | string)[] = [];
    if (this.error) body.push(h('p', { class: 'error' }, this.error));
    else if (page && !page.items.length) body.push(h('p', { class: 'muted' }, listLabel(lang, 'none')));
    else if (page)
      body.push(
        h(
          'table',
          { class: 'incident-rows' },
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              h('th', {}, `${listLabel(lang, 'beijing')}`),
              h('th', {}, ''),
              h('th', {}, ''),
              h('th', { class: 'num' }, lang === 'zh' ? '峰值' : 'peak'),
              h('th', {}, lang === 'zh' ? '车辆' : 'vehicle'),
            ),
          ),
          h(
            'tbody',
            {},
            ...page.items.map((i) =>
              h(
                'tr',
                {
                  'data-incident': i.event_id,
                  class: s.incident === i.event_id ? 'selected' : undefined,
                  tabindex: 0,
                  onclick: () => this.act.select(i.event_id),
                  onkeydown: (e: Event) => {
                    if ((e as KeyboardEvent).key === 'Enter') this.act.select(i.event_id);
                  },
                },
                h('td', { class: 'time' }, localTime(Date.parse(i.ts), lang)),
                h('td', {}, swatch(kindColor(i.kind)), kindName(i.kind, lang)),
                h(
                  'td',
                  {},
                  i.severity ? h('span', { class: `badge sev-${i.severity}` }, severityName(i.severity, lang)) : '',
                ),
                h('td', { class: 'num' }, i.peak === null ? '' : i.peak.toFixed(2)),
                h(
                  'td',
                  {},
                  i.vehicle_id,
                  i.district ? h('span', { class: 'note' }, ` ${districtName(i.district, lang)}`) : null,
                ),
              ),
            ),
          ),
        ),
      );
    const pageNo = l.cursors.length + 1;
    const footer = h(
      'div',
      { class: 'list-footer' },
      h(
        'span',
        { 'data-testid': 'list-total' },
        page ? `${listLabel(lang, 'matching', { n: page.total })} · ${listLabel(lang, 'page', { p: pageNo })}` : '',
      ),
      h(
        'button',
        {
          type: 'button',
          'data-control': 'list-prev',
          disabled: !l.cursors.length,
          onclick: () => this.act.setList({ cursors: l.cursors.slice(0, -1) }),
        },
        listLabel(lang, 'prev'),
      ),
      h(
        'button',
        {
          type: 'button',
          'data-control': 'list-next',
          disabled: !page?.next_cursor,
          onclick: () => page?.next_cursor && this.act.setList({ cursors: [...l.cursors, page.next_cursor] }),
        },
        listLabel(lang, 'next'),
      ),
    );
    this.root.classList.toggle('loading', loading);
    const close = h(
      'button',
      {
        type: 'button',
        class: 'close',
        'data-control': 'list-close',
        onclick: () => this.act.setList({ open: false }),
      },
      '×',
    );
    this.root.replaceChildren(close, h('h3', {}, listLabel(lang, 'incidentList')), controls, ...body, footer);
  }
}
