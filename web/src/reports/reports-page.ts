import { openWithToken } from '../session/api-link.js';
import type { Lang } from '../state/app-state.js';
import { h } from '../ui/dom.js';
import { reportsLabel, type ReportsLabel } from './labels.js';
import { matrix, type PeriodKind, type ReportRow } from './report-list.js';

const SECTIONS: { kind: PeriodKind; label: ReportsLabel }[] = [
  { kind: 'range', label: 'tests' },
  { kind: 'quarter', label: 'quarters' },
  { kind: 'month', label: 'months' },
];

/** The six renderings of one report, compact: HTML 中文 · EN, PDF 中文 · EN, CSV, JSON. */
function links(r: ReportRow): HTMLElement {
  const a = (href: string, text: string, title: string) =>
    h('a', { href, title, target: '_blank', rel: 'noopener', onclick: openWithToken }, text);
  const l = r.links;
  return h(
    'span',
    { class: 'links' },
    h(
      'span',
      { class: 'fmt' },
      'HTML ',
      a(l.html_zh, '中文', 'HTML, 中文'),
      ' · ',
      a(l.html_en, 'EN', 'HTML, English'),
    ),
    h('span', { class: 'fmt' }, 'PDF ', a(l.pdf_zh, '中文', 'PDF, 中文'), ' · ', a(l.pdf_en, 'EN', 'PDF, English')),
    a(l.csv, 'CSV', 'CSV: every table'),
    a(l.json, 'JSON', 'JSON: the model and every table'),
  );
}

function section(rows: readonly ReportRow[], kind: PeriodKind, title: string, lang: Lang): HTMLElement | null {
  const m = matrix(rows, kind);
  if (!m.periods.length) return null;
  const L = (k: ReportsLabel) => reportsLabel(lang, k);
  const head = h(
    'tr',
    {},
    h('th', {}, L('period')),
    ...m.companies.map((c) => h('th', { 'data-company': c }, c === 'all' ? L('fleet') : c)),
  );
  const body = m.periods.map((p) =>
    h(
      'tr',
      { 'data-period': p },
      h('th', { scope: 'row' }, p.replace('..', ' – ')),
      ...m.companies.map((c) => {
        const r = m.cell(p, c);
        return h(
          'td',
          r ? { 'data-company': c, title: `${r.telemetry_files} + ${r.event_files} ${L('files')}` } : {},
          r ? links(r) : '—',
        );
      }),
    ),
  );
  return h(
    'section',
    { class: `kind-${kind}`, 'data-kind': kind },
    h('h2', {}, title),
    h('table', {}, h('thead', {}, head), h('tbody', {}, ...body)),
  );
}

/** The whole page for a report list (null: still loading; an Error: it failed). */
export function reportsPage(
  lang: Lang,
  rows: readonly ReportRow[] | null | Error,
  onLang: () => void,
  badge: HTMLElement | null = null,
): HTMLElement[] {
  const L = (k: ReportsLabel) => reportsLabel(lang, k);
  const header = h(
    'header',
    {},
    h('h1', {}, L('title')),
    h(
      'nav',
      {},
      h('a', { href: lang === 'zh' ? '/?lang=zh' : '/', class: 'map-link' }, L('map')),
      h('button', { class: 'lang', type: 'button', onclick: onLang }, L('language')),
      badge,
    ),
  );
  const intro = h('p', { class: 'intro' }, L('intro'));
  if (rows === null) return [header, intro, h('p', { class: 'status' }, L('loading'))];
  if (rows instanceof Error)
    return [header, intro, h('p', { class: 'status error' }, `${L('error')}: ${rows.message}`)];
  if (!rows.length) return [header, intro, h('p', { class: 'status' }, L('none'))];
  return [
    header,
    intro,
    ...SECTIONS.map((s) => section(rows, s.kind, L(s.label), lang)).filter((x): x is HTMLElement => x !== null),
  ];
}
