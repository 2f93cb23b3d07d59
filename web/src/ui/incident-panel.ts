import type { IncidentDetail } from '../data/map-api.js';
import { label, type LabelKey } from '../i18n/labels.js';
import { districtName, initiatorName, kindName, modeName, severityName } from '../i18n/vocab-names.js';
import { kindColor } from '../layers/palette.js';
import type { Lang } from '../state/app-state.js';
import { h, swatch } from './dom.js';
import { drawSpeedChart } from './speed-chart.js';
import { localTime } from './time-format.js';
import { renderTriage } from './triage-box.js';
import { openWithToken } from '../session/api-link.js';

export interface IncidentPanelActions {
  close(): void;
  replay(): void;
}

/** The incident's facts, its speed/acceleration chart and a replay button; shown beside the map. */
export class IncidentPanel {
  private readonly root: HTMLElement;
  private readonly act: IncidentPanelActions;
  private chart: HTMLCanvasElement | null = null;
  private detail: IncidentDetail | null = null;
  private lang: Lang = 'en';

  constructor(root: HTMLElement, act: IncidentPanelActions) {
    this.root = root;
    this.act = act;
  }

  showLoading(lang: Lang): void {
    this.root.hidden = false;
    this.root.replaceChildren(h('p', { class: 'muted' }, label(lang, 'loading')));
  }

  showError(lang: Lang, message: string): void {
    this.root.hidden = false;
    this.root.replaceChildren(
      h('button', { type: 'button', class: 'close', onclick: () => this.act.close() }, '×'),
      h('p', { class: 'error' }, `${label(lang, 'error')}: ${message}`),
    );
  }

  hide(): void {
    this.root.hidden = true;
    this.root.replaceChildren();
    this.detail = null;
    this.chart = null;
  }

  show(detail: IncidentDetail, lang: Lang): void {
    this.detail = detail;
    this.lang = lang;
    const L = (k: LabelKey) => label(lang, k);
    const i = detail.incident;
    const w = detail.window;
    const rows: [string, string | null][] = [
      [L('time'), localTime(Date.parse(i.ts), lang)],
      [L('vehicle'), `${i.vehicle_id} · ${i.company_id}`],
      [L('mode'), i.mode ? modeName(i.mode, lang) : null],
      [L('speed'), i.speed_mps === null ? null : `${(i.speed_mps * 3.6).toFixed(1)} km/h`],
      [
        L('peak'),
        i.peak === null
          ? null
          : `${i.peak.toFixed(2)}${i.kind.startsWith('harsh_') ? (i.kind === 'harsh_jerk' ? ' m/s³' : ' m/s²') : ''}`,
      ],
      [L('initiator'), i.initiator ? initiatorName(i.initiator, lang) : null],
      [L('cause'), i.cause],
      [L('district'), i.district ? districtName(i.district, lang) : null],
      [L('origin'), i.origin],
      [L('drive'), i.drive_id],
      [
        L('window'),
        w.complete
          ? `${L('complete')} ✓`
          : `${L('incomplete')}: ${L('missingBefore')} ${w.missing_before_s.toFixed(0)} s, ${L('missingAfter')} ${w.missing_after_s.toFixed(0)} s`,
      ],
    ];
    this.chart = h('canvas', { class: 'chart', 'data-testid': 'incident-chart' });
    const triage = h('section', { class: 'triage', 'data-testid': 'triage' });
    this.root.hidden = false;
    this.root.dataset.incident = i.event_id;
    this.root.replaceChildren(
      h('button', { type: 'button', class: 'close', title: L('close'), onclick: () => this.act.close() }, '×'),
      h(
        'h2',
        {},
        swatch(kindColor(i.kind)),
        kindName(i.kind, lang),
        i.severity ? h('span', { class: `badge sev-${i.severity}` }, severityName(i.severity, lang)) : null,
      ),
      h(
        'table',
        {},
        ...rows
          .filter(([, v]) => v !== null && v !== '')
          .map(([k, v]) => h('tr', {}, h('th', {}, k), h('td', {}, v ?? ''))),
      ),
      this.chart,
      h(
        'div',
        { class: 'actions' },
        h(
          'button',
          { type: 'button', 'data-control': 'replay-incident', onclick: () => this.act.replay() },
          `▶ ${L('replay')}`,
        ),
        h('a', { href: `/api/incidents/${i.event_id}`, target: '_blank', onclick: openWithToken }, 'JSON'),
      ),
      triage,
    );
    void renderTriage(triage, i.event_id, lang);
    this.redraw(null);
  }

  /** Redraws the chart with the replay clock. */
  redraw(playheadMs: number | null): void {
    if (this.chart && this.detail) drawSpeedChart(this.chart, this.detail, this.lang, playheadMs);
  }
}
