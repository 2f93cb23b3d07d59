import type { Lang } from '../state/app-state.js';
import { sessionBadge } from '../session/session-badge.js';
import { byId } from '../ui/dom.js';
import { reportsPage } from './reports-page.js';
import { fetchReportList, type ReportRow } from './report-list.js';

/** The reports page: `?lang=zh` as on the map (English by default); the switch rewrites the URL in place. */
let lang: Lang = new URLSearchParams(location.search).get('lang') === 'zh' ? 'zh' : 'en';
let rows: ReportRow[] | null | Error = null;
const root = byId('reports');
const badge = sessionBadge();

function render(): void {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = lang === 'zh' ? 'avlog · 报告' : 'avlog · reports';
  root.replaceChildren(
    ...reportsPage(
      lang,
      rows,
      () => {
        lang = lang === 'zh' ? 'en' : 'zh';
        const q = new URLSearchParams(location.search);
        if (lang === 'zh') q.set('lang', 'zh');
        else q.delete('lang');
        history.replaceState(null, '', `${location.pathname}${q.size ? `?${q}` : ''}`);
        render();
      },
      badge,
    ),
  );
}

render();
fetchReportList()
  .then((r) => (rows = r))
  .catch((e: unknown) => (rows = e instanceof Error ? e : new Error(String(e))))
  .finally(render);
