import { esc, hBars, lineChart, MODE_COLOURS, progressBar, stackedBars } from './charts.js';
import { fmtBeijing, plural, fmtDelta, fmtDeltaPct, fmtH, fmtInt, fmtKm, fmtNum, fmtPct, fmtRate } from './format.js';
import { CAUSE_LABELS, causeTerm, PERMIT_KIND_LABELS } from '../vocabulary/causes.js';
import type { Label, Lang } from '../vocabulary/label.js';
import { capitalised, KIND_LABELS, ORIGIN_LABELS } from '../vocabulary/labels.js';
import { DRIVEN_MODES } from '../vocabulary/modes.js';
import {
  FLEET_WIDE,
  GATE_STATUS,
  INITIATOR_TERMS,
  MODE_TERMS,
  MONTH_STATUS,
  OPERATION_LABELS,
  PERIOD_WORDS,
  SECTION_TITLES,
  SEVERITY_TERMS,
  term,
  UI,
  type PeriodWords,
} from './i18n.js';
import {
  SECTION_IDS,
  type AccidentRow,
  type Delta,
  type ReportIncident,
  type ReportModel,
  type SectionId,
} from './model.js';
import { mapSvg } from './render-map.js';
import { reportDefinitions } from './definitions.js';
import type { RateInterval } from './rates.js';
import { reportTables, type Cell, type Column, type ReportTable } from './tables.js';

export interface HtmlOptions {
  lang: Lang;
}

const other = (lang: Lang): Lang => (lang === 'zh' ? 'en' : 'zh');

/** Section heading: number, title in the report language, the other language small. */
function heading(
  id: SectionId | 'appendix' | 'flags' | 'months' | 'definitions' | 'signature',
  n: number | null,
  lang: Lang,
  title: Label = SECTION_TITLES[id],
): string {
  return `<h2 id="h-${id}">${n === null ? '' : `<span class="num">${n}</span> `}${esc(title[lang])} <small>${esc(title[other(lang)])}</small></h2>`;
}

/** "No data for the previous month / quarter / period". */
const noPrevious = (w: PeriodWords, lang: Lang) =>
  lang === 'zh' ? `${w.previous.zh}无数据` : `no data for the ${w.previous.en}`;

/** A figure card: value, and the previous period's value with the change. */
const cardFor = (w: PeriodWords) =>
  function card(
    label: string,
    value: string,
    d: Delta | null,
    lang: Lang,
    opts: { digits?: number; goodWhen?: 'up' | 'down'; unit?: string; extra?: string } = {},
  ): string {
    let sub = '';
    if (d) {
      if (d.previous === null) sub = `<div class="prev">${esc(noPrevious(w, lang))}</div>`;
      else {
        const dir = d.delta === null || Math.abs(d.delta) < 1e-12 ? 'flat' : d.delta > 0 ? 'up' : 'down';
        const tone = opts.goodWhen === undefined || dir === 'flat' ? '' : dir === opts.goodWhen ? ' good' : ' bad';
        sub = `<div class="prev">${esc(capitalised(w.previous[lang]))} ${esc(fmtNum(d.previous, opts.digits ?? 1))} · <span class="d ${dir}${tone}">${esc(fmtDelta(d.delta, opts.digits ?? 1))} (${esc(fmtDeltaPct(d.delta_pct))})</span></div>`;
      }
    }
    return `<div class="card"><div class="lbl">${esc(label)}</div><div class="val">${esc(value)}${opts.unit ? ` <span class="unit">${esc(opts.unit)}</span>` : ''}</div>${opts.extra ?? ''}${sub}</div>`;
  };

/** A rate's 95 % interval, and the small-exposure caveat when it applies. */
function rateExtra(r: RateInterval, lang: Lang): string {
  if (r.value === null) return '';
  const ci = `<div class="ci">95% CI ${esc(fmtRate(r.lower))} – ${esc(fmtRate(r.upper))}</div>`;
  if (!r.small_exposure) return ci;
  const unit = r.per_km >= 1e6 ? L('百万公里', 'million km', lang) : `${fmtInt(r.per_km)} km`;
  return `${ci}<div class="caveat">${esc(
    L(
      `样本量小（${fmtInt(r.count)} 起 / ${fmtKm(r.km)} km，不足 ${fmtInt(r.per_km)} km 或事件少）：比率不稳定，仅供参考`,
      `Small exposure (${plural(r.count, 'event')} over ${fmtKm(r.km)} km; under ${unit} or few events): not a stable rate`,
      lang,
    ),
  )}</div>`;
}

/** A collision in a few sentences: when (Beijing), where, how fast, in which mode, with whom, and what was logged around it. */
function collisionNarrative(x: AccidentRow, lang: Lang): string {
  const when = `${x.local_time.slice(0, 16)} ${L('北京时间', 'Beijing time', lang)}`;
  const car = `${x.vehicle_id}${x.plate ? L(`（${x.plate}）`, ` (${x.plate})`, lang) : ''}`;
  const where = [x.district, x.lat !== null && x.lon !== null ? `${x.lat.toFixed(5)}, ${x.lon.toFixed(5)}` : null]
    .filter(Boolean)
    .join(L('，', ', ', lang));
  const mode = x.mode ? term(MODE_TERMS, x.mode, lang) : null;
  const other = x.counterpart === null ? null : causeTerm(x.counterpart, lang);
  const injury = term(SEVERITY_TERMS, x.injury ?? 'unspecified', lang);
  const around = (sign: -1 | 1) =>
    x.around
      .filter((e) => (sign < 0 ? e.offset_s < 0 : e.offset_s >= 0))
      .map(
        (e) =>
          `${sign < 0 ? '−' : '+'}${fmtNum(Math.abs(e.offset_s), 0)} s ${term(KIND_LABELS, e.kind, lang)}${e.cause ? L(`（${causeTerm(e.cause, lang)}）`, ` (${causeTerm(e.cause, lang)})`, lang) : ''}`,
      )
      .join(L('；', '; ', lang));
  const before = around(-1);
  const after = around(1);
  const speed = x.speed_kmh === null ? null : fmtNum(x.speed_kmh, 1);
  return lang === 'zh'
    ? `${when}，${car}${where ? `在 ${where} ` : ''}${speed ? `以 ${speed} km/h ` : ''}${mode ? `${mode}行驶时` : ''}发生碰撞${other ? `（${other}）` : ''}，伤情：${injury}。事前记录：${before || '无其他事件'}；事后记录：${after || '无其他事件'}。`
    : `${when}: ${car}${where ? ` at ${where}` : ''}${speed ? `, ${speed} km/h` : ''}${mode ? `, ${mode}` : ''}: collision${other ? ` (${other})` : ''}, injury ${injury}. Logged before: ${before || 'nothing else'}; after: ${after || 'nothing else'}.`;
}

const cards = (items: string[]) => `<div class="cards">${items.join('')}</div>`;
const note = (s: string) => `<p class="note">${esc(s)}</p>`;
const L = (zh: string, en: string, lang: Lang) => (lang === 'zh' ? zh : en);

const VOCAB: Record<string, Readonly<Record<string, Label>>> = {
  // A permit's kind and an event's kind share the column key.
  kind: { ...PERMIT_KIND_LABELS, ...KIND_LABELS },
  cause: CAUSE_LABELS,
  counterpart: CAUSE_LABELS,
  damage: CAUSE_LABELS,
  liability: CAUSE_LABELS,
  mode: MODE_TERMS,
  severity: SEVERITY_TERMS,
  injury: SEVERITY_TERMS,
  initiator: INITIATOR_TERMS,
  origin: ORIGIN_LABELS,
  operation: OPERATION_LABELS,
  status: GATE_STATUS,
  month_status: MONTH_STATUS,
};

function cellHtml(c: Column, v: Cell, lang: Lang): string {
  if (v === null || v === undefined) return '<span class="nil">—</span>';
  if (typeof v === 'boolean')
    return v
      ? `<span class="yes">${esc(UI.yes?.[lang] ?? 'yes')}</span>`
      : `<span class="no">${esc(UI.no?.[lang] ?? 'no')}</span>`;
  if (typeof v === 'number') {
    switch (c.kind) {
      case 'int':
        return fmtInt(v);
      case 'km':
      case 'h':
        return fmtKm(v);
      case 'rate':
        return fmtRate(v);
      case 'pct':
        return fmtPct(v);
      case 'delta':
        return fmtDelta(v);
      case 'num':
        return Number.isInteger(v) ? fmtInt(v) : fmtNum(v, Math.abs(v) >= 100 ? 1 : 3);
      default:
        return esc(String(v));
    }
  }
  // "code:count …" summaries (by cause, by severity) read as terms.
  if (c.key === 'by_cause' || c.key === 'by_severity')
    return esc(
      v
        .split(' ')
        .filter(Boolean)
        .map((part) => {
          const i = part.lastIndexOf(':');
          const code = part.slice(0, i);
          return `${causeTerm(code, lang, c.key === 'by_cause' ? CAUSE_LABELS : SEVERITY_TERMS)} ${part.slice(i + 1)}`;
        })
        .join(L('，', ', ', lang)),
    );
  const dict = VOCAB[c.key];
  return esc(dict ? causeTerm(v, lang, dict) : v);
}

/** A report table as HTML; `keys` picks and orders columns. */
function tableHtml(
  t: ReportTable | undefined,
  lang: Lang,
  o: {
    keys?: string[];
    empty?: string;
    caption?: boolean;
    cls?: string;
    rowClass?: (r: Record<string, Cell>) => string;
  } = {},
): string {
  if (!t) return '';
  const cols = o.keys
    ? o.keys.map((k) => t.columns.find((c) => c.key === k)).filter((c): c is Column => c !== undefined)
    : t.columns;
  const cap = o.caption === false ? '' : `<caption>${esc(t.title[lang])}</caption>`;
  if (!t.rows.length)
    return `<table class="${o.cls ?? ''}">${cap}<tbody><tr><td class="nil">${esc(o.empty ?? UI.none?.[lang] ?? '')}</td></tr></tbody></table>`;
  const numeric = (c: Column) => c.kind !== undefined && c.kind !== 'text' && c.kind !== 'bool';
  // Identifiers and plates stay on one line.
  const cls = (c: Column) =>
    numeric(c) ? ' class="n"' : /(^|_)id$|^plate$|^vin$|^number$|^version$|^month$/u.test(c.key) ? ' class="id"' : '';
  const head = cols.map((c) => `<th${numeric(c) ? ' class="n"' : ''}>${esc(c.label[lang])}</th>`).join('');
  const body = t.rows
    .map(
      (r) =>
        `<tr${o.rowClass ? ` class="${o.rowClass(r)}"` : ''}>${cols.map((c) => `<td${cls(c)}>${cellHtml(c, r[c.key] ?? null, lang)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table class="${o.cls ?? ''}${t.rows.length <= 12 ? ' small' : ''}">${cap}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

function incidentTable(items: ReportIncident[], lang: Lang, caption: string, showWindow = true): string {
  if (!items.length)
    return `<table><caption>${esc(caption)}</caption><tbody><tr><td class="nil">${esc(UI.none?.[lang] ?? '')}</td></tr></tbody></table>`;
  const head = [
    L('时间（北京）', 'Time (Beijing)', lang),
    L('车辆', 'Vehicle', lang),
    L('类型', 'Kind', lang),
    L('程度', 'Severity', lang),
    L('模式', 'Mode', lang),
    L('发起方 / 原因', 'Initiator / cause', lang),
    L('地点', 'Place', lang),
    L('车速 km/h', 'Speed km/h', lang),
    ...(showWindow ? [L('事件记录', 'Record', lang)] : []),
  ];
  const rows = items.map((i) => {
    const w = i.window;
    const rec = !w
      ? '—'
      : w.complete
        ? `<span class="yes">✓ ${esc(UI.complete?.[lang] ?? '')}</span>`
        : `<span class="no">✗ ${esc(UI.incomplete?.[lang] ?? '')}${w.missing_before_s > 0.001 ? ` −${fmtNum(w.missing_before_s, 1)} s` : ''}${w.missing_after_s > 0.001 ? ` +${fmtNum(w.missing_after_s, 1)} s` : ''}${w.max_gap_s !== null && w.max_gap_s > 2 ? ` gap ${fmtNum(w.max_gap_s, 1)} s` : ''}</span>`;
    const place = [i.district, i.lat !== null && i.lon !== null ? `${i.lat.toFixed(4)}, ${i.lon.toFixed(4)}` : null]
      .filter(Boolean)
      .join(' · ');
    return `<tr class="${w && !w.complete ? 'warn' : ''}"><td class="id">${esc(i.local_time.slice(0, 10))}<br>${esc(i.local_time.slice(11))}</td><td>${esc(i.vehicle_id)}${i.plate ? `<br><span class="sub">${esc(i.plate)}</span>` : ''}</td><td>${esc(term(KIND_LABELS, i.kind, lang))}${i.origin !== 'logged' ? ` <span class="sub">(${esc(term(ORIGIN_LABELS, i.origin, lang))})</span>` : ''}</td><td>${esc(i.severity ? term(SEVERITY_TERMS, i.severity, lang) : '—')}</td><td>${esc(i.mode ? term(MODE_TERMS, i.mode, lang) : '—')}</td><td>${esc([i.initiator ? term(INITIATOR_TERMS, i.initiator, lang) : null, i.cause === null ? null : causeTerm(i.cause, lang)].filter(Boolean).join(' / ') || '—')}</td><td>${esc(place || '—')}</td><td class="n">${esc(fmtNum(i.speed_kmh, 1))}</td>${showWindow ? `<td>${rec}</td>` : ''}</tr>`;
  });
  return `<table class="incidents"><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const CSS = `
@page { size: A4; margin: 14mm 11mm 16mm 11mm; }
* { box-sizing: border-box; }
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "WenQuanYi Zen Hei", "DejaVu Sans", "Liberation Sans", sans-serif; font-size: 9.5pt; color: #111827; margin: 0; line-height: 1.35; }
main { max-width: 190mm; margin: 0 auto; padding: 6mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2.5mm; padding-bottom: 1mm; border-bottom: 2px solid #1f2937; break-after: avoid; }
h2 .num { display: inline-block; min-width: 7mm; color: #2563eb; }
h2 small, h3 small { font-size: 8.5pt; color: #6b7280; font-weight: normal; }
h3 { font-size: 10.5pt; margin: 4mm 0 1.5mm; break-after: avoid; }
.cover { border: 1px solid #d1d5db; border-radius: 2mm; padding: 4mm 5mm; background: #f9fafb; }
.cover dl { display: grid; grid-template-columns: 32mm 1fr; gap: 1mm 3mm; margin: 2mm 0 0; }
.cover dt { color: #6b7280; } .cover dd { margin: 0; word-break: break-all; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: 2mm; margin: 2mm 0 3mm; }
.card { border: 1px solid #e5e7eb; border-radius: 1.5mm; padding: 2mm 2.5mm; break-inside: avoid; }
.card .lbl { color: #4b5563; font-size: 8pt; } .card .val { font-size: 14pt; font-weight: 600; } .card .unit { font-size: 8.5pt; font-weight: normal; color: #6b7280; }
.card .prev { font-size: 7.5pt; color: #6b7280; } .card .ci { font-size: 7.5pt; color: #374151; } .card .caveat { font-size: 7.5pt; color: #b45309; }
table.defs td:first-child { width: 32mm; } table.defs td:last-child { width: 42mm; } section.definitions { break-before: page; }
.d.up { color: #1d4ed8; } .d.down { color: #9333ea; } .d.good { color: #15803d; } .d.bad { color: #b91c1c; }
table { width: 100%; border-collapse: collapse; margin: 1.5mm 0 3mm; font-size: 8pt; break-inside: auto; }
caption { text-align: left; font-weight: 600; font-size: 9pt; padding: 1mm 0; caption-side: top; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 0.8mm 1.2mm; text-align: left; vertical-align: top; }
th { background: #f3f4f6; font-weight: 600; } td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; } td.id { white-space: nowrap; }
tr.total td { font-weight: 600; border-top: 2px solid #1f2937; } tr { break-inside: avoid; } table.small { break-inside: avoid; } thead { display: table-header-group; } tr.warn td { background: #fef3c7; } tr.red td { background: #fee2e2; }
.nil { color: #9ca3af; } .yes { color: #15803d; } .no { color: #b91c1c; } .sub { color: #6b7280; font-size: 7.5pt; }
.note { color: #4b5563; font-size: 8pt; margin: 1mm 0 2mm; }
.flags { border: 2px solid #dc2626; border-radius: 2mm; padding: 2mm 4mm; margin: 4mm 0; }
.flags.calm { border-color: #16a34a; }
.flag { margin: 1mm 0; } .flag.red::before { content: "●"; color: #dc2626; margin-right: 2mm; } .flag.amber::before { content: "●"; color: #d97706; margin-right: 2mm; }
.banner { background: #fee2e2; border: 1px solid #dc2626; color: #7f1d1d; padding: 2mm 3mm; border-radius: 1.5mm; margin: 2mm 0; font-weight: 600; }
.sig { display: grid; grid-template-columns: 30mm 1fr; gap: 1mm 3mm; } .sig dt { color: #6b7280; } .sig dd { margin: 0; }
.signlines { display: grid; grid-template-columns: 2fr 1fr 1fr; gap: 8mm; margin-top: 16mm; } .signlines div { border-top: 1px solid #111827; padding-top: 1mm; font-size: 8pt; color: #4b5563; }
.narrative { margin: 1mm 0 2mm; font-size: 8.5pt; }
.banner.amber { background: #fef3c7; border-color: #d97706; color: #78350f; }
.ok { background: #dcfce7; border: 1px solid #16a34a; color: #14532d; padding: 1.5mm 3mm; border-radius: 1.5mm; margin: 2mm 0; }
svg { max-width: 100%; height: auto; } svg .tick { font-size: 8px; fill: #6b7280; } svg .legend, svg .label, svg .value { font-size: 9px; fill: #111827; } svg .barlabel { font-size: 9px; fill: #111827; }
.gate { display: grid; grid-template-columns: 1fr 78mm; gap: 1mm 3mm; align-items: center; margin: 1.5mm 0; break-inside: avoid; }
.gate .st { font-size: 8pt; color: #4b5563; }
.two { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
section { break-inside: auto; }
section.map, section.appendix { break-before: page; }
.fp { font-family: "DejaVu Sans Mono", monospace; font-size: 7.5pt; word-break: break-all; }
@media screen { body { background: #e5e7eb; } main { background: #fff; padding: 10mm 12mm; margin: 6mm auto; box-shadow: 0 1px 6px rgba(0,0,0,.15); } }
`;

/** The report as one self-contained printable HTML page (inline CSS and SVG; no scripts, no external assets). */
export function renderHtml(m: ReportModel, o: HtmlOptions): string {
  const { lang } = o;
  const tables = new Map(reportTables(m).map((t) => [t.id, t]));
  const tb = (id: string) => tables.get(id);
  const h = m.header;
  const companyName =
    h.scope === 'fleet'
      ? FLEET_WIDE[lang]
      : [h.companies[0]?.id, lang === 'zh' ? h.companies[0]?.name : (h.companies[0]?.name_en ?? h.companies[0]?.name)]
          .filter(Boolean)
          .join(' · ');
  const out: string[] = [];
  const W = PERIOD_WORDS[m.period_kind];
  const card = cardFor(W);
  const multi = m.months.rows.length > 1;
  const sec = (id: SectionId, body: string) =>
    out.push(
      `<section class="${id}" id="s-${id}">${heading(id, SECTION_IDS.indexOf(id) + 1, lang, id === 'changes' ? W.changes : undefined)}${body}</section>`,
    );
  const series = DRIVEN_MODES.map((k) => ({
    key: k,
    label: MODE_TERMS[k]?.[lang] ?? k,
    colour: MODE_COLOURS[k] ?? '#999',
  }));

  // cover
  out.push(`<div class="cover"><h1>${esc(W.title[lang])}</h1><div>${esc(W.title[other(lang)])}</div><dl>
    <dt>${esc(UI.company?.[lang] ?? '')}</dt><dd>${esc(companyName)}</dd>
    <dt>${esc(UI.period?.[lang] ?? '')}</dt><dd>${esc(m.period)} (${esc(h.period.firstDate)} – ${esc(h.period.lastDate)}, ${lang === 'zh' ? '北京时间' : 'Beijing time'})</dd>
    <dt>${esc(capitalised(W.previous[lang]))}</dt><dd>${esc(h.previous_period)}${m.changes.previous_has_data ? '' : ` — ${esc(noPrevious(W, lang))}`}</dd>
    <dt>${esc(UI.generated?.[lang] ?? '')}</dt><dd>${esc(fmtBeijing(h.generated_at, lang))}</dd>
    <dt>${esc(UI.fingerprint?.[lang] ?? '')}</dt><dd class="fp">sha256:${esc(m.fingerprint.sha256)} (${m.fingerprint.sources} ${esc(UI.sources?.[lang] ?? '')})</dd>
    <dt>${esc(UI.fleet_reference?.[lang] ?? '')}</dt><dd>${esc(h.fleet_reference ?? UI.not_recorded?.[lang] ?? '')}</dd>
  </dl></div>`);
  if (m.months.total.status === 'in_progress') {
    const waiting = m.months.rows.filter((r) => r.status === 'not_ended').map((r) => r.month);
    out.push(
      `<div class="banner amber">${esc(
        L(
          `报告期尚未结束：数据截至 ${fmtBeijing(h.generated_at, 'zh')}，各项数字并非期末数字${waiting.length ? `；${waiting.join('、')} 尚未收到数据` : ''}。`,
          `Period incomplete: it has not ended; figures are to ${fmtBeijing(h.generated_at, 'en')}, not final${waiting.length ? `; no data yet for ${waiting.join(', ')}` : ''}.`,
          lang,
        ),
      )}</div>`,
    );
  }
  // flags
  const red = m.flags.filter((f) => f.level === 'red');
  out.push(
    `<section class="flags${m.flags.length ? '' : ' calm'}" id="s-flags">${heading('flags', null, lang)}${
      m.flags.length
        ? m.flags
            .map((f) => `<div class="flag ${f.level}">${esc(lang === 'zh' ? f.message_zh : f.message_en)}</div>`)
            .join('')
        : `<div>${esc(L(`${W.this.zh}无需关注事项`, `Nothing to flag ${W.this.en}`, lang))}</div>`
    }${red.length ? `<div class="banner">${esc(UI.stop_testing?.[lang] ?? '')}</div>` : ''}</section>`,
  );

  // month by month: what the period's figures are the sum of
  if (multi) {
    out.push(
      `<section class="months" id="s-months">${heading('months', null, lang)}${note(L('各月关键指标及其合计（末行，即本报告各章节的数字）；比率按合计重新计算，在测车辆为去重数。', 'Key figures of each month and their total (last row: the figures of this report’s sections); rates are recomputed from the totals and active vehicles counted once.', lang))}${tableHtml(tb('months'), lang, { caption: false, keys: ['month', 'month_status', 'km_autonomous', 'h_autonomous', 'km_total', 'h_total', 'vehicles_active', 'disengagements', 'per_1000_km', 'collisions', 'violations', 'safety_events'], rowClass: (r) => (r.month === m.period ? 'total' : '') })}</section>`,
    );
  }
  // 1 header
  sec(
    'header',
    [
      tableHtml(tb('header.companies'), lang),
      h.scope === 'fleet' ? tableHtml(tb('header.company_summary'), lang) : '',
      h.permits === null
        ? note(UI.no_fleet_reference?.[lang] ?? '')
        : tableHtml(tb('header.permits'), lang, {
            keys: ['company_id', 'number', 'kind', 'issued', 'expires', 'districts', 'valid_for_period'],
          }),
      tableHtml(tb('header.vehicles'), lang, {
        keys: ['company_id', 'vehicle_id', 'plate', 'vin', 'model', 'driverless', 'permit', 'active'],
      }),
      tableHtml(tb('header.ads_versions'), lang),
    ].join(''),
  );
  // 2 fleet
  const f = m.fleet;
  const ratio = f.driverless_ratio;
  sec(
    'fleet',
    cards([
      card(L('在测车辆', 'Vehicles active', lang), fmtInt(f.vehicles_active.value), f.vehicles_active, lang, {
        digits: 0,
      }),
      card(
        L('登记车辆', 'Vehicles registered', lang),
        f.vehicles_registered === null ? (UI.not_recorded?.[lang] ?? '') : fmtInt(f.vehicles_registered),
        null,
        lang,
      ),
      card(L('车辆测试日', 'Vehicle-days', lang), fmtInt(f.vehicle_days.value), f.vehicle_days, lang, { digits: 0 }),
      card(
        L('无人化 / 有安全员', 'Driverless / with safety driver', lang),
        f.active_driverless === null
          ? (UI.not_recorded?.[lang] ?? '')
          : `${f.active_driverless} / ${f.active_with_safety_driver}`,
        null,
        lang,
      ),
      card(
        L('安全员（车内 / 远程）', 'Safety officers (onboard / remote)', lang),
        f.officers ? `${f.officers.onboard} / ${f.officers.remote}` : (UI.not_recorded?.[lang] ?? ''),
        null,
        lang,
      ),
      card(
        L('安全员 / 在测车辆', 'Officers per active vehicle', lang),
        f.officers_per_vehicle === null ? '—' : fmtNum(f.officers_per_vehicle, 2),
        null,
        lang,
      ),
      card(
        L('无人化配比（要求 ≥ 1:3）', 'Driverless ratio (≥ 1 : 3)', lang),
        ratio ? `${ratio.officers} : ${ratio.vehicles} ${ratio.compliant ? '✓' : '✗'}` : '—',
        null,
        lang,
      ),
    ]) + (h.scope === 'fleet' ? tableHtml(tb('fleet.by_company'), lang) : ''),
  );
  // 3 exposure
  const e = m.exposure;
  sec(
    'exposure',
    cards([
      card(L('自动驾驶里程', 'Autonomous km', lang), fmtKm(e.km.autonomous.value), e.km.autonomous, lang, {
        unit: 'km',
      }),
      card(L('自动驾驶时长', 'Autonomous hours', lang), fmtH(e.hours.autonomous.value), e.hours.autonomous, lang, {
        unit: 'h',
      }),
      card(L('总里程', 'Total km', lang), fmtKm(e.km.total.value), e.km.total, lang, { unit: 'km' }),
      card(L('总时长', 'Total hours', lang), fmtH(e.hours.total.value), e.hours.total, lang, { unit: 'h' }),
    ]) +
      tableHtml(tb('exposure.by_mode'), lang) +
      `<h3>${esc(L('有安全员 / 无人化 / 远程', 'With safety driver / driverless / remote', lang))}</h3>` +
      hBars({
        rows: e.by_operation.map((op) => ({
          label: OPERATION_LABELS[op.operation]?.[lang] ?? op.operation,
          value: op.km,
          colour:
            op.operation === 'remote'
              ? MODE_COLOURS.remote
              : op.operation === 'manual'
                ? MODE_COLOURS.manual
                : MODE_COLOURS.autonomous,
          note: `· ${fmtH(op.hours)} h`,
        })),
        unit: 'km',
        format: fmtKm,
      }) +
      (multi
        ? `<h3>${esc(L('每月里程', 'Distance per month', lang))} <small>km</small></h3>` +
          stackedBars({
            categories: m.months.rows.map((r) => r.month),
            series,
            values: series.map((s) => m.months.rows.map((r) => r.km[s.key])),
            unit: 'km',
          })
        : `<h3>${esc(L('每日里程', 'Distance per day', lang))} <small>km</small></h3>` +
          stackedBars({
            categories: e.by_day.map((d) => d.date.slice(8)),
            series,
            values: series.map((s) => e.by_day.map((d) => d.km[s.key])),
            unit: 'km',
            labelEvery: 2,
          })) +
      `<h3>${esc(L('按时段（北京时间）', 'By time of day (Beijing)', lang))} <small>km</small></h3>` +
      stackedBars({
        categories: e.by_hour.map((d) => String(d.hour)),
        series,
        values: series.map((s) => e.by_hour.map((d) => d.km[s.key])),
        unit: 'km',
        height: 160,
      }) +
      tableHtml(tb('exposure.by_vehicle'), lang, {
        keys: [
          'vehicle_id',
          'plate',
          'driverless',
          'days_active',
          'km_autonomous',
          'h_autonomous',
          'km_manual',
          'km_remote',
          'km_total',
          'h_total',
          'previous_autonomous_km',
        ],
      }) +
      (h.scope === 'fleet'
        ? tableHtml(tb('exposure.by_company'), lang, {
            keys: [
              'company_id',
              'km_autonomous',
              'h_autonomous',
              'km_manual',
              'km_remote',
              'km_total',
              'previous_autonomous_km',
            ],
          })
        : '') +
      `<div class="two"><div>${tableHtml(tb('exposure.by_district'), lang, { keys: ['district', 'km_autonomous', 'h_autonomous', 'km_total'], empty: L('未记录区划（入库时未提供 --districts）', 'No districts recorded (ingest without --districts)', lang) })}</div><div>${tableHtml(tb('exposure.by_ads_version'), lang, { keys: ['version', 'km_autonomous', 'h_autonomous', 'km_total'] })}</div></div>`,
  );
  // 4 gates
  const g = m.gates;
  const gateHtml = g.gates
    .map(
      (x) =>
        `<div class="gate"><div>${h.scope === 'fleet' ? `<b>${esc(x.company_id)}</b> · ` : ''}${esc(lang === 'zh' ? x.label_zh : x.label_en)}<div class="st">${esc(fmtH(x.cumulative_hours))} h · ${esc(fmtKm(x.cumulative_km))} km — ${esc(GATE_STATUS[x.status]?.[lang] ?? x.status)}</div></div>${progressBar({ value: x.progress, previous: x.previous_progress, width: 290, label: fmtPct(x.progress * 100), colour: x.status === 'met' ? '#16a34a' : x.status === 'blocked' ? '#dc2626' : x.status === 'pending_liability' ? '#d97706' : '#2563eb' })}</div>`,
    )
    .join('');
  const months = [...new Set(g.cumulative.flatMap((c) => c.by_month.map((b) => b.month)))].sort();
  const palette = ['#2563eb', '#16a34a', '#d97706', '#7c3aed', '#0891b2', '#be185d', '#4b5563', '#65a30d'];
  const cumChart =
    months.length > 0
      ? lineChart({
          categories: months,
          series: g.cumulative.map((c, i) => ({
            key: c.company_id,
            label: `${c.company_id} km`,
            colour: palette[i % palette.length] ?? '#2563eb',
            values: months.map((mm) => [...c.by_month].reverse().find((b) => b.month <= mm)?.km ?? 0),
          })),
          unit: 'km',
        })
      : '';
  sec(
    'gates',
    `${note(L(`累计至${W.this.zh}末的自动驾驶里程与时长；虚线为${W.previous.zh}末位置。`, `Cumulative autonomous km and hours to the end of the ${m.period_kind === 'range' ? 'period' : m.period_kind}; the dashed mark is the position at the end of the ${W.previous.en}.`, lang))}${gateHtml}<h3>${esc(L('累计自动驾驶里程', 'Cumulative autonomous km', lang))}</h3>${cumChart}${tableHtml(tb('gates.cumulative'), lang)}`,
  );
  // 5 disengagements
  const d = m.disengagements;
  sec(
    'disengagements',
    cards([
      card(L('脱离次数', 'Disengagements', lang), fmtInt(d.count.value), d.count, lang, {
        digits: 0,
        goodWhen: 'down',
      }),
      card(L('每千公里脱离', 'Per 1,000 autonomous km', lang), fmtRate(d.per_1000_km.value), d.per_1000_km, lang, {
        digits: 2,
        goodWhen: 'down',
        extra: rateExtra(d.rate, lang),
      }),
      card(
        L('平均脱离间隔里程', 'km per disengagement', lang),
        fmtKm(d.km_per_disengagement.value),
        d.km_per_disengagement,
        lang,
        { goodWhen: 'up', unit: 'km' },
      ),
      card(L('车端记录 / 仅数据识别', 'Logged / telemetry only', lang), `${d.logged} / ${d.detected_only}`, null, lang),
    ]) +
      `<div class="two"><div><h3>${esc(L('按发起方', 'By initiator', lang))}</h3>${hBars({ rows: d.by_initiator.map((r) => ({ label: term(INITIATOR_TERMS, r.key, lang), value: r.count, colour: '#ea580c' })), width: 340, format: fmtInt })}</div><div><h3>${esc(L('按原因', 'By cause', lang))}</h3>${hBars({ rows: d.by_cause.slice(0, 10).map((r) => ({ label: causeTerm(r.key, lang), value: r.count, colour: '#f97316' })), width: 340, format: fmtInt })}</div></div>` +
      tableHtml(tb('disengagements.by_initiator'), lang, { keys: [`label_${lang}`, 'count', 'previous', 'delta'] }) +
      tableHtml(tb('disengagements.by_district'), lang, { keys: [`label_${lang}`, 'count', 'previous'] }) +
      tableHtml(tb('disengagements.by_vehicle'), lang, {
        keys: ['vehicle_id', 'plate', 'count', 'autonomous_km', 'per_1000_km'],
      }) +
      incidentTable(d.events, lang, L('脱离事件清单', 'Disengagement events', lang)),
  );
  // 6 accidents
  const a = m.accidents;
  const accRows = a.list.map(
    (x) =>
      `<tr class="${x.stop_testing ? 'red' : x.record_90s === false ? 'warn' : ''}"><td class="id">${esc(x.local_time.slice(0, 10))}<br>${esc(x.local_time.slice(11))}</td><td>${esc(x.vehicle_id)}${x.plate ? `<br><span class="sub">${esc(x.plate)}</span>` : ''}</td><td>${esc([x.district, x.lat !== null && x.lon !== null ? `${x.lat.toFixed(4)}, ${x.lon.toFixed(4)}` : null].filter(Boolean).join(' · ') || '—')}</td><td>${esc(x.mode ? term(MODE_TERMS, x.mode, lang) : '—')}</td><td>${esc(x.counterpart === null ? '—' : causeTerm(x.counterpart, lang))}${x.vulnerable_road_user ? ` <span class="sub">(${esc(L('弱势道路使用者', 'VRU', lang))})</span>` : ''}</td><td>${esc(term(SEVERITY_TERMS, x.injury ?? 'unspecified', lang))}</td><td>${esc(x.damage === null ? (UI.not_recorded?.[lang] ?? '') : causeTerm(x.damage, lang))}</td><td>${esc(x.liability === null ? L('待认定', 'pending', lang) : causeTerm(x.liability, lang))}</td><td>${x.record_90s === null ? '—' : x.record_90s ? `<span class="yes">✓</span>` : `<span class="no">✗</span>`}</td><td>${x.stop_testing ? `<span class="no">${esc(L('是', 'YES', lang))}</span>` : esc(UI.no?.[lang] ?? '')}</td></tr>`,
  );
  const accHead = [
    L('时间（北京）', 'Time (Beijing)', lang),
    L('车辆', 'Vehicle', lang),
    L('地点', 'Place', lang),
    L('模式', 'Mode', lang),
    L('对方', 'Counterpart', lang),
    L('伤情', 'Injury', lang),
    L('车损', 'Damage', lang),
    L('责任', 'Liability', lang),
    L('90秒记录', '90 s record', lang),
    L('暂停测试', 'Stop testing', lang),
  ];
  sec(
    'accidents',
    (a.stop_testing ? `<div class="banner">${esc(UI.stop_testing?.[lang] ?? '')}</div>` : '') +
      cards([
        card(L('碰撞事故', 'Collisions', lang), fmtInt(a.count.value), a.count, lang, { digits: 0, goodWhen: 'down' }),
        card(L('每百万公里', 'Per million km', lang), fmtRate(a.per_million_km.value), a.per_million_km, lang, {
          digits: 2,
          goodWhen: 'down',
          extra: rateExtra(a.rate, lang),
        }),
        card(L('自动驾驶模式下', 'In autonomous mode', lang), fmtInt(a.in_autonomous), null, lang),
        card(L('涉及弱势道路使用者', 'Vulnerable road user', lang), fmtInt(a.vulnerable_road_user), null, lang),
      ]) +
      tableHtml(tb('accidents.by_severity'), lang, { keys: [`label_${lang}`, 'count', 'previous', 'delta'] }) +
      a.list.map((x) => `<p class="narrative">${esc(collisionNarrative(x, lang))}</p>`).join('') +
      `<table class="incidents"><caption>${esc(L('事故清单', 'Accident list', lang))}</caption>${a.list.length ? `<thead><tr>${accHead.map((x) => `<th>${esc(x)}</th>`).join('')}</tr></thead><tbody>${accRows.join('')}</tbody>` : `<tbody><tr><td class="nil">${esc(UI.none?.[lang] ?? '')}</td></tr></tbody>`}</table>` +
      note(
        L(
          '伤情来自车端记录；车损与责任认定来自外部导入记录，缺失时为"未登记 / 待认定"。',
          'Injury as the recorder logged it; damage and liability come from imported records and read "not recorded / pending" without one.',
          lang,
        ),
      ),
  );
  // 7 violations
  const v = m.violations;
  sec(
    'violations',
    cards([
      card(L('交通违法（记录）', 'Traffic violations (recorded)', lang), fmtInt(v.recorded.value), v.recorded, lang, {
        digits: 0,
        goodWhen: 'down',
      }),
      card(
        L('超速片段（数据识别）', 'Speeding episodes (detected)', lang),
        fmtInt(v.speeding.episodes.value),
        v.speeding.episodes,
        lang,
        { digits: 0, goodWhen: 'down' },
      ),
      card(
        L(
          `自动驾驶超速里程占比（> 限速 +${v.speeding.tolerance * 100}%）`,
          `Autonomous km above limit + ${v.speeding.tolerance * 100}%`,
          lang,
        ),
        fmtPct(v.speeding.share_over_limit.value, 3),
        v.speeding.share_over_limit,
        lang,
        { digits: 3, goodWhen: 'down' },
      ),
      card(L('最大超速幅度', 'Highest excess over limit', lang), fmtPct(v.speeding.max_excess_pct), null, lang),
    ]) +
      tableHtml(tb('violations.speeding_by_tier'), lang, { keys: [`label_${lang}`, 'count', 'previous', 'delta'] }) +
      tableHtml(tb('violations.by_cause'), lang, {
        keys: [`label_${lang}`, 'count', 'previous'],
        empty: L(`${W.this.zh}无交通违法记录`, `No traffic violations recorded ${W.this.en}`, lang),
      }) +
      (v.list.length ? incidentTable(v.list, lang, L('违法清单', 'Violation list', lang)) : '') +
      note(
        L(
          `已知限速的自动驾驶里程 ${fmtKm(v.speeding.autonomous_km_with_limit)} km；超速片段为遥测识别（未经执法认定），交通违法为车端记录或外部导入。`,
          `Autonomous km with a known posted limit: ${fmtKm(v.speeding.autonomous_km_with_limit)} km. Speeding episodes are detected in telemetry (not adjudicated); traffic violations are as logged or imported.`,
          lang,
        ),
      ),
  );
  // 8 safety-critical
  const s = m.safety_events;
  sec(
    'safety_events',
    cards([
      card(L('安全关键事件', 'Safety-critical events', lang), fmtInt(s.total.value), s.total, lang, {
        digits: 0,
        goodWhen: 'down',
      }),
      card(L('每千公里', 'Per 1,000 km', lang), fmtRate(s.per_1000_km.value), s.per_1000_km, lang, {
        digits: 2,
        goodWhen: 'down',
        extra: rateExtra(s.rate, lang),
      }),
    ]) +
      hBars({
        rows: s.rows.map((r) => ({
          label: term(KIND_LABELS, r.kind, lang),
          value: r.count,
          colour: '#ca8a04',
          note: r.previous === null ? '' : `(${W.previous[lang]} ${r.previous})`,
        })),
        format: fmtInt,
      }) +
      tableHtml(tb('safety_events.by_kind'), lang, {
        keys: ['kind', 'count', 'previous', 'logged', 'detected', 'imported', 'per_1000_km', 'by_severity'],
      }),
  );
  // 9 system health
  sec(
    'system_health',
    cards([
      card(
        L('系统健康事件', 'System health events', lang),
        fmtInt(m.system_health.total.value),
        m.system_health.total,
        lang,
        { digits: 0, goodWhen: 'down' },
      ),
    ]) + tableHtml(tb('system_health.by_kind'), lang, { keys: ['kind', 'count', 'previous', 'by_cause'] }),
  );
  // 10 data compliance
  const c = m.data_compliance;
  sec(
    'data_compliance',
    cards([
      card(
        L(`定位 ≥ ${c.required_hz} Hz 时长占比`, `Autonomous time at ≥ ${c.required_hz} Hz`, lang),
        fmtPct(c.coverage_share.value, 2),
        c.coverage_share,
        lang,
        { digits: 2, goodWhen: 'up' },
      ),
      card(
        L(`数据中断（> ${c.gaps.threshold_s} 秒）`, `Recording gaps (> ${c.gaps.threshold_s} s)`, lang),
        fmtInt(c.gaps.count.value),
        c.gaps.count,
        lang,
        { digits: 0, goodWhen: 'down' },
      ),
      card(
        L(
          `事件记录完整（−${c.windows.before_s} s … +${c.windows.after_s} s）`,
          `Complete records (−${c.windows.before_s} s … +${c.windows.after_s} s)`,
          lang,
        ),
        `${c.windows.complete} / ${c.windows.incidents}`,
        null,
        lang,
      ),
      card(L('隔离数据行', 'Quarantined rows', lang), fmtInt(c.quarantine.rows.value), c.quarantine.rows, lang, {
        digits: 0,
        goodWhen: 'down',
      }),
    ]) +
      tableHtml(tb('data_compliance.summary'), lang, { keys: [`label_${lang}`, 'value', 'previous', 'delta'] }) +
      tableHtml(tb('data_compliance.quarantine_by_reason'), lang, {
        keys: [`label_${lang}`, 'count', 'previous'],
        empty: L('无隔离数据', 'No quarantined rows', lang),
      }) +
      note(
        c.retention.earliest_record === null
          ? L('无数据', 'No records', lang)
          : L(
              `库内最早记录 ${c.retention.earliest_record}，已保存 ${c.retention.days_held} 天（要求至少保存 ${c.retention.required_days} 天${c.retention.covers_requirement ? '，已满足' : '；测试不足一年者保存全部记录'}）。`,
              `Earliest record in the lake: ${c.retention.earliest_record}, ${c.retention.days_held} days held (at least ${c.retention.required_days} days required${c.retention.covers_requirement ? ', met' : '; a company testing for less keeps everything'}).`,
              lang,
            ),
      ),
  );
  // 11 map
  sec(
    'map',
    `${mapSvg(m.map, lang)}${note(`${UI.map_note?.[lang] ?? ''} · ${L('网格', 'grid', lang)} ${m.map.cell_deg}° · ${fmtInt(m.map.samples)} ${L('个定位点抽稀为', 'samples thinned to', lang)} ${fmtInt(m.map.points)} · ${L(`${fmtInt(m.map.routes.length)} 个行程`, plural(m.map.routes.length, 'drive'), lang)} · ${L(`${fmtInt(m.map.incidents.length)} 起事件`, plural(m.map.incidents.length, 'incident'), lang)}`)}`,
  );
  // 12 changes
  const ch = m.changes;
  const changeRows = ch.figures
    .map(
      (r) =>
        `<tr><td>${esc(lang === 'zh' ? r.label_zh : r.label_en)}${r.unit ? ` <span class="sub">${esc(r.unit)}</span>` : ''}</td><td class="n">${esc(fmtNum(r.value, r.unit === '' ? 0 : 2))}</td><td class="n">${esc(fmtNum(r.previous, r.unit === '' ? 0 : 2))}</td><td class="n">${esc(fmtDelta(r.delta, r.unit === '' ? 0 : 2))}</td><td class="n">${esc(fmtDeltaPct(r.delta_pct))}</td></tr>`,
    )
    .join('');
  sec(
    'changes',
    (ch.previous_has_data ? '' : note(`${h.previous_period}: ${noPrevious(W, lang)}`)) +
      `<table><thead><tr><th>${esc(L('指标', 'Figure', lang))}</th><th class="n">${esc(m.period)}</th><th class="n">${esc(ch.previous_period)}</th><th class="n">${esc(UI.delta?.[lang] ?? '')}</th><th class="n">${esc(UI.delta_pct?.[lang] ?? '')}</th></tr></thead><tbody>${changeRows}</tbody></table>` +
      (ch.notes.length ? `<ul>${ch.notes.map((n) => `<li>${esc(n[lang])}</li>`).join('')}</ul>` : ''),
  );
  // appendix
  out.push(
    `<section class="appendix" id="s-appendix">${heading('appendix', null, lang)}${note(
      L(
        `需事件记录的事件（碰撞、脱离、接管请求、最小风险策略、紧急避险、系统与车辆故障、违法）；记录窗口 −${m.thresholds.window.beforeS} s … +${m.thresholds.window.afterS} s，不完整者标黄（共 ${m.appendix.incomplete} 起）。`,
        `Incidents that need an event record (collisions, disengagements, takeover requests, minimal-risk manoeuvres, emergency manoeuvres, system and vehicle failures, violations); window −${m.thresholds.window.beforeS} s … +${m.thresholds.window.afterS} s; incomplete ones are highlighted (${m.appendix.incomplete}).`,
        lang,
      ),
    )}${incidentTable(m.appendix.incidents, lang, `${SECTION_TITLES.appendix[lang]} (${m.appendix.incidents.length})`)}</section>`,
  );
  // signature and contact: who submits the report and answers for it
  const sig = h.companies
    .filter(() => h.scope === 'company')
    .map((c) => {
      const k = c.contact;
      const nr = UI.not_recorded?.[lang] ?? '';
      const field = (zh: string, en: string, v: string | null | undefined) =>
        `<dt>${esc(L(zh, en, lang))}</dt><dd>${esc(v ?? nr)}</dd>`;
      return `<dl class="sig">${field('报送单位', 'Submitted by', (lang === 'zh' ? c.name : (c.name_en ?? c.name)) ?? c.id)}${field('联系人', 'Contact', k ? [k.name, k.title].filter(Boolean).join('，') || null : null)}${field('电话', 'Telephone', k?.phone)}${field('电子邮箱', 'Email', k?.email)}${field('地址', 'Address', k?.address)}</dl>`;
    })
    .join('');
  out.push(
    `<section class="signature" id="s-signature">${heading('signature', null, lang)}${sig}${note(
      L(
        '本报告数据由 avlog 依据上述输入指纹所列数据源生成；报送单位对数据真实性负责。',
        'The figures of this report were computed by avlog from the sources the fingerprint lists; the submitting company answers for the data.',
        lang,
      ),
    )}<div class="signlines"><div>${esc(L('负责人签字', 'Signature of the responsible person', lang))}</div><div>${esc(L('日期', 'Date', lang))}</div><div>${esc(L('单位盖章', 'Company seal', lang))}</div></div></section>`,
  );
  // definitions, then what reproduces the report
  const defs = reportDefinitions(m.thresholds)
    .map(
      (d) =>
        `<tr><td><b>${esc(d.term[lang])}</b></td><td>${esc(d.text[lang])}</td><td class="sub">${esc(d.source[lang])}</td></tr>`,
    )
    .join('');
  out.push(
    `<section class="definitions" id="s-definitions">${heading('definitions', null, lang)}<table class="defs"><thead><tr><th>${esc(L('指标', 'Term', lang))}</th><th>${esc(L('定义', 'Definition', lang))}</th><th>${esc(L('来源', 'Source', lang))}</th></tr></thead><tbody>${defs}</tbody></table><h3>${esc(UI.fingerprint?.[lang] ?? '')}</h3><p class="fp">sha256:${esc(m.fingerprint.sha256)}<br>${esc(L('阈值', 'thresholds', lang))} sha256:${esc(m.fingerprint.thresholds_sha256)} · ${m.fingerprint.sources} ${esc(UI.sources?.[lang] ?? '')}${m.fingerprint.fleet_reference_sha256 ? ` · ${esc(L('车队登记信息', 'fleet reference', lang))} sha256:${esc(m.fingerprint.fleet_reference_sha256)}` : ''}</p></section>`,
  );
  const title = `${W.title[lang]} — ${h.scope === 'fleet' ? FLEET_WIDE[lang] : (h.companies[0]?.id ?? '')} — ${m.period}`;
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="avlog-fingerprint" content="${esc(m.fingerprint.sha256)}"><title>${esc(title)}</title><style>${CSS}</style></head>
<body><main>${out.join('\n')}</main></body></html>
`;
}
