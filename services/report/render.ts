import type { Lang } from '../vocabulary/label.js';
import type { ReportModel } from './model.js';
import { renderCsv } from './render-csv.js';
import { renderHtml } from './render-html.js';
import { renderJson } from './render-json.js';
import { PdfPrinter } from './render-pdf.js';

export const REPORT_FORMATS = ['html', 'pdf', 'csv', 'json'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const CONTENT_TYPES: Record<ReportFormat, string> = {
  html: 'text/html; charset=utf-8',
  pdf: 'application/pdf',
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

/** File name of a rendered report: `avlog-report-<company>-<period>[-<lang>].<ext>` (a span `A..B` as `A_B`). */
export function reportFileName(m: ReportModel, format: ReportFormat, lang: Lang, table?: string): string {
  const base = `avlog-report-${m.company}-${m.period.replace('..', '_')}`;
  if (format === 'csv') return `${base}${table ? `-${table}` : ''}.csv`;
  if (format === 'json') return `${base}.json`;
  return `${base}-${lang}.${format}`;
}

export interface RenderOptions {
  lang: Lang;
  /** CSV: one table by id. */
  table?: string;
  /** PDF: a printer to reuse (the API keeps one); else one is launched and closed. */
  printer?: PdfPrinter;
}

/** A report in one of the formats. */
export async function renderReport(m: ReportModel, format: ReportFormat, o: RenderOptions): Promise<string | Buffer> {
  switch (format) {
    case 'html':
      return renderHtml(m, { lang: o.lang });
    case 'csv':
      return renderCsv(m, o.table);
    case 'json':
      return renderJson(m);
    case 'pdf': {
      const printer = o.printer ?? new PdfPrinter();
      try {
        return await printer.print(renderHtml(m, { lang: o.lang }), {
          footer: `avlog · ${m.company} · ${m.period} · sha256:${m.fingerprint.sha256.slice(0, 16)}`,
        });
      } finally {
        if (!o.printer) await printer.close();
      }
    }
  }
}
