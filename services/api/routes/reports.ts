import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { buildReport, ReportCache, reportIndex, wholeTestPeriod, type ReportIndexRow } from '../../report/build.js';
import { esc } from '../../report/charts.js';
import { FLEET_WIDE, PERIOD_WORDS, REPORTS_TITLE } from '../../report/i18n.js';
import { parsePeriod, PERIOD_PATTERN, type Period } from '../../report/period.js';
import { tableIds } from '../../report/render-csv.js';
import { PdfPrinter, PdfUnavailable } from '../../report/render-pdf.js';
import { Gate } from '../../core/gate.js';
import { CONTENT_TYPES, renderReport, reportFileName } from '../../report/render.js';
import { scopeOf } from '../caller.js';
import { ApiError } from '../errors.js';
import { ErrorBody, ErrorResponses } from '../schemas/common.js';

const COMPANY = '^(all|[\\p{L}\\p{N}_-][\\p{L}\\p{N}_.-]{0,63})$';
/** A month, a quarter, a span of months, or `test`: the company's whole test (first to last month with data). */
const PERIOD = PERIOD_PATTERN.replace(/\)\$$/u, '|test)$');

const PeriodKind = Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('range')], {
  description: 'month: monthly report; quarter: quarterly stage report; range: summary of the whole test',
});

const ListQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('json'), Type.Literal('html')], {
        default: 'json',
        description: 'json (default) or html: a page linking every report',
      }),
    ),
    kind: Type.Optional(
      Type.Union([Type.Literal('month'), Type.Literal('quarter'), Type.Literal('range')], {
        description: 'only this kind of period (default: all kinds)',
      }),
    ),
  },
  { additionalProperties: false },
);

const ReportLinks = Type.Object({
  html_zh: Type.String(),
  html_en: Type.String(),
  pdf_zh: Type.String(),
  pdf_en: Type.String(),
  csv: Type.String(),
  json: Type.String(),
});

const ListResponse = Type.Object({
  reports: Type.Array(
    Type.Object({
      company: Type.String({ description: 'company id, or `all` for the fleet-wide report' }),
      period: Type.String({
        description:
          "`YYYY-MM`, `YYYY-Qn`, or `YYYY-MM..YYYY-MM` (a company's whole test: its first to last month with data)",
      }),
      kind: PeriodKind,
      month: Type.Optional(Type.String({ description: 'the month of a monthly report' })),
      first_month: Type.String(),
      last_month: Type.String(),
      telemetry_files: Type.Number({ description: 'telemetry source files with rows in the period' }),
      event_files: Type.Number({ description: 'event files (logged, detected, imported) with rows in the period' }),
      links: ReportLinks,
    }),
  ),
});

/** The report list as `GET /api/reports` answers it (the web app's reports page reads it). */
export type ReportList = Static<typeof ListResponse>;

const ReportParams = Type.Object(
  {
    company: Type.String({ pattern: COMPANY, description: 'company id, or `all` for the fleet-wide report' }),
    period: Type.String({
      pattern: PERIOD,
      description:
        'Beijing-time months: `YYYY-MM` (monthly report), `YYYY-Qn` (quarterly stage report, Q1 = January–March), `YYYY-MM..YYYY-MM` (summary report of a span, inclusive) or `test` (the whole test: first to last month with data)',
    }),
  },
  { additionalProperties: false },
);

const ReportQuery = Type.Object(
  {
    format: Type.Optional(
      Type.Union([Type.Literal('html'), Type.Literal('pdf'), Type.Literal('csv'), Type.Literal('json')], {
        default: 'html',
        description:
          'html (printable), pdf (Chromium print), csv (every table, or one with `table`), json (model and tables)',
      }),
    ),
    lang: Type.Optional(
      Type.Union([Type.Literal('zh'), Type.Literal('en')], { default: 'zh', description: 'language of html and pdf' }),
    ),
    table: Type.Optional(
      Type.String({
        pattern: '^[a-z_]+(\\.[a-z_]+)?$',
        description: 'csv: one table by id (e.g. exposure.by_vehicle)',
      }),
    ),
    download: Type.Optional(Type.Boolean({ description: 'send as an attachment' })),
  },
  { additionalProperties: false },
);

function links(company: string, period: string) {
  const base = `/api/reports/${encodeURIComponent(company)}/${period}`;
  return {
    html_zh: `${base}?format=html&lang=zh`,
    html_en: `${base}?format=html&lang=en`,
    pdf_zh: `${base}?format=pdf&lang=zh`,
    pdf_en: `${base}?format=pdf&lang=en`,
    csv: `${base}?format=csv`,
    json: `${base}?format=json`,
  };
}

/** The report list as a small self-contained HTML page. */
function listPage(rows: ReportIndexRow[]): string {
  const periods = [...new Set(rows.map((r) => r.period))];
  const body = periods
    .map((p) => {
      const inPeriod = rows.filter((r) => r.period === p);
      const w = PERIOD_WORDS[inPeriod[0]?.kind ?? 'month'];
      const items = inPeriod
        .map((r) => {
          const l = links(r.company, r.period);
          const name = r.company === 'all' ? `${FLEET_WIDE.zh} / ${FLEET_WIDE.en}` : r.company;
          return `<tr><td>${esc(name)}</td><td class="n">${r.telemetry_files.toLocaleString('en-US')}</td><td class="n">${r.event_files.toLocaleString('en-US')}</td><td><a href="${esc(l.html_zh)}">HTML 中文</a> · <a href="${esc(l.html_en)}">HTML English</a> · <a href="${esc(l.pdf_zh)}">PDF 中文</a> · <a href="${esc(l.pdf_en)}">PDF English</a> · <a href="${esc(l.csv)}">CSV</a> · <a href="${esc(l.json)}">JSON</a></td></tr>`;
        })
        .join('');
      return `<h2>${esc(p)} <small>${esc(w.short.zh)} · ${esc(w.short.en)}</small></h2><table><thead><tr><th>测试主体 Company</th><th class="n">轨迹文件 telemetry files</th><th class="n">事件文件 event files</th><th>报告 Report</th></tr></thead><tbody>${items}</tbody></table>`;
    })
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${esc(REPORTS_TITLE.zh)} · ${esc(REPORTS_TITLE.en)}</title><style>
body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei","DejaVu Sans",sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#111827}
table{border-collapse:collapse;width:100%;margin-bottom:1.5rem}th,td{border-bottom:1px solid #e5e7eb;padding:.35rem .5rem;text-align:left}th{background:#f3f4f6}.n{text-align:right}a{color:#1d4ed8}small{color:#6b7280;font-weight:normal}
</style></head><body><h1>${esc(REPORTS_TITLE.zh)}<br><small>${esc(REPORTS_TITLE.en)}</small></h1>${body || '<p>暂无数据 · No data yet</p>'}</body></html>`;
}

/**
 * Regulator reports: the list of companies × periods (months, quarters, whole tests), and each report as HTML, PDF,
 * CSV or JSON.
 */
/** PDF renders at once (each a Chromium page, ~100 MB) and how many may wait. */
const PDF_RENDERS = { concurrent: 2, queue: 4 };

const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const printer = new PdfPrinter();
  const pdfGate = new Gate('PDF renders', PDF_RENDERS.concurrent, PDF_RENDERS.queue);
  const cache = new ReportCache();
  app.addHook('onClose', async () => printer.close());

  app.get(
    '/',
    {
      schema: {
        tags: ['reports'],
        summary:
          'companies × periods with data (months, quarters, each whole test), with links to each report (format=html: a page)',
        querystring: ListQuery,
        response: { 200: ListResponse, ...ErrorResponses },
      },
    },
    async (req, reply) => {
      const rows = reportIndex(app.lake, scopeOf(req), req.query.kind ? [req.query.kind] : undefined);
      // The page is text, not the JSON body the schema describes.
      if (req.query.format === 'html') return reply.type('text/html; charset=utf-8').send(listPage(rows) as never);
      return {
        reports: rows.map((r) => ({
          ...r,
          ...(r.kind === 'month' ? { month: r.period } : {}),
          links: links(r.company, r.period),
        })),
      };
    },
  );

  app.get(
    '/:company/:period',
    {
      schema: {
        tags: ['reports'],
        summary:
          'the report of a company (or `all`) for a month, a quarter, a span of months or its whole test: html, pdf, csv or json',
        params: ReportParams,
        querystring: ReportQuery,
        response: {
          200: Type.Unknown({ description: 'the report in the requested format' }),
          404: ErrorBody,
          406: ErrorBody,
          ...ErrorResponses,
        },
      },
    },
    async (req, reply) => {
      const scope = scopeOf(req);
      const { company } = req.params;
      const format = req.query.format ?? 'html';
      const lang = req.query.lang ?? 'zh';
      if (req.query.table !== undefined && format !== 'csv')
        throw new ApiError('bad_parameter', 'table applies to format=csv only', 'table');
      const who = company === 'all' ? 'any company' : `company ${company}`;
      if (scope.company !== undefined && company !== scope.company)
        throw new ApiError('not_found', `no report for ${company} in ${req.params.period}`);
      let period: Period | null;
      try {
        period =
          req.params.period === 'test' ? wholeTestPeriod(app.lake, scope, company) : parsePeriod(req.params.period);
      } catch (e) {
        // the pattern admits spans that end before they start
        throw new ApiError('bad_parameter', (e as Error).message, 'period');
      }
      if (period === null) throw new ApiError('not_found', `no data for ${who}`);
      const model = await buildReport(app.lake, scope, { company, period, cache });
      if (!model.has_data) throw new ApiError('not_found', `no data for ${who} in ${period.id}`);
      if (req.query.table !== undefined && !tableIds(model).includes(req.query.table)) {
        throw new ApiError(
          'bad_parameter',
          `table "${req.query.table}" is not one of ${tableIds(model).join(', ')}`,
          'table',
        );
      }
      let body: string | Buffer;
      try {
        const render = () =>
          renderReport(model, format, {
            lang,
            printer,
            ...(req.query.table !== undefined ? { table: req.query.table } : {}),
          });
        // A PDF is a Chromium print: a few at a time, a short line, then 429.
        body = format === 'pdf' ? await pdfGate.run(render) : await render();
      } catch (e) {
        if (e instanceof PdfUnavailable) throw new ApiError('not_acceptable', e.message, 'format');
        throw e;
      }
      const name = reportFileName(model, format, lang, req.query.table);
      reply.header('x-avlog-fingerprint', model.fingerprint.sha256);
      reply.header(
        'content-disposition',
        `${req.query.download || format === 'csv' ? 'attachment' : 'inline'}; filename="${name}"`,
      );
      return reply.type(CONTENT_TYPES[format]).send(body);
    },
  );
};

export default reportRoutes;
